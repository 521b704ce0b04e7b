import { requireRole } from '../../identity/index.ts';
import { notFound } from '../../platform/errors.ts';
import { inTx, type Ctx } from '../../storage/index.ts';
import { acknowledgeAlertRow, resolveAlertRow } from './alerts.repo.ts';
import { alertAcknowledgedInIncident, alertResolvedInIncident } from '../incidents/lifecycle.ts';
import { loadServiceRules } from '../incidents/service-rules.ts';
import { timelineActorOf } from '../incidents/timeline.ts';
import { withNames } from './names.ts';
import { toAlertView, type NamedAlertView } from './views.ts';

async function loadForChange(ctx: Ctx, id: string) {
  const row = await ctx.db
    .selectFrom('alerts')
    .leftJoin('services', 'services.id', 'alerts.service_id')
    .selectAll('alerts')
    .select('services.team_id')
    .where('alerts.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('alert', id);
  requireRole(ctx, 'responder', { teamId: row.team_id, entity: 'alert', id });
  return row;
}

/** A responder acknowledges one alert by hand; its incident is acknowledged with it. Idempotent. */
export async function acknowledgeAlert(ctx: Ctx, id: string): Promise<NamedAlertView> {
  return inTx(ctx, async (tx) => {
    const row = await loadForChange(tx, id);
    const now = tx.clock.now();
    if (row.status === 'triggered') {
      await acknowledgeAlertRow.run(tx, { id, now });
      if (row.incident_id)
        await alertAcknowledgedInIncident(tx, { now, actor: timelineActorOf(tx) }, row.incident_id, id);
    }
    const row2 = await tx.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return (await withNames(tx, [toAlertView(row2, true)]))[0]!;
  });
}

/**
 * A responder resolves one alert by hand. If the sender still thinks it is firing, its next repeat opens a new
 * alert — the same as PagerDuty, and the honest answer when a problem comes back.
 */
export async function resolveAlert(ctx: Ctx, id: string): Promise<NamedAlertView> {
  return inTx(ctx, async (tx) => {
    const row = await loadForChange(tx, id);
    const now = tx.clock.now();
    if (row.status !== 'resolved') {
      await resolveAlertRow.run(tx, { id, now });
      if (row.incident_id)
        await alertResolvedInIncident(
          tx,
          { now, actor: timelineActorOf(tx), service: (sid) => loadServiceRules(tx, sid) },
          row.incident_id,
          id,
          row.summary,
        );
    }
    const row2 = await tx.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return (await withNames(tx, [toAlertView(row2, true)]))[0]!;
  });
}
