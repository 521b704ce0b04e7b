import { toIso, toIsoOrNull } from '../../platform/clock.ts';
import type { IncidentsTable, TimelineEventsTable } from '../../storage/schema.ts';

export interface IncidentView {
  readonly id: string;
  readonly number: number;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly title: string;
  readonly severity: IncidentsTable['severity'];
  readonly urgency: IncidentsTable['urgency'];
  readonly status: IncidentsTable['status'];
  readonly alertCount: number;
  readonly openAlertCount: number;
  readonly openedAt: string;
  readonly acknowledgedAt: string | null;
  readonly resolvedAt: string | null;
  readonly version: number;
}

export interface TimelineEntryView {
  readonly id: string;
  readonly at: string;
  readonly type: string;
  readonly actor: Record<string, unknown>;
  readonly data: Record<string, unknown>;
}

export const toIncidentView = (r: IncidentsTable, serviceName: string): IncidentView => ({
  id: r.id,
  number: r.number,
  serviceId: r.service_id,
  serviceName,
  title: r.title,
  severity: r.severity,
  urgency: r.urgency,
  status: r.status,
  alertCount: r.alert_count,
  openAlertCount: r.open_alert_count,
  openedAt: toIso(r.opened_at),
  acknowledgedAt: toIsoOrNull(r.acknowledged_at),
  resolvedAt: toIsoOrNull(r.resolved_at),
  version: r.version,
});

export const toTimelineEntryView = (r: TimelineEventsTable): TimelineEntryView => ({
  id: r.id,
  at: toIso(r.at),
  type: r.type,
  actor: JSON.parse(r.actor) as Record<string, unknown>,
  data: JSON.parse(r.data) as Record<string, unknown>,
});
