import type { DeliveryEvent } from '../../../storage/schema.ts';
import type { Outgoing, Stage } from '../pipeline-types.ts';

const RANK: Record<DeliveryEvent, number> = { triggered: 0, acknowledged: 1, resolved: 2, notice: 3 };

/**
 * R-NOT-6: for one incident and destination, triggered → acknowledged → resolved. Rows are written in that order, so
 * sorting the batch by creation time (event rank breaks ties written in the same millisecond, then id for a total
 * order) is enough; the dispatcher sends in batch order and the throttle keeps the earliest. Earlier events outside
 * the batch have already finished (the dispatcher guarantees it), so nothing here looks beyond the batch.
 */
export const compareOutgoing = (a: Outgoing, b: Outgoing): number =>
  a.createdAt - b.createdAt || RANK[a.event] - RANK[b.event] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export const orderStage: Stage = (batch) => ({
  keep: [...batch].sort(compareOutgoing),
  settle: [],
  defer: [],
  bundles: [],
});
