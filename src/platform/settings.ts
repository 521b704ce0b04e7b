import { DAY, HOUR, MINUTE, SECOND } from './clock.ts';

/** Runtime settings verbs need, derived from the boot configuration once and carried in `Services`. */
export interface Settings {
  /** Base URL people use; links in messages and the first-run setup link start with it. */
  readonly publicUrl: string;
  readonly auth: {
    /** scrypt cost as log2(N); 17 = 128 MiB per hash (OWASP's minimum for scrypt). */
    readonly passwordHashLog2N: number;
    /** A session unused for this long ends. */
    readonly sessionIdleMs: number;
    /** A session ends this long after sign-in, however active. */
    readonly sessionMaxAgeMs: number;
  };
  readonly alerting: {
    /** An Alertmanager API alert without `endsAt` resolves this long after it was last sent. */
    readonly resolveTimeoutMs: number;
    /** How long an alert keeps the payload it arrived with (0 keeps none). */
    readonly rawRetentionMs: number;
    /** More openings than this of one alert within the window mark it flapping. */
    readonly flap: { readonly maxOpenings: number; readonly windowMs: number };
    /** Events one PagerDuty routing key may send per minute (per node) before 429. */
    readonly pagerDutyEventsPerMinute: number;
    /** Longest a silence may last. */
    readonly silenceMaxDurationMs: number;
    /** Domain of email-in addresses (`<integration key>@<domain>`); undefined while email-in is off. */
    readonly emailDomain: string | undefined;
  };
  readonly notify: NotifySettings;
}

/** Who may be called by outgoing requests (channels, webhooks): see src/platform/net. */
export interface OutboundPolicySettings {
  /** Let requests reach private, loopback and link-local addresses (a closed network where that is the point). */
  readonly allowPrivate: boolean;
  /** `host:port`, `ip:port`, `ip` or CIDR entries allowed even though they are private. */
  readonly allow: readonly string[];
}

/** Provider accounts the operator owns; a channel whose provider is not configured fails permanently, loudly. */
export interface ProviderSettings {
  readonly smtp?: {
    readonly host: string;
    readonly port: number;
    readonly secure: boolean;
    readonly user?: string;
    readonly password?: string;
    readonly from: string;
  };
  readonly twilio?: {
    readonly baseUrl: string;
    readonly accountSid: string;
    readonly authToken: string;
    readonly from: string;
    /**
     * Ask Twilio to report each message's and call's fate to `{publicUrl}/api/v1/callbacks/twilio/status`, so an
     * SMS that was never delivered (or a call nobody answered) fails in the delivery log. Absent = off.
     */
    readonly statusCallbacks?: boolean;
  };
  readonly slack?: {
    readonly apiBaseUrl: string;
    readonly botToken?: string;
    readonly signingSecret?: string;
  };
  readonly telegram?: { readonly apiBaseUrl: string; readonly botToken: string };
  readonly webPush?: { readonly publicKey: string; readonly privateKey: string; readonly subject: string };
  readonly ntfy: { readonly baseUrl: string; readonly token?: string };
}

export interface NotifySettings {
  /** Longest one provider call may take before it counts as a (temporary) failure. */
  readonly sendTimeoutMs: number;
  /** Attempts of one delivery before it fails for good. */
  readonly maxAttempts: number;
  readonly outbound: OutboundPolicySettings;
  readonly providers: ProviderSettings;
}

export const DEFAULT_SETTINGS: Settings = {
  publicUrl: 'http://127.0.0.1:8080',
  auth: { passwordHashLog2N: 17, sessionIdleMs: 24 * HOUR, sessionMaxAgeMs: 30 * DAY },
  alerting: {
    resolveTimeoutMs: 5 * MINUTE,
    rawRetentionMs: 7 * DAY,
    flap: { maxOpenings: 5, windowMs: 30 * MINUTE },
    pagerDutyEventsPerMinute: 1200,
    silenceMaxDurationMs: 90 * DAY,
    emailDomain: undefined,
  },
  notify: {
    sendTimeoutMs: 10 * SECOND,
    maxAttempts: 12,
    outbound: { allowPrivate: false, allow: [] },
    providers: { ntfy: { baseUrl: 'https://ntfy.sh' } },
  },
};

/** Session cookies are `Secure` (and `__Host-` prefixed) when people reach Siaga over TLS. */
export const usesTls = (s: Settings): boolean => s.publicUrl.startsWith('https:');
