import type { EpochMs } from '../../platform/clock.ts';
import { queryTemplate } from '../../storage/index.ts';
import type { AlertSeverity, AlertsTable } from '../../storage/schema.ts';

/**
 * The ingest hot path's statements, compiled once per dialect (see storage/templates.ts). Everything else about
 * alerts goes through ordinary Kysely queries.
 */

export type OpenAlertRow = Pick<
  AlertsTable,
  'id' | 'status' | 'incident_id' | 'muted_by' | 'service_id' | 'occurrences'
>;

/** What a repeat returns: the open alert, and when the sweep will next look at it. */
export type RepeatedAlertRow = OpenAlertRow & Pick<AlertsTable, 'ends_check_at'>;

export const findOpenAlert = queryTemplate((db, a: { serviceKey: string; fingerprint: string }) =>
  db
    .selectFrom('alerts')
    .select(['id', 'status', 'incident_id', 'muted_by', 'service_id', 'occurrences'])
    .where('service_key', '=', a.serviceKey)
    .where('fingerprint', '=', a.fingerprint)
    .where('status', '<>', 'resolved'),
);

const ALERT_COLUMNS = [
  'id',
  'service_key',
  'service_id',
  'integration_id',
  'fingerprint',
  'source',
  'status',
  'summary',
  'severity',
  'labels',
  'annotations',
  'generator_url',
  'sender_group_key',
  'starts_at',
  'ends_at',
  'ends_check_at',
  'first_seen_at',
  'last_seen_at',
  'occurrences',
  'incident_id',
  'muted_by',
  'acknowledged_at',
  'resolved_at',
  'raw',
  'raw_expires_at',
  'updated_at',
] as const satisfies readonly (keyof AlertsTable)[];

export const insertAlert = queryTemplate(
  (db, a: AlertsTable) => db.insertInto('alerts').values(a),
  ALERT_COLUMNS,
);

/**
 * A trigger for an alert that is already open, in one statement: counted, refreshed and returned (the lookup and
 * the update were two statements, a third of the time a repeat took). No row: the alert is not open.
 *
 * It sets no indexed column (migration 0009): the raw payload stays the one that opened the alert, and the sweep's
 * `ends_check_at` is left to the sweep unless the new end is earlier (`pullEndsCheck`).
 */
export const repeatOpenAlert = queryTemplate(
  (
    db,
    a: {
      serviceKey: string;
      fingerprint: string;
      now: EpochMs;
      endsAt: EpochMs | null;
      summary: string;
      severity: AlertSeverity;
      labels: string;
      annotations: string;
    },
  ) =>
    db
      .updateTable('alerts')
      .set((eb) => ({
        occurrences: eb('occurrences', '+', 1),
        last_seen_at: a.now,
        ends_at: a.endsAt,
        summary: a.summary,
        severity: a.severity,
        labels: a.labels,
        annotations: a.annotations,
        updated_at: a.now,
      }))
      .where('service_key', '=', a.serviceKey)
      .where('fingerprint', '=', a.fingerprint)
      .where('status', '<>', 'resolved')
      .returning(['id', 'status', 'incident_id', 'muted_by', 'service_id', 'occurrences', 'ends_check_at']),
);

/** A repeat ends earlier than the sweep was going to look (or the alert had no end): look by then. */
export const pullEndsCheck = queryTemplate((db, a: { id: string; endsAt: EpochMs }) =>
  db.updateTable('alerts').set({ ends_check_at: a.endsAt }).where('id', '=', a.id),
);

export const resolveAlertRow = queryTemplate((db, a: { id: string; now: EpochMs }) =>
  db
    .updateTable('alerts')
    .set({ status: 'resolved', resolved_at: a.now, updated_at: a.now })
    .where('id', '=', a.id),
);

export const acknowledgeAlertRow = queryTemplate((db, a: { id: string; now: EpochMs }) =>
  db
    .updateTable('alerts')
    .set({ status: 'acknowledged', acknowledged_at: a.now, updated_at: a.now })
    .where('id', '=', a.id)
    .where('status', '=', 'triggered'),
);

export const attachAlert = queryTemplate(
  (db, a: { id: string; incidentId: string | null; mutedBy: string | null; now: EpochMs }) =>
    db
      .updateTable('alerts')
      .set({ incident_id: a.incidentId, muted_by: a.mutedBy, updated_at: a.now })
      .where('id', '=', a.id),
);

/** How often this (service, fingerprint) opened since `since`: flap detection's input. */
export const countOpenings = queryTemplate(
  (db, a: { serviceKey: string; fingerprint: string; since: EpochMs }) =>
    db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('service_key', '=', a.serviceKey)
      .where('fingerprint', '=', a.fingerprint)
      .where('first_seen_at', '>=', a.since),
);
