import { Temporal } from 'temporal-polyfill';
import { Type } from 'typebox';
import { defineJobType, enqueue, handleJob } from '../../jobs/index.ts';
import { MINUTE, type EpochMs } from '../../platform/clock.ts';
import { inTx, type Ctx } from '../../storage/index.ts';
import { notificationPlan } from '../people/index.ts';
import { scheduleShifts } from '../schedules/index.ts';
import { insertDelivery } from './deliveries.repo.ts';

/** How often the scan runs, and how far ahead it looks: a notice arrives 10 to 15 minutes before the shift. */
export const HANDOFF_SCAN_INTERVAL_MS = 5 * MINUTE;
export const HANDOFF_LEAD_MS = 15 * MINUTE;

export const HandoffScan = defineJobType({
  kind: 'oncall.handoff_scan',
  payload: Type.Object({}),
  maxAttempts: 5,
  priority: 120,
});

const slotOf = (at: EpochMs): number => Math.ceil(at / HANDOFF_SCAN_INTERVAL_MS);

async function enqueueScan(ctx: Ctx, slot: number): Promise<void> {
  await enqueue(
    ctx,
    HandoffScan,
    {},
    { dedupKey: `oncall.handoff_scan@${slot}`, runAt: (slot * HANDOFF_SCAN_INTERVAL_MS) as EpochMs },
  );
}

/** Called at start: makes sure a scan is scheduled (a no-op when one already is). */
export async function scheduleHandoffScan(ctx: Ctx): Promise<void> {
  await inTx(ctx, (tx) => enqueueScan(tx, slotOf(tx.clock.now())));
}

const local = (at: EpochMs, zone: string): string =>
  Temporal.Instant.fromEpochMilliseconds(at)
    .toZonedDateTimeISO(zone)
    .toPlainDateTime()
    .toString({ smallestUnit: 'minute' })
    .replace('T', ' ');

/**
 * Tells each person who comes on call within the lead time, through their low-urgency notification rules (a
 * hand-off is news, not a page). The dedup key (schedule, person, shift start, method) makes a rerun harmless.
 */
export async function sendHandoffNotices(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now();
  const until = (now + HANDOFF_LEAD_MS) as EpochMs;
  const schedules = await ctx.db.selectFrom('schedules').select(['id', 'name', 'time_zone']).execute();
  let sent = 0;
  for (const schedule of schedules) {
    const shifts = (await scheduleShifts(ctx, schedule.id, now, until)).filter((s) => s.start > now);
    for (const shift of shifts) {
      const text = `You are on call for ${schedule.name} from ${local(shift.start, schedule.time_zone)} to ${local(shift.end, schedule.time_zone)} (${schedule.time_zone}).`;
      await inTx(ctx, async (tx) => {
        for (const rule of await notificationPlan(tx, shift.userId, 'low')) {
          if (rule.delayMinutes > 0) continue;
          const inserted = await insertDelivery(tx, {
            incidentId: null,
            kind: 'handoff',
            event: 'notice',
            userId: shift.userId,
            contactMethodId: rule.contactMethodId,
            channelId: null,
            channelKind: rule.channelKind,
            dueAt: now,
            dedupKey: `handoff:${schedule.id}:${shift.userId}:${shift.start}:${rule.contactMethodId}`,
            payload: { subject: `On call soon: ${schedule.name}`, text, scheduleId: schedule.id },
          });
          if (inserted) sent++;
        }
      });
    }
  }
  return sent;
}

export const handoffScanHandler = handleJob(HandoffScan, async (ctx) => {
  await sendHandoffNotices(ctx);
  await inTx(ctx, (tx) => enqueueScan(tx, slotOf(tx.clock.now()) + 1));
});
