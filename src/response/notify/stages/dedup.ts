import type { Outgoing, Settled, Stage } from '../pipeline-types.ts';

/** What makes two deliveries the same message to a destination; null (never deduplicated) without an incident. */
export function dedupKey(o: Outgoing): string | null {
  if (o.incidentId === null) return null;
  return `${o.incidentId}|${o.event}|${String(o.step)}|${String(o.round)}`;
}

const oldestFirst = (a: Outgoing, b: Outgoing): number =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * One person reached twice in one step (as a user and through a schedule) on the same contact method gets one
 * message. Within the batch the oldest row wins, so the survivor does not depend on the order rows were loaded in;
 * a key the destination already received recently (an earlier batch) is not sent again.
 */
export const dedupStage: Stage = (batch, input) => {
  const winners = new Map<string, string>();
  const settle: Settled[] = [];
  for (const o of [...batch].sort(oldestFirst)) {
    const key = dedupKey(o);
    if (key === null) continue;
    const slot = `${o.destination}\n${key}`;
    const winner = winners.get(slot);
    if (input.recentKeys.get(o.destination)?.has(key)) {
      settle.push({ id: o.id, status: 'suppressed', reason: 'already sent' });
    } else if (winner !== undefined) {
      settle.push({ id: o.id, status: 'suppressed', reason: `duplicate of ${winner}` });
    } else {
      winners.set(slot, o.id);
    }
  }
  const settled = new Set(settle.map((s) => s.id));
  return { keep: batch.filter((o) => !settled.has(o.id)), settle, defer: [], bundles: [] };
};
