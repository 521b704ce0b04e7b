import { requireRole } from '../../identity/index.ts';
import { toIso, type EpochMs } from '../../platform/clock.ts';
import { notFound, validationError } from '../../platform/errors.ts';
import { inTx, type Ctx } from '../../storage/index.ts';
import type { IncidentsTable } from '../../storage/schema.ts';
import { withNames } from '../alerts/names.ts';
import { toAlertView, type NamedAlertView } from '../alerts/views.ts';
import { alertScope } from '../alerts/visibility.ts';
import { announceIncident, IncidentAcknowledged, IncidentUnacknowledged } from './facts.ts';
import { markIncidentResolved } from './lifecycle.ts';
import { appendTimeline, timelineActorOf } from './timeline.ts';
import { toIncidentView, toTimelineEntryView, type IncidentView, type TimelineEntryView } from './views.ts';

export interface IncidentFilter {
  readonly status?: 'open' | 'triggered' | 'acknowledged' | 'resolved' | 'all' | undefined;
  readonly serviceId?: string | undefined;
  readonly limit?: number | undefined;
  /** Incidents numbered below this (the previous page's last number). */
  readonly before?: number | undefined;
}

/** Newest first; only incidents of services the actor's teams own (all, for admins). */
export async function listIncidents(
  ctx: Ctx,
  filter: IncidentFilter,
): Promise<{ items: IncidentView[]; nextBefore: number | null }> {
  const scope = await alertScope(ctx);
  const ids = [...scope.serviceIds];
  if (filter.serviceId !== undefined && !scope.serviceIds.has(filter.serviceId))
    throw notFound('service', filter.serviceId);
  if (ids.length === 0) return { items: [], nextBefore: null };
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  let q = ctx.db
    .selectFrom('incidents')
    .selectAll()
    .where('service_id', 'in', filter.serviceId ? [filter.serviceId] : ids);
  const status = filter.status ?? 'open';
  if (status === 'open') q = q.where('status', '<>', 'resolved');
  else if (status !== 'all') q = q.where('status', '=', status);
  if (filter.before !== undefined) q = q.where('number', '<', filter.before);
  const rows = await q
    .orderBy('number', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => toIncidentView(r, scope.names.get(r.service_id) ?? '')),
    nextBefore: rows.length > limit ? page[page.length - 1]!.number : null,
  };
}

export interface IncidentDetail {
  readonly incident: IncidentView;
  readonly alerts: NamedAlertView[];
  readonly timeline: TimelineEntryView[];
  /** Recent changes on the service (PagerDuty change events): context for whoever investigates. */
  readonly changes: { id: string; summary: string; source: string | null; at: string; links: unknown }[];
}

async function loadVisible(
  ctx: Ctx,
  id: string,
  min: 'stakeholder' | 'responder',
): Promise<{ row: IncidentsTable; serviceName: string }> {
  const row = await ctx.db
    .selectFrom('incidents')
    .innerJoin('services', 'services.id', 'incidents.service_id')
    .selectAll('incidents')
    .select(['services.team_id', 'services.name as service_name'])
    .where('incidents.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('incident', id);
  requireRole(ctx, min, { teamId: row.team_id, entity: 'incident', id });
  const { team_id: _t, service_name, ...incident } = row;
  return { row: incident, serviceName: service_name };
}

const CHANGE_WINDOW_MS = 6 * 60 * 60 * 1000;

export async function getIncident(ctx: Ctx, id: string): Promise<IncidentDetail> {
  const { row, serviceName } = await loadVisible(ctx, id, 'stakeholder');
  const [alerts, timeline, changes] = await Promise.all([
    ctx.db
      .selectFrom('alerts')
      .selectAll()
      .where('incident_id', '=', id)
      .orderBy('first_seen_at')
      .limit(500)
      .execute(),
    ctx.db
      .selectFrom('timeline_events')
      .selectAll()
      .where('incident_id', '=', id)
      .orderBy('at')
      .orderBy('id')
      .limit(2000)
      .execute(),
    ctx.db
      .selectFrom('change_events')
      .selectAll()
      .where('service_id', '=', row.service_id)
      .where('at', '>=', (row.opened_at - CHANGE_WINDOW_MS) as EpochMs)
      .where('at', '<=', row.resolved_at ?? ctx.clock.now())
      .orderBy('at', 'desc')
      .limit(50)
      .execute(),
  ]);
  return {
    incident: toIncidentView(row, serviceName),
    alerts: await withNames(
      ctx,
      alerts.map((a) => toAlertView(a)),
    ),
    timeline: timeline.map(toTimelineEntryView),
    changes: changes.map((c) => ({
      id: c.id,
      summary: c.summary,
      source: c.source,
      at: toIso(c.at),
      links: JSON.parse(c.links) as unknown,
    })),
  };
}

/** How a responder acted, when not through the UI or API: the channel that carried the action. */
export interface ActionVia {
  readonly via?: string;
}

/**
 * Moves an incident (and its alerts) between triggered and acknowledged, records who did it and announces the fact
 * to later stages, all in the caller's transaction.
 */
async function moveAcknowledgement(
  tx: Ctx,
  row: IncidentsTable,
  to: 'acknowledged' | 'triggered',
  data: Record<string, unknown>,
): Promise<void> {
  const now = tx.clock.now();
  const acknowledgedAt = to === 'acknowledged' ? now : null;
  await tx.db
    .updateTable('incidents')
    .set({ status: to, acknowledged_at: acknowledgedAt, updated_at: now, version: row.version + 1 })
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .execute();
  await tx.db
    .updateTable('alerts')
    .set({ status: to, acknowledged_at: acknowledgedAt, updated_at: now })
    .where('incident_id', '=', row.id)
    .where('status', '=', to === 'acknowledged' ? 'triggered' : 'acknowledged')
    .execute();
  await appendTimeline(tx, {
    incidentId: row.id,
    type: to === 'acknowledged' ? 'incident.acknowledged' : 'incident.unacknowledged',
    actor: timelineActorOf(tx),
    data,
  });
  await announceIncident(tx, to === 'acknowledged' ? IncidentAcknowledged : IncidentUnacknowledged, row.id);
}

/** Someone is on it: stops escalation (stage 3) and records who. Acknowledging twice is a no-op. */
export async function acknowledgeIncident(ctx: Ctx, id: string, opts: ActionVia = {}): Promise<IncidentView> {
  return inTx(ctx, async (tx) => {
    const { row, serviceName } = await loadVisible(tx, id, 'responder');
    if (row.status === 'resolved')
      throw validationError(`incident #${row.number} is resolved; it cannot be acknowledged`);
    if (row.status === 'triggered')
      await moveAcknowledgement(tx, row, 'acknowledged', opts.via ? { via: opts.via } : {});
    return reload(tx, id, serviceName);
  });
}

/**
 * Nobody is on it after all: the incident is triggered again and escalation restarts from the policy's first step
 * (stage 3). Only an acknowledged incident can be un-acknowledged.
 */
export async function unacknowledgeIncident(ctx: Ctx, id: string): Promise<IncidentView> {
  return inTx(ctx, async (tx) => {
    const { row, serviceName } = await loadVisible(tx, id, 'responder');
    if (row.status !== 'acknowledged')
      throw validationError(
        `incident #${row.number} is ${row.status}; only an acknowledged incident can be un-acknowledged`,
      );
    await moveAcknowledgement(tx, row, 'triggered', {});
    return reload(tx, id, serviceName);
  });
}

/** Resolves the incident and every alert still open in it. A sender that still fires opens a new one. */
export async function resolveIncident(ctx: Ctx, id: string, opts: ActionVia = {}): Promise<IncidentView> {
  return inTx(ctx, async (tx) => {
    const { row, serviceName } = await loadVisible(tx, id, 'responder');
    if (row.status !== 'resolved') {
      const now = tx.clock.now();
      await markIncidentResolved(tx, id, now);
      await tx.db
        .updateTable('alerts')
        .set({ status: 'resolved', resolved_at: now, updated_at: now })
        .where('incident_id', '=', id)
        .where('status', '<>', 'resolved')
        .execute();
      await tx.db.updateTable('incidents').set({ open_alert_count: 0 }).where('id', '=', id).execute();
      await appendTimeline(tx, {
        incidentId: id,
        type: 'incident.resolved',
        actor: timelineActorOf(tx),
        data: opts.via ? { automatic: false, via: opts.via } : { automatic: false },
      });
    }
    return reload(tx, id, serviceName);
  });
}

async function reload(ctx: Ctx, id: string, serviceName: string): Promise<IncidentView> {
  return toIncidentView(
    await ctx.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    serviceName,
  );
}
