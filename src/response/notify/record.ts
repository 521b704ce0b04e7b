import { appendTimeline } from '../../alerting/index.ts';
import { MINUTE, SECOND, type EpochMs } from '../../platform/clock.ts';
import { groupCommit, queryTemplate, type Ctx } from '../../storage/index.ts';
import type {
  ChannelKind,
  DeliveriesTable,
  DeliveryAttemptsTable,
  DeliveryStatus,
} from '../../storage/schema.ts';
import type { Notifier } from '../channels/notifier.ts';
import { classifyTwilioStatus, twilioFailureReason } from '../channels/twilio-status.ts';
import { settleDrill } from '../drills/drills.ts';
import { expireContactMethod, type ExpiredContactMethod } from '../people/index.ts';
import type { SendResult } from './send.ts';

/** Exponential from 5 s, capped at 5 min, with ±20 % jitter so retries of many deliveries do not stampede. */
export function retryDelayMs(attempt: number, random: () => number): number {
  const base = Math.min(5 * MINUTE, 5 * SECOND * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

interface Verdict {
  readonly status: DeliveryStatus;
  readonly nextAttemptAt: EpochMs | null;
  readonly reason: string | null;
}

function verdictFor(ctx: Ctx, notifier: Notifier | undefined, d: DeliveriesTable, r: SendResult): Verdict {
  const now = ctx.clock.now();
  const o = r.outcome;
  if (o.status === 'sent') return { status: 'sent', nextAttemptAt: null, reason: null };
  if (o.status === 'failed_permanent') return { status: 'failed', nextAttemptAt: null, reason: o.reason };
  // The provider may have acted on it (timeout after the request went out): SMS and voice are not sent twice.
  if (o.maybeDelivered && notifier && !notifier.capabilities.resendWhenUnknown)
    return {
      status: 'unknown',
      nextAttemptAt: null,
      reason: `${o.reason}; outcome unknown, not re-sent (${d.channel_kind})`,
    };
  if (d.attempts >= ctx.settings.notify.maxAttempts)
    return {
      status: 'failed',
      nextAttemptAt: null,
      reason: `${o.reason}; gave up after ${d.attempts} attempts`,
    };
  const wait = Math.max(retryDelayMs(d.attempts, ctx.random), o.retryAfterMs ?? 0);
  return { status: 'pending', nextAttemptAt: (now + wait) as EpochMs, reason: o.reason };
}

async function recipientLabel(ctx: Ctx, d: DeliveriesTable): Promise<string> {
  if (d.user_id) {
    const u = await ctx.db.selectFrom('users').select('name').where('id', '=', d.user_id).executeTakeFirst();
    return u?.name ?? d.user_id;
  }
  if (d.channel_id) {
    const c = await ctx.db
      .selectFrom('channels')
      .select('name')
      .where('id', '=', d.channel_id)
      .executeTakeFirst();
    return c?.name ?? d.channel_id;
  }
  return d.destination;
}

/**
 * Records one attempt: the delivery's new state, an attempt row, and the incident's timeline, in one transaction.
 * Outcomes of sends that finish together (the dispatcher sends many side by side) share that transaction.
 */
export function recordOutcome(
  ctx: Ctx,
  notifiers: ReadonlyMap<ChannelKind, Notifier>,
  d: DeliveriesTable,
  r: SendResult,
  /** Person and channel names by id, when the caller already has them (one query per pass, not per send). */
  labels?: ReadonlyMap<string, string>,
): Promise<void> {
  return submitOutcome(ctx, { v: verdictFor(ctx, notifiers.get(d.channel_kind), d, r), d, r, labels });
}

interface Outcome {
  readonly v: Verdict;
  readonly d: DeliveriesTable;
  readonly r: SendResult;
  readonly labels: ReadonlyMap<string, string> | undefined;
}

const submitOutcome = groupCommit<Outcome, void>({ apply: writeOutcome });

/** One row per attempt of every notification: compiled once (storage/templates.ts). */
const insertAttempt = queryTemplate(
  (db, row: DeliveryAttemptsTable) => db.insertInto('delivery_attempts').values(row),
  [
    'id',
    'delivery_id',
    'attempt',
    'started_at',
    'latency_ms',
    'outcome',
    'status_code',
    'error',
    'next_attempt_at',
  ],
);

/** The outcome of nearly every send: compiled once (storage/templates.ts); other outcomes are built below. */
const markSent = queryTemplate(
  (db, a: { id: string; reason: string | null; now: EpochMs; providerId: string | null }) =>
    db
      .updateTable('deliveries')
      .set({
        status: 'sent',
        reason: a.reason,
        updated_at: a.now,
        send_deadline_at: null,
        sent_at: a.now,
        provider_message_id: a.providerId,
      })
      .where('id', '=', a.id)
      .where('status', '=', 'sending')
      .returning('provider_status'),
);

async function writeOutcome(tx: Ctx, { v, d, r, labels }: Outcome): Promise<void> {
  const now = tx.clock.now();
  const providerId = r.outcome.status === 'sent' ? (r.outcome.providerMessageId ?? null) : null;
  // A sent verdict never carries a retry time (verdictFor), so the compiled statement covers every send.
  const changed =
    v.status === 'sent'
      ? (await markSent.run(tx, { id: d.id, reason: v.reason, now, providerId })).rows[0]
      : await tx.db
          .updateTable('deliveries')
          .set({
            status: v.status,
            reason: v.reason,
            updated_at: now,
            send_deadline_at: null,
            ...(v.nextAttemptAt !== null ? { next_attempt_at: v.nextAttemptAt } : {}),
          })
          .where('id', '=', d.id)
          .where('status', '=', 'sending')
          .returning('provider_status')
          .executeTakeFirst();
  if (!changed) return; // recovered by another holder meanwhile: its record stands
  await insertAttempt.run(tx, {
    id: tx.ids.next('dat'),
    delivery_id: d.id,
    attempt: d.attempts,
    started_at: r.startedAt,
    latency_ms: r.latencyMs,
    outcome: r.outcome.status === 'failed_temporary' && v.status === 'unknown' ? 'unknown' : r.outcome.status,
    status_code: r.outcome.statusCode ?? null,
    error: r.outcome.status === 'sent' ? null : r.outcome.reason.slice(0, 1000),
    next_attempt_at: v.nextAttemptAt,
  });
  // The provider said the destination is gone (a push subscription answered 404/410): its contact method expires
  // with this outcome, so that nothing pages it again until its owner subscribes again.
  const expired =
    r.outcome.status === 'failed_permanent' && r.outcome.destinationGone === true && d.contact_method_id
      ? await expireContactMethod(tx, d.contact_method_id, expiryReason(d, r.outcome))
      : null;
  const known = labels?.get(d.user_id ?? d.channel_id ?? '');
  if (d.incident_id) {
    const base = { ...(await timelineBase(tx, d, known)), latencyMs: r.latencyMs };
    const expiry = expired
      ? {
          contactMethod: { id: expired.id, name: expired.name, expired: true },
          warning: expiryWarning(d, expired, base.to),
        }
      : {};
    await outcomeTimeline(tx, d.incident_id, v, base, expiry);
  }
  const early = earlyReport(d.channel_kind, v.status, changed.provider_status);
  if (early) await failReportedDelivery(tx, d, early, known);
  if (v.status !== 'pending') await settleTestPage(tx, d);
}

/** A paging drill's test message reached a final state (or a later one): the drill's result follows it. */
async function settleTestPage(tx: Ctx, d: DeliveriesTable): Promise<void> {
  if (d.kind !== 'test') return;
  const drillId = (JSON.parse(d.payload) as { drillId?: string }).drillId;
  if (drillId) await settleDrill(tx, drillId);
}

async function outcomeTimeline(
  tx: Ctx,
  incidentId: string,
  v: Verdict,
  base: Record<string, unknown>,
  /** On a permanent failure that expired the contact method: which, and the warning for responders. */
  expiry: Record<string, unknown>,
): Promise<void> {
  const actor = { kind: 'system' as const, reason: 'notify' };
  if (v.status === 'sent')
    await appendTimeline(tx, { incidentId, type: 'notification.sent', actor, data: base });
  else if (v.status === 'unknown')
    await appendTimeline(tx, {
      incidentId,
      type: 'notification.unknown',
      actor,
      data: { ...base, warning: v.reason },
    });
  else
    await appendTimeline(tx, {
      incidentId,
      type: 'notification.failed',
      actor,
      data: {
        ...base,
        reason: v.reason,
        final: v.status === 'failed',
        nextAttemptAt: v.nextAttemptAt === null ? null : new Date(v.nextAttemptAt).toISOString(),
        ...expiry,
      },
    });
}

/** What every timeline entry about a delivery's outcome says about the delivery; `to` when the caller knows it. */
async function timelineBase(tx: Ctx, d: DeliveriesTable, to: string | undefined) {
  return {
    deliveryId: d.id,
    channel: d.channel_kind,
    kind: d.kind,
    event: d.event,
    to: to ?? (await recipientLabel(tx, d)),
    attempt: d.attempts,
  };
}

/** What the owner reads on the method: the provider's answer in a few words. */
function expiryReason(d: DeliveriesTable, o: { reason: string; statusCode?: number }): string {
  if (d.channel_kind === 'push' && o.statusCode !== undefined)
    return `the push service answered HTTP ${o.statusCode}: the subscription expired or was unsubscribed`;
  return o.reason.slice(0, 300);
}

/** The incident's responders read that this person will not be paged there again, and whether anywhere else. */
function expiryWarning(d: DeliveriesTable, m: ExpiredContactMethod, person: string): string {
  const what =
    d.channel_kind === 'push'
      ? `${person}’s “${m.name}” stopped accepting notifications: it is not paged again until ${person} re-enables push there`
      : `${person}’s “${m.name}” no longer exists at the provider: it is not paged again until ${person} sets it up again`;
  return m.ownerUnreachable
    ? `${what}; ${person} has no other contact method that pages them`
    : `${what}; ${person}’s other contact methods are still paged`;
}

/**
 * A status callback can beat the send's own record (Twilio reports `failed` before our commit): the callback
 * stored the provider's status on the row while it was still `sending`, and the delivery fails once the send is
 * recorded as sent (or unknown). The error code of that report is not kept; the status says what happened.
 */
function earlyReport(
  channel: ChannelKind,
  status: DeliveryStatus,
  providerStatus: string | null,
): { providerStatus: string; reason: string } | undefined {
  if (providerStatus === null || (status !== 'sent' && status !== 'unknown')) return undefined;
  if (channel !== 'sms' && channel !== 'voice') return undefined;
  if (!classifyTwilioStatus(channel, providerStatus)?.failed) return undefined;
  return { providerStatus, reason: twilioFailureReason(channel, providerStatus, undefined) };
}

/**
 * A delivery the provider accepted and later reported as not delivered (Twilio: `undelivered`, `failed`, `busy`,
 * `no-answer`, `canceled`) fails for good, and the incident's timeline says so as it does for any permanent
 * failure. Only a `sent` or `unknown` delivery changes; returns whether this one did.
 */
export async function failReportedDelivery(
  tx: Ctx,
  d: DeliveriesTable,
  report: { readonly providerStatus: string; readonly reason: string },
  to?: string,
): Promise<boolean> {
  const changed = await tx.db
    .updateTable('deliveries')
    .set({ status: 'failed', reason: report.reason, updated_at: tx.clock.now() })
    .where('id', '=', d.id)
    .where('status', 'in', ['sent', 'unknown'])
    .executeTakeFirst();
  if (changed.numUpdatedRows === 0n) return false;
  // A drill that passed on Twilio's acceptance did not pass if the message never arrived.
  await settleTestPage(tx, d);
  if (!d.incident_id) return true;
  await appendTimeline(tx, {
    incidentId: d.incident_id,
    type: 'notification.failed',
    actor: { kind: 'system', reason: 'notify' },
    data: {
      ...(await timelineBase(tx, d, to)),
      reason: report.reason,
      providerStatus: report.providerStatus,
      final: true,
      nextAttemptAt: null,
    },
  });
  return true;
}

/**
 * Deliveries left `sending` by a holder that stopped between calling the provider and recording the outcome.
 * Channels that may repeat (e-mail, chat, webhooks: the re-send carries the same id) go back to pending; SMS and
 * voice become `unknown` with a warning on the timeline, never sent twice. `all` is set when this node has just
 * taken the lease (everything `sending` is an orphan); otherwise only rows past their send deadline are.
 */
export async function recoverOrphans(
  ctx: Ctx,
  notifiers: ReadonlyMap<ChannelKind, Notifier>,
  opts: { all: boolean; exclude: ReadonlySet<string> },
): Promise<number> {
  const now = ctx.clock.now();
  let q = ctx.db.selectFrom('deliveries').selectAll().where('status', '=', 'sending');
  if (!opts.all) q = q.where('send_deadline_at', '<', now);
  const orphans = (await q.limit(500).execute()).filter((d) => !opts.exclude.has(d.id));
  for (const d of orphans) {
    const resend = notifiers.get(d.channel_kind)?.capabilities.resendWhenUnknown ?? true;
    await recordOutcome(ctx, notifiers, d, {
      startedAt: d.updated_at,
      latencyMs: 0,
      outcome: {
        status: 'failed_temporary',
        reason: 'no outcome was recorded for the last attempt (the server stopped while sending)',
        maybeDelivered: !resend,
      },
    });
  }
  return orphans.length;
}

/** Names of the people and channels a pass sends to, for the timeline entries its outcomes write. */
export async function recipientLabels(
  ctx: Ctx,
  deliveries: readonly DeliveriesTable[],
): Promise<Map<string, string>> {
  const userIds = [...new Set(deliveries.flatMap((d) => (d.user_id ? [d.user_id] : [])))];
  const channelIds = [...new Set(deliveries.flatMap((d) => (d.channel_id ? [d.channel_id] : [])))];
  const users = userIds.length
    ? await ctx.db.selectFrom('users').select(['id', 'name']).where('id', 'in', userIds).execute()
    : [];
  const channels = channelIds.length
    ? await ctx.db.selectFrom('channels').select(['id', 'name']).where('id', 'in', channelIds).execute()
    : [];
  return new Map([...users, ...channels].map((x) => [x.id, x.name]));
}
