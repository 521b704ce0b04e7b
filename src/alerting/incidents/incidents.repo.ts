import type { EpochMs } from '../../platform/clock.ts';
import type { Ctx } from '../../storage/index.ts';
import type { AlertSeverity, IncidentsTable } from '../../storage/schema.ts';
import { queryTemplate } from '../../storage/index.ts';

export const findOpenIncident = queryTemplate((db, a: { serviceId: string; groupKey: string }) =>
  db
    .selectFrom('incidents')
    .select(['id', 'status', 'severity', 'open_alert_count'])
    .where('service_id', '=', a.serviceId)
    .where('group_key', '=', a.groupKey)
    .where('status', '<>', 'resolved'),
);

export const joinIncident = queryTemplate((db, a: { id: string; severity: AlertSeverity; now: EpochMs }) =>
  db
    .updateTable('incidents')
    .set((eb) => ({
      alert_count: eb('alert_count', '+', 1),
      open_alert_count: eb('open_alert_count', '+', 1),
      severity: a.severity,
      updated_at: a.now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', a.id),
);

export const leaveIncident = queryTemplate((db, a: { id: string; now: EpochMs }) =>
  db
    .updateTable('incidents')
    .set((eb) => ({
      open_alert_count: eb('open_alert_count', '-', 1),
      updated_at: a.now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', a.id)
    .returning(['open_alert_count', 'status', 'service_id']),
);

const INCIDENT_COLUMNS = [
  'id',
  'number',
  'service_id',
  'title',
  'severity',
  'urgency',
  'status',
  'group_key',
  'alert_count',
  'open_alert_count',
  'opened_at',
  'acknowledged_at',
  'resolved_at',
  'updated_at',
  'version',
] as const satisfies readonly (keyof IncidentsTable)[];

export const insertIncident = queryTemplate(
  (db, a: IncidentsTable) => db.insertInto('incidents').values(a),
  INCIDENT_COLUMNS,
);

const bumpCounter = queryTemplate((db, a: { name: string }) =>
  db
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', a.name)
    .returning('value'),
);

/** The next incident number: one counter row, so numbers are dense and never reused. */
export async function nextIncidentNumber(ctx: Ctx): Promise<number> {
  const bumped = await bumpCounter.run(ctx, { name: 'incident' });
  const value = bumped.rows[0]?.value;
  if (value !== undefined) return Number(value);
  await ctx.db
    .insertInto('counters')
    .values({ name: 'incident', value: 0 })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return nextIncidentNumber(ctx);
}
