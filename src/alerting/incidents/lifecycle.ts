import type { EpochMs } from '../../platform/clock.ts';
import type { Ctx } from '../../storage/index.ts';
import type { AlertSeverity } from '../../storage/schema.ts';
import { groupKeyFor, incidentTitle, worseSeverity, type Grouping } from './grouping.ts';
import {
  findOpenIncident,
  insertIncident,
  joinIncident,
  leaveIncident,
  nextIncidentNumber,
} from './incidents.repo.ts';
import { announceIncident, IncidentAcknowledged, IncidentOpened, IncidentResolved } from './facts.ts';
import { appendTimeline, type TimelineActor } from './timeline.ts';

/** What a service says about its incidents. */
export interface ServiceRules {
  readonly id: string;
  readonly grouping: Grouping;
  readonly autoResolve: boolean;
  readonly urgency: 'high' | 'low';
}

interface Scope {
  readonly now: EpochMs;
  readonly actor: TimelineActor;
}

export interface JoiningAlert {
  readonly id: string;
  readonly fingerprint: string;
  readonly summary: string;
  readonly severity: AlertSeverity;
  readonly labels: Readonly<Record<string, string>>;
  readonly senderGroupKey: string | null;
}

/**
 * A new (unmuted) alert joins the service's open incident with its group key, or opens one. The partial unique
 * index on (service, group key) among open incidents makes a race between two nodes fail one transaction, which
 * then retries and joins.
 */
export async function alertJoinsIncident(
  ctx: Ctx,
  scope: Scope,
  service: ServiceRules,
  alert: JoiningAlert,
): Promise<string> {
  const groupKey = groupKeyFor(service.grouping, alert);
  const open = (await findOpenIncident.run(ctx, { serviceId: service.id, groupKey })).rows[0];
  if (open) {
    await joinIncident.run(ctx, {
      id: open.id,
      severity: worseSeverity(open.severity, alert.severity),
      now: scope.now,
    });
    await appendTimeline(ctx, {
      incidentId: open.id,
      type: 'alert.joined',
      actor: scope.actor,
      at: scope.now,
      data: { alertId: alert.id, summary: alert.summary, severity: alert.severity },
    });
    return open.id;
  }
  const id = ctx.ids.next('inc');
  const number = await nextIncidentNumber(ctx);
  const title = incidentTitle(service.grouping, alert);
  await insertIncident.run(ctx, {
    id,
    number,
    service_id: service.id,
    title,
    severity: alert.severity,
    urgency: service.urgency,
    status: 'triggered',
    group_key: groupKey,
    alert_count: 1,
    open_alert_count: 1,
    opened_at: scope.now,
    acknowledged_at: null,
    resolved_at: null,
    updated_at: scope.now,
    version: 1,
  });
  await appendTimeline(ctx, {
    incidentId: id,
    type: 'incident.opened',
    actor: scope.actor,
    at: scope.now,
    data: { number, title, severity: alert.severity, urgency: service.urgency, groupKey },
  });
  await announceIncident(ctx, IncidentOpened, id);
  await appendTimeline(ctx, {
    incidentId: id,
    type: 'alert.joined',
    actor: scope.actor,
    at: scope.now,
    data: { alertId: alert.id, summary: alert.summary, severity: alert.severity },
  });
  return id;
}

/** An alert of the incident resolved; when it was the last open one and the service says so, the incident resolves. */
export async function alertResolvedInIncident(
  ctx: Ctx,
  scope: Scope & { service(id: string): Promise<ServiceRules> },
  incidentId: string,
  alertId: string,
  summary: string,
): Promise<void> {
  const left = (await leaveIncident.run(ctx, { id: incidentId, now: scope.now })).rows[0];
  if (!left) return;
  await appendTimeline(ctx, {
    incidentId,
    type: 'alert.resolved',
    actor: scope.actor,
    at: scope.now,
    data: { alertId, summary },
  });
  if (left.status === 'resolved' || left.open_alert_count > 0) return;
  const service = await scope.service(left.service_id);
  if (!service.autoResolve) return;
  await markIncidentResolved(ctx, incidentId, scope.now);
  await appendTimeline(ctx, {
    incidentId,
    type: 'incident.resolved',
    actor: { kind: 'system', reason: 'all alerts resolved' },
    at: scope.now,
    data: { automatic: true },
  });
}

/** A sender acknowledged one alert (PagerDuty `acknowledge`): the incident is acknowledged with it. */
export async function alertAcknowledgedInIncident(
  ctx: Ctx,
  scope: Scope,
  incidentId: string,
  alertId: string,
): Promise<void> {
  const changed = await ctx.db
    .updateTable('incidents')
    .set((eb) => ({
      status: 'acknowledged',
      acknowledged_at: scope.now,
      updated_at: scope.now,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', incidentId)
    .where('status', '=', 'triggered')
    .executeTakeFirst();
  await appendTimeline(ctx, {
    incidentId,
    type: 'alert.acknowledged',
    actor: scope.actor,
    at: scope.now,
    data: { alertId },
  });
  if (changed.numUpdatedRows > 0n) {
    await appendTimeline(ctx, {
      incidentId,
      type: 'incident.acknowledged',
      actor: scope.actor,
      at: scope.now,
      data: { via: 'alert' },
    });
    await announceIncident(ctx, IncidentAcknowledged, incidentId);
  }
}

/** Resolves an open incident and announces it (escalation stops, resolved notices go out). */
export async function markIncidentResolved(ctx: Ctx, incidentId: string, now: EpochMs): Promise<boolean> {
  const r = await ctx.db
    .updateTable('incidents')
    .set((eb) => ({ status: 'resolved', resolved_at: now, updated_at: now, version: eb('version', '+', 1) }))
    .where('id', '=', incidentId)
    .where('status', '<>', 'resolved')
    .executeTakeFirst();
  if (r.numUpdatedRows === 0n) return false;
  await announceIncident(ctx, IncidentResolved, incidentId);
  return true;
}
