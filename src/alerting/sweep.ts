import { Type } from 'typebox';
import { defineJobType, enqueue, handleJob } from '../jobs/index.ts';
import type { EpochMs } from '../platform/clock.ts';
import { inTx, literal, type Ctx } from '../storage/index.ts';
import { resolveAlertRow } from './alerts/alerts.repo.ts';
import { alertResolvedInIncident } from './incidents/lifecycle.ts';
import { loadServiceRules } from './incidents/service-rules.ts';

/** How often the sweep runs: the lag between an alert's `endsAt` and its resolution is at most this. */
export const SWEEP_INTERVAL_MS = 15_000;
const BATCH = 500;

/**
 * Housekeeping that time alone triggers: alerts whose `endsAt` passed without a repeat resolve (Alertmanager's
 * resolve timeout), payloads past their retention are dropped, replay-window entries expire. The job re-enqueues
 * itself; the dedup key keeps exactly one pending however many nodes start it.
 */
export const AlertingSweep = defineJobType({
  kind: 'alerting.sweep',
  payload: Type.Object({}),
  maxAttempts: 5,
  priority: 150,
});

/**
 * The dedup key names the time slot the sweep runs in, so every node that schedules a sweep for the same slot
 * adds the same job, and chains started by different nodes merge at the next slot.
 */
async function enqueueSweep(ctx: Ctx, slot: number): Promise<void> {
  await enqueue(
    ctx,
    AlertingSweep,
    {},
    { dedupKey: `alerting.sweep@${slot}`, runAt: (slot * SWEEP_INTERVAL_MS) as EpochMs },
  );
}

const slotOf = (at: EpochMs): number => Math.ceil(at / SWEEP_INTERVAL_MS);

/** Called at start: makes sure a sweep is scheduled (a no-op when one already is for the coming slot). */
export async function scheduleAlertingSweep(ctx: Ctx): Promise<void> {
  await inTx(ctx, (tx) => enqueueSweep(tx, slotOf(tx.clock.now())));
}

export const alertingSweepHandler = handleJob(AlertingSweep, async (ctx) => {
  await resolveExpiredAlerts(ctx);
  const now = ctx.clock.now();
  await inTx(ctx, async (tx) => {
    await tx.db
      .updateTable('alerts')
      .set({ raw: null, raw_expires_at: null })
      .where('raw_expires_at', '<=', now)
      .execute();
    await tx.db.deleteFrom('inbound_nonces').where('expires_at', '<=', now).execute();
    await enqueueSweep(tx, slotOf(now) + 1);
  });
});

/**
 * Resolves every open alert whose end has passed, in batches (each batch one transaction). Returns how many.
 *
 * It finds them by `ends_check_at`, which repeats do not move (a repeat then writes no index page): an alert whose
 * check time came but whose end was pushed further by repeats gets its check moved to that end instead, about once
 * per resolve timeout. An alert whose end was cleared leaves the check index.
 */
export async function resolveExpiredAlerts(ctx: Ctx): Promise<number> {
  let total = 0;
  for (;;) {
    const { resolved, looked } = await inTx(ctx, async (tx) => {
      const now = tx.clock.now();
      const due = await tx.db
        .selectFrom('alerts')
        .select(['id', 'incident_id', 'summary', 'ends_at'])
        .where('status', '<>', literal('resolved'))
        .where('ends_check_at', '<=', now)
        .limit(BATCH)
        .execute();
      const scope = {
        now,
        actor: { kind: 'system' as const, reason: 'alert ended (no repeat before endsAt)' },
        service: (id: string) => loadServiceRules(tx, id),
      };
      let ended = 0;
      for (const a of due) {
        // Repeats pushed the end further (the check moves there), or cleared it (the alert leaves the check index).
        if (a.ends_at === null || a.ends_at > now) {
          await tx.db
            .updateTable('alerts')
            .set({ ends_check_at: a.ends_at })
            .where('id', '=', a.id)
            .execute();
          continue;
        }
        await resolveAlertRow.run(tx, { id: a.id, now });
        if (a.incident_id) await alertResolvedInIncident(tx, scope, a.incident_id, a.id, a.summary);
        ended++;
      }
      return { resolved: ended, looked: due.length };
    });
    total += resolved;
    if (looked < BATCH) return total;
  }
}
