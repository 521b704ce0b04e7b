import { inTx, type Ctx } from '../storage/index.ts';
import type { ChangeEvent } from './events.ts';

/** A deploy or config change reported by a sender (PagerDuty change events): context on the service's incidents. */
export async function recordChangeEvent(
  ctx: Ctx,
  input: { serviceId: string; integrationId: string; change: ChangeEvent },
): Promise<string> {
  return inTx(ctx, async (tx) => {
    const id = tx.ids.next('chg');
    await tx.db
      .insertInto('change_events')
      .values({
        id,
        service_id: input.serviceId,
        integration_id: input.integrationId,
        summary: input.change.summary,
        source: input.change.source,
        at: input.change.at,
        links: JSON.stringify(input.change.links),
        details: JSON.stringify(input.change.details),
        created_at: tx.clock.now(),
      })
      .execute();
    return id;
  });
}
