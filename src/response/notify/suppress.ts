import type { Ctx } from '../../storage/index.ts';

/**
 * Pages not yet sent for an incident someone has handled are settled at once (the pipeline's stale stage would
 * drop them anyway; settling them here makes the delivery log say so immediately).
 */
export async function suppressPendingPages(ctx: Ctx, incidentId: string, reason: string): Promise<void> {
  await ctx.db
    .updateTable('deliveries')
    .set({ status: 'suppressed', reason, updated_at: ctx.clock.now() })
    .where('incident_id', '=', incidentId)
    .where('kind', '=', 'page')
    .where('status', '=', 'pending')
    .execute();
}
