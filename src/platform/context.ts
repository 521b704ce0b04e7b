import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { IdGenerator } from './ids.ts';
import type { SecretBox } from './secrets/index.ts';
import type { Settings } from './settings.ts';

/** Roles, from least to most powerful. A team role applies to that team's objects; a global role everywhere else. */
export const ROLE_ORDER = ['stakeholder', 'observer', 'responder', 'admin'] as const;
export type Role = (typeof ROLE_ORDER)[number];

export const TOKEN_SCOPES = ['ingest', 'read', 'write', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Who is doing something. Every verb knows its actor; audit and timeline entries record it. */
export type Actor =
  | { readonly kind: 'system'; readonly name: string }
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'user';
      readonly userId: string;
      readonly name: string;
      readonly email: string;
      /** Global role. */
      readonly role: Role;
      /** Team id → role in that team. */
      readonly teams: ReadonlyMap<string, Role>;
      readonly via: 'session' | 'token';
      /** Set when the user acts through a personal API token: what the token may do. */
      readonly tokenId?: string;
      readonly scopes?: readonly TokenScope[];
    }
  | {
      /** A service token: acts with its own role, for one team or (team null) globally. */
      readonly kind: 'service';
      readonly tokenId: string;
      readonly name: string;
      readonly role: Role;
      readonly teamId: string | null;
      readonly scopes: readonly TokenScope[];
    }
  | {
      /** A sender authenticated by an integration key: it may feed alerts to that integration's service, nothing else. */
      readonly kind: 'integration';
      readonly integrationId: string;
      readonly serviceId: string;
      readonly teamId: string;
      readonly name: string;
    };

export const systemActor = (name: string): Actor => ({ kind: 'system', name });

/** Where a request came from, for the audit log. */
export interface Origin {
  readonly ip: string;
  readonly requestId: string;
  readonly userAgent: string;
}

/** What every verb may use besides the database. Time, ids and randomness are inputs, never globals. */
export interface Services {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly log: Logger;
  /** Uniform in [0, 1); injected so retry jitter is deterministic in tests. */
  readonly random: () => number;
  readonly settings: Settings;
  /** Seals and opens secrets stored in the database (AES-256-GCM, keys outside the database). */
  readonly secrets: SecretBox;
  /**
   * In-memory caches of this app instance, by name (e.g. the alerting configuration, keyed by its version).
   * One per app, so two apps in one process (tests) never share them.
   */
  readonly memo: Map<string, unknown>;
  /** Counts what operators alert on (alerts received, notifications sent); absent in the CLI and most tests. */
  readonly metrics?: DomainMetrics;
}

/**
 * The domain's own Prometheus counters, fed by the stages after their work commits. Label values come from small
 * fixed sets (sources, outcomes, channel kinds), never from what a sender or recipient supplies.
 */
export interface DomainMetrics {
  /** Alert events a sender delivered, by source and by what each became (opened, repeated, resolved, ...). */
  alertEvents(source: string, outcome: string, count: number): void;
  /** A provider call ended and its outcome is recorded. */
  notificationSent(channel: string, outcome: string, seconds: number): void;
  /** A provider reported on a message after accepting it (Twilio's status callback). */
  notificationReported(channel: string, status: 'delivered' | 'failed'): void;
}
