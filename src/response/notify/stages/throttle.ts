import type { EpochMs } from '../../../platform/clock.ts';
import type { Bundle, Outgoing, Settled, StageInput, StageResult, ThrottleLimit } from '../pipeline-types.ts';

/** A code the user is waiting for, or a test they asked for: never held back, and not counted against pages. */
const isExempt = (o: Outgoing): boolean => o.kind === 'verification' || o.kind === 'test';

/** Sends to `destination` still inside the sliding window (a send at `t` counts until `t + windowMs`). */
function sendsInWindow(input: StageInput, destination: string, limit: ThrottleLimit): EpochMs[] {
  const since = input.now - limit.windowMs;
  return (input.recentSends.get(destination) ?? []).filter((t) => t > since);
}

/**
 * When the next slot frees: a send at `t` leaves the window at `t + windowMs`. With exactly `count` sends in the
 * window that is the oldest one; with more (the limit was lowered, or exempt sends are in the log) enough of them
 * must leave first. A limit below 1 is a misconfiguration; wait one window rather than never sending.
 */
function nextSlotAt(input: StageInput, spent: readonly EpochMs[], limit: ThrottleLimit): EpochMs {
  const leaving = [...spent].sort((a, b) => a - b)[spent.length - limit.count];
  return (
    limit.count >= 1 && leaving !== undefined ? leaving + limit.windowMs : input.now + limit.windowMs
  ) as EpochMs;
}

/**
 * Per destination, at most `count` sends per sliding `windowMs`; what does not fit is bundled into one summary
 * (which counts as one send) so nothing is lost (R-NOT-8). The batch is expected in send order (after the order
 * stage): the earliest deliveries go out on their own, the rest ride in the bundle. With no slot left, everything
 * waits for the next free slot rather than being bundled now, so the summary covers as much as possible.
 */
export function throttleStage(batch: readonly Outgoing[], input: StageInput): StageResult {
  const byDestination = new Map<string, Outgoing[]>();
  for (const o of batch) {
    if (isExempt(o)) continue;
    const group = byDestination.get(o.destination);
    if (group) group.push(o);
    else byDestination.set(o.destination, [o]);
  }

  const held = new Set<string>();
  const settle: Settled[] = [];
  const defer: { id: string; until: EpochMs }[] = [];
  const bundles: Bundle[] = [];

  for (const [destination, group] of byDestination) {
    const first = group[0];
    if (first === undefined) continue;
    const limit = input.limits[first.channelKind];
    // Send times that occupy a slot; a bundle row kept below occupies one from now on.
    const spent = sendsInWindow(input, destination, limit);
    let allowed = limit.count - spent.length;

    // A bundle row (a retry of an earlier summary) is sent as it is or waits; bundling it again would nest summaries.
    const rebundlable: Outgoing[] = [];
    for (const o of group) {
      if (o.kind !== 'bundle') rebundlable.push(o);
      else if (allowed > 0) {
        allowed -= 1;
        spent.push(input.now);
      } else {
        held.add(o.id);
        defer.push({ id: o.id, until: nextSlotAt(input, spent, limit) });
      }
    }
    if (rebundlable.length <= allowed) continue;

    if (allowed <= 0) {
      const until = nextSlotAt(input, spent, limit);
      for (const o of rebundlable) {
        held.add(o.id);
        defer.push({ id: o.id, until });
      }
      continue;
    }

    // Keep `allowed - 1` on their own and spend the last slot on the summary of the rest (at least two members).
    const members = rebundlable.slice(allowed - 1);
    for (const o of members) {
      held.add(o.id);
      settle.push({ id: o.id, status: 'bundled', reason: `bundled with ${members.length - 1} others` });
    }
    const userIds = new Set(members.map((o) => o.userId));
    bundles.push({
      destination,
      channelKind: first.channelKind,
      userId: userIds.size === 1 ? (members[0]?.userId ?? null) : null,
      memberIds: members.map((o) => o.id),
    });
  }

  return { keep: batch.filter((o) => !held.has(o.id)), settle, defer, bundles };
}
