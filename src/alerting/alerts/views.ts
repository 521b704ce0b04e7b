import { toIsoOrNull } from '../../platform/clock.ts';
import type { AlertsTable } from '../../storage/schema.ts';

const iso = toIsoOrNull;

/** An alert as the native API shows it (`raw` only on the detail view). */
export interface AlertView {
  readonly id: string;
  readonly serviceId: string | null;
  readonly integrationId: string | null;
  readonly fingerprint: string;
  readonly source: AlertsTable['source'];
  readonly status: AlertsTable['status'];
  readonly summary: string;
  readonly severity: AlertsTable['severity'];
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly generatorUrl: string | null;
  readonly startsAt: string;
  readonly endsAt: string | null;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  readonly occurrences: number;
  readonly incidentId: string | null;
  readonly mutedBy: string | null;
  readonly acknowledgedAt: string | null;
  readonly resolvedAt: string | null;
  readonly raw?: unknown;
}

export function toAlertView(r: AlertsTable, withRaw = false): AlertView {
  const view: AlertView = {
    id: r.id,
    serviceId: r.service_id,
    integrationId: r.integration_id,
    fingerprint: r.fingerprint,
    source: r.source,
    status: r.status,
    summary: r.summary,
    severity: r.severity,
    labels: JSON.parse(r.labels) as Record<string, string>,
    annotations: JSON.parse(r.annotations) as Record<string, string>,
    generatorUrl: r.generator_url,
    startsAt: iso(r.starts_at)!,
    endsAt: iso(r.ends_at),
    firstSeenAt: iso(r.first_seen_at)!,
    lastSeenAt: iso(r.last_seen_at)!,
    occurrences: r.occurrences,
    incidentId: r.incident_id,
    mutedBy: r.muted_by,
    acknowledgedAt: iso(r.acknowledged_at),
    resolvedAt: iso(r.resolved_at),
  };
  return withRaw ? { ...view, raw: r.raw === null ? null : (JSON.parse(r.raw) as unknown) } : view;
}

/** An alert with the names people read: its service's name and its incident's number. */
export interface NamedAlertView extends AlertView {
  readonly serviceName: string | null;
  readonly incidentNumber: number | null;
}
