import { DAY, HOUR, MINUTE } from './clock.ts';

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
};

/** Session cookies are `Secure` (and `__Host-` prefixed) when people reach Siaga over TLS. */
export const usesTls = (s: Settings): boolean => s.publicUrl.startsWith('https:');
