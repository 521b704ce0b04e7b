import type { Grouping } from '../../catalog/index.ts';
import type { AlertSeverity } from '../../storage/schema.ts';

export type { Grouping };

/**
 * The key an alert's incident is found by: alerts of one service with equal keys share the open incident.
 * `sender` uses the sender's own group (Alertmanager's `groupKey`) and falls back to one incident per alert
 * for senders that have none.
 */
export function groupKeyFor(
  grouping: Grouping,
  alert: {
    readonly fingerprint: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly senderGroupKey: string | null;
  },
): string {
  switch (grouping.mode) {
    case 'labels':
      return `labels:${JSON.stringify(grouping.labels.map((name) => alert.labels[name] ?? ''))}`;
    case 'sender':
      return alert.senderGroupKey === null ? `alert:${alert.fingerprint}` : `sender:${alert.senderGroupKey}`;
    case 'alert':
      return `alert:${alert.fingerprint}`;
  }
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

export const worseSeverity = (a: AlertSeverity, b: AlertSeverity): AlertSeverity =>
  SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;

/** An incident's title names what its group has in common, so a storm reads as one thing. */
export function incidentTitle(
  grouping: Grouping,
  alert: { readonly summary: string; readonly labels: Readonly<Record<string, string>> },
): string {
  if (grouping.mode !== 'labels') return alert.summary;
  const common = grouping.labels.filter((n) => alert.labels[n] !== undefined).map((n) => alert.labels[n]);
  const prefix = common.join(' · ');
  return prefix && prefix !== alert.summary ? `${prefix}: ${alert.summary}`.slice(0, 500) : alert.summary;
}
