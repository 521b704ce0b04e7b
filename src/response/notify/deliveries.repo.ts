import type { EpochMs } from '../../platform/clock.ts';
import { afterCommit, queryTemplate, type Ctx } from '../../storage/index.ts';
import type { ChannelKind, DeliveriesTable, DeliveryEvent, DeliveryKind } from '../../storage/schema.ts';

export interface NewDelivery {
  readonly incidentId: string | null;
  readonly kind: DeliveryKind;
  readonly event: DeliveryEvent;
  readonly userId: string | null;
  readonly contactMethodId: string | null;
  readonly channelId: string | null;
  readonly channelKind: ChannelKind;
  readonly dueAt: EpochMs;
  /** One row per decision: a second insert with the same key is a no-op (handlers run at least once). */
  readonly dedupKey: string;
  readonly payload?: Record<string, unknown>;
  readonly step?: number;
  readonly round?: number;
}

export const destinationOf = (d: { contactMethodId: string | null; channelId: string | null }): string =>
  d.contactMethodId ? `cm:${d.contactMethodId}` : `ch:${d.channelId}`;

const DELIVERY_COLUMNS = [
  'id',
  'incident_id',
  'kind',
  'event',
  'user_id',
  'contact_method_id',
  'channel_id',
  'channel_kind',
  'destination',
  'status',
  'attempts',
  'next_attempt_at',
  'send_deadline_at',
  'provider_message_id',
  'provider_status',
  'provider_status_at',
  'dedup_key',
  'bundle_id',
  'payload',
  'reason',
  'step',
  'round',
  'created_at',
  'updated_at',
  'sent_at',
] as const satisfies readonly (keyof DeliveriesTable)[];

/** Every page decided is one of these: compiled once (storage/templates.ts). */
const insertDeliveryRow = queryTemplate(
  (db, row: DeliveriesTable) =>
    db
      .insertInto('deliveries')
      .values(row)
      .onConflict((oc) => oc.column('dedup_key').doNothing()),
  DELIVERY_COLUMNS,
);

/**
 * Writes a delivery in the caller's transaction (outbox and delivery log in one) and wakes the dispatcher once
 * the transaction commits. Returns false when the decision was already recorded.
 */
export async function insertDelivery(ctx: Ctx, d: NewDelivery): Promise<boolean> {
  const now = ctx.clock.now();
  const row: DeliveriesTable = {
    id: ctx.ids.next('dlv'),
    incident_id: d.incidentId,
    kind: d.kind,
    event: d.event,
    user_id: d.userId,
    contact_method_id: d.contactMethodId,
    channel_id: d.channelId,
    channel_kind: d.channelKind,
    destination: destinationOf(d),
    status: 'pending',
    attempts: 0,
    next_attempt_at: d.dueAt,
    send_deadline_at: null,
    provider_message_id: null,
    provider_status: null,
    provider_status_at: null,
    dedup_key: d.dedupKey,
    bundle_id: null,
    payload: JSON.stringify(d.payload ?? {}),
    reason: null,
    step: d.step ?? null,
    round: d.round ?? null,
    created_at: now,
    updated_at: now,
    sent_at: null,
  };
  const r = await insertDeliveryRow.run(ctx, row);
  if (r.numAffectedRows === 0n) return false;
  if (d.dueAt <= now + 1000) afterCommit(ctx, () => ctx.wakeJobs());
  return true;
}
