import { inTx, type Ctx } from '../../storage/index.ts';
import type { DeliveryStatus } from '../../storage/schema.ts';
import {
  classifyTwilioStatus,
  twilioFailureReason,
  type TwilioStatusClass,
  type TwilioStatusReport,
} from '../channels/twilio-status.ts';
import { failReportedDelivery } from './record.ts';

export type ProviderStatusResult = 'recorded' | 'ignored';

/** Deliveries a provider may still report on: being sent, sent, or sent with an outcome we never heard. */
const REPORTABLE: readonly DeliveryStatus[] = ['sending', 'sent', 'unknown'];

/**
 * Records what Twilio reported about an SMS or call after accepting it (its status callback), on the delivery it
 * belongs to: found by the delivery id Siaga put in the callback URL, or else by the message or call SID. The
 * delivery log keeps the latest status; a failed final status (`undelivered`, `failed`, `busy`, `no-answer`,
 * `canceled`) fails the delivery and shows on the incident. Repeated, stale and out-of-order reports change
 * nothing: a status only counts when it moves the delivery forward, and the first final status is the last word.
 *
 * The caller has verified the report's signature; an unknown status, delivery or SID is ignored, not an error
 * (Twilio would only retry it).
 */
export async function recordTwilioStatus(
  ctx: Ctx,
  input: { readonly deliveryId?: string | undefined; readonly report: TwilioStatusReport },
): Promise<ProviderStatusResult> {
  const incoming = classifyTwilioStatus(input.report.channel, input.report.status);
  if (!incoming) return 'ignored';
  // Two reports about one message can arrive at once (sent and delivered); the loser of the compare-and-set looks
  // again rather than dropping its news.
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await inTx(ctx, (tx) => applyReport(tx, input.deliveryId, input.report, incoming));
    if (result === 'recorded' && incoming.final)
      ctx.metrics?.notificationReported(input.report.channel, incoming.failed ? 'failed' : 'delivered');
    if (result !== 'raced') return result;
  }
  return 'ignored';
}

async function applyReport(
  tx: Ctx,
  deliveryId: string | undefined,
  report: TwilioStatusReport,
  incoming: TwilioStatusClass,
): Promise<ProviderStatusResult | 'raced'> {
  let q = tx.db.selectFrom('deliveries').selectAll().where('channel_kind', '=', report.channel);
  q =
    deliveryId === undefined
      ? q.where('provider_message_id', '=', report.sid)
      : q.where('id', '=', deliveryId);
  const d = await q.executeTakeFirst();
  if (!d || !REPORTABLE.includes(d.status)) return 'ignored';
  // Another message than the one this delivery settled on (an earlier attempt's, created despite an error).
  if (d.provider_message_id !== null && d.provider_message_id !== report.sid) return 'ignored';
  const recorded =
    d.provider_status === null ? undefined : classifyTwilioStatus(report.channel, d.provider_status);
  if (recorded && (recorded.final || recorded.rank >= incoming.rank)) return 'ignored';

  let update = tx.db
    .updateTable('deliveries')
    .set({
      provider_status: report.status,
      provider_status_at: tx.clock.now(),
      // An unknown outcome learns which message it was, so later reports about it are matched by SID too.
      ...(d.status === 'unknown' && d.provider_message_id === null
        ? { provider_message_id: report.sid }
        : {}),
    })
    .where('id', '=', d.id)
    .where('status', '=', d.status);
  update =
    d.provider_status === null
      ? update.where('provider_status', 'is', null)
      : update.where('provider_status', '=', d.provider_status);
  const changed = await update.executeTakeFirst();
  if (changed.numUpdatedRows === 0n) return 'raced';
  // While the row is still `sending`, recording the send settles it (record.ts reads the status stored here).
  if (incoming.failed && d.status !== 'sending')
    await failReportedDelivery(tx, d, {
      providerStatus: report.status,
      reason: twilioFailureReason(report.channel, report.status, report.errorCode),
    });
  return 'recorded';
}
