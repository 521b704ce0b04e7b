import type { EpochMs } from '../platform/clock.ts';
import type { AlertSeverity } from '../storage/schema.ts';

/**
 * What every source adapter produces: one event per alert in the payload. Adapters are pure functions of
 * the payload (and the receive time); everything after them — routing, dedup, grouping, silences — is shared.
 */
export interface AlertEvent {
  /** `trigger` opens or repeats an alert; `acknowledge`/`resolve` act on the open alert with the same key. */
  readonly action: 'trigger' | 'acknowledge' | 'resolve';
  /** The dedup key: the Alertmanager fingerprint of the labels, or the sender's dedup key. */
  readonly fingerprint: string;
  readonly summary: string;
  readonly severity: AlertSeverity;
  /** Never holds an empty value: an empty label is an absent label. */
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: EpochMs;
  /** When the alert resolves unless repeated; null = open until resolved. */
  readonly endsAt: EpochMs | null;
  readonly generatorUrl?: string | undefined;
  /** The sender's own grouping (Alertmanager `groupKey`), used by services grouping by sender. */
  readonly senderGroupKey?: string | undefined;
  /** The part of the payload this event came from, kept for the alert's detail page. */
  readonly raw: unknown;
}

export type AlertSource =
  'alertmanager_api' | 'alertmanager_webhook' | 'pagerduty' | 'webhook' | 'email' | 'api';

/** A PagerDuty change event: context on a service, never an alert. */
export interface ChangeEvent {
  readonly summary: string;
  readonly source: string | null;
  readonly at: EpochMs;
  readonly links: readonly { href: string; text?: string | undefined }[];
  readonly details: Readonly<Record<string, unknown>>;
}
