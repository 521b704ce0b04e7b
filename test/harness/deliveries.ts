import type { EpochMs } from '../../src/platform/clock.ts';
import type { ChannelKind, DeliveriesTable, DeliveryStatus } from '../../src/storage/schema.ts';
import type { TestApp } from './app.ts';

/**
 * Writes a test-page delivery of `kind` in `status` straight into the log, as the dispatcher would have left it
 * after one attempt (a `sending` one holds its send deadline), for tests of what happens to it next.
 */
export async function insertDelivery(
  t: TestApp,
  id: string,
  kind: ChannelKind,
  status: DeliveryStatus,
  /** The paging drill this test page belongs to. */
  drillId?: string,
): Promise<DeliveriesTable> {
  const now = t.clock.now();
  const row: DeliveriesTable = {
    id,
    incident_id: null,
    kind: 'test',
    event: 'notice',
    user_id: null,
    contact_method_id: null,
    channel_id: null,
    channel_kind: kind,
    destination: `cm:${id}`,
    status,
    attempts: 1,
    next_attempt_at: now,
    send_deadline_at: status === 'sending' ? ((now + 15_000) as EpochMs) : null,
    provider_message_id: null,
    provider_status: null,
    provider_status_at: null,
    dedup_key: drillId === undefined ? id : `test:${drillId}:${id}`,
    bundle_id: null,
    payload: JSON.stringify(drillId === undefined ? {} : { drillId }),
    reason: null,
    step: null,
    round: null,
    created_at: now,
    updated_at: now,
    sent_at: null,
  };
  await t.tdb.storage.db.insertInto('deliveries').values(row).execute();
  return row;
}
