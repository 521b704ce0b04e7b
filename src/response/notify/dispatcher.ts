import { appendTimeline, servicesInMaintenance } from '../../alerting/index.ts';
import { tryAcquireLease, type RunnerLoop } from '../../jobs/index.ts';
import type { EpochMs } from '../../platform/clock.ts';
import type { HttpSender } from '../../platform/net/outbound.ts';
import { inTx, queryTemplate, type Ctx } from '../../storage/index.ts';
import type { ChannelKind, DeliveriesTable } from '../../storage/schema.ts';
import type { Notifier } from '../channels/notifier.ts';
import { runPipeline } from './pipeline.ts';
import type { Outgoing, StageResult } from './pipeline-types.ts';
import { recipientLabels, recordOutcome, recoverOrphans } from './record.ts';
import { sendOne, sendPass } from './send.ts';
import { DEFAULT_THROTTLE_LIMITS } from './throttle-limits.ts';

const LEASE = 'notify.dispatcher';
const LEASE_TTL_MS = 30_000;
const BATCH = 500;
const ORPHAN_CHECK_MS = 1000;
/** Lanes sent at once; a slow target (up to the send timeout) holds up only its own lanes. */
const PARALLEL_LANES = 64;

export interface DispatcherDeps {
  readonly owner: string;
  readonly notifiers: ReadonlyMap<ChannelKind, Notifier>;
  readonly http: HttpSender;
}

type Due = DeliveriesTable & {
  readonly incident_status: 'triggered' | 'acknowledged' | 'resolved' | null;
  readonly service_id: string | null;
  /** When the delivery's contact method expired after the delivery was planned (its destination is gone). */
  readonly method_expired_at: EpochMs | null;
};

/** The delivery row without what the due read joined to it. */
function plainDelivery(d: Due): DeliveriesTable {
  const { incident_status: _s, service_id: _v, method_expired_at: _e, ...row } = d;
  return row;
}

/**
 * The one sender of notifications: claims due deliveries, runs the pipeline (stale, mute, dedup, order, throttle
 * and bundle), marks the survivors `sending` (commit), calls the channels outside any transaction, and records
 * each outcome. One node at a time holds its lease (throttles and bundles need one view of the queue); the
 * pending → sending compare-and-set keeps two overlapping holders from sending the same delivery.
 */
export function createDispatcher(deps: DispatcherDeps): RunnerLoop {
  let holding = false;
  let renewedAt = 0;
  let orphansCheckedAt = 0;
  const inFlight = new Set<string>();
  return {
    name: 'notify.dispatcher',
    async runOnce(ctx) {
      const now = ctx.clock.now();
      // Renewed every third of its TTL, not on every run: under load the dispatcher runs many times a second.
      const renew = !holding || now - renewedAt >= LEASE_TTL_MS / 3;
      if (renew) {
        const held = await tryAcquireLease(ctx.db, {
          name: LEASE,
          owner: deps.owner,
          ttlMs: LEASE_TTL_MS,
          now,
        });
        if (!held) {
          holding = false;
          return { worked: 0, nextDueAt: (now + LEASE_TTL_MS / 3) as EpochMs };
        }
        renewedAt = now;
      }
      // Taking the lease over means whatever is `sending` belongs to a holder that stopped (crash, kill -9).
      // Holding it, a send is orphaned only past its deadline (seconds away): a look once a second will do.
      let recovered = 0;
      if (!holding || now - orphansCheckedAt >= ORPHAN_CHECK_MS) {
        recovered = await recoverOrphans(ctx, deps.notifiers, { all: !holding, exclude: inFlight });
        orphansCheckedAt = now;
      }
      holding = true;
      const batch = await loadDue(ctx, now);
      if (batch.length === 0) return { worked: recovered, nextDueAt: await nextDueAt(ctx) };
      const toSend = await decide(ctx, batch, now);
      await sendAll(ctx, deps, toSend, inFlight);
      return { worked: Math.max(1, recovered + toSend.length), nextDueAt: now };
    },
  };
}

/** Every pass of the dispatcher reads this: compiled once (storage/templates.ts). */
const selectDue = queryTemplate((db, a: { now: EpochMs }) =>
  db
    .selectFrom('deliveries')
    .leftJoin('incidents', 'incidents.id', 'deliveries.incident_id')
    .leftJoin('contact_methods', 'contact_methods.id', 'deliveries.contact_method_id')
    .selectAll('deliveries')
    .select([
      'incidents.status as incident_status',
      'incidents.service_id as service_id',
      'contact_methods.expired_at as method_expired_at',
    ])
    .where('deliveries.status', '=', 'pending')
    .where('deliveries.next_attempt_at', '<=', a.now)
    .orderBy('deliveries.next_attempt_at')
    .orderBy('deliveries.created_at')
    .limit(BATCH),
);

async function loadDue(ctx: Ctx, now: EpochMs): Promise<Due[]> {
  return (await selectDue.run(ctx, { now })).rows;
}

async function nextDueAt(ctx: Ctx): Promise<EpochMs | null> {
  const row = await ctx.db
    .selectFrom('deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('at'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? null : (Number(row.at) as EpochMs);
}

const toOutgoing = (d: Due): Outgoing => ({
  id: d.id,
  kind: d.kind,
  event: d.event,
  incidentId: d.incident_id,
  incidentStatus: d.incident_status,
  serviceId: d.service_id,
  userId: d.user_id,
  destination: d.destination,
  channelKind: d.channel_kind,
  step: d.step,
  round: d.round,
  createdAt: d.created_at,
  attempts: d.attempts,
});

/**
 * Per destination and incident, messages go out in the order they were decided (triggered → acknowledged →
 * resolved): a delivery waits while an earlier one to the same place about the same incident is unfinished.
 */
async function heldBack(ctx: Ctx, batch: readonly Due[]): Promise<Map<string, EpochMs>> {
  const incidents = [...new Set(batch.flatMap((d) => (d.incident_id ? [d.incident_id] : [])))];
  if (incidents.length === 0) return new Map();
  const inBatch = new Set(batch.map((d) => d.id));
  const open = await ctx.db
    .selectFrom('deliveries')
    .select(['id', 'incident_id', 'destination', 'created_at', 'status', 'next_attempt_at'])
    .where('incident_id', 'in', incidents)
    .where('status', 'in', ['pending', 'sending'])
    .execute();
  const now = ctx.clock.now();
  const held = new Map<string, EpochMs>();
  for (const d of batch) {
    if (!d.incident_id) continue;
    for (const o of open) {
      if (inBatch.has(o.id) || o.incident_id !== d.incident_id || o.destination !== d.destination) continue;
      if (o.created_at > d.created_at || (o.created_at === d.created_at && o.id > d.id)) continue;
      const until = (o.status === 'sending' ? now + 1000 : Math.max(o.next_attempt_at, now + 1)) as EpochMs;
      held.set(d.id, Math.max(held.get(d.id) ?? 0, until) as EpochMs);
    }
  }
  return held;
}

/** Runs the pipeline and persists its verdicts; returns the deliveries now marked `sending`, in send order. */
async function decide(ctx: Ctx, batch: readonly Due[], now: EpochMs): Promise<DeliveriesTable[]> {
  const held = await heldBack(ctx, batch);
  const ready = batch.filter((d) => !held.has(d.id));
  // Only destinations with a finite limit need their recent sends (webhooks have none), each read by its own
  // window through the (destination, sent_at) index: a storm to one destination must not make every pass scan it.
  const throttled = new Map<string, number>();
  for (const d of ready) {
    const limit = DEFAULT_THROTTLE_LIMITS[d.channel_kind];
    if (Number.isFinite(limit.count)) throttled.set(d.destination, limit.windowMs);
  }
  const recent: { destination: string; sent_at: EpochMs | null; updated_at: EpochMs; status: string }[] = [];
  for (const [destination, windowMs] of throttled) {
    recent.push(
      ...(await ctx.db
        .selectFrom('deliveries')
        .select(['destination', 'sent_at', 'updated_at', 'status'])
        .where('destination', '=', destination)
        .where('sent_at', '>=', (now - windowMs) as EpochMs)
        .where('status', '=', 'sent')
        .where('kind', 'not in', ['verification', 'test'])
        .execute()),
    );
  }
  if (throttled.size > 0)
    recent.push(
      ...(await ctx.db
        .selectFrom('deliveries')
        .select(['destination', 'sent_at', 'updated_at', 'status'])
        .where('status', '=', 'sending')
        .where('destination', 'in', [...throttled.keys()])
        .where('kind', 'not in', ['verification', 'test'])
        .execute()),
    );
  const recentSends = new Map<string, EpochMs[]>();
  for (const r of recent) {
    const list = recentSends.get(r.destination) ?? [];
    list.push(r.status === 'sent' && r.sent_at !== null ? r.sent_at : r.updated_at);
    recentSends.set(r.destination, list);
  }
  const result: StageResult = runPipeline(ready.map(toOutgoing), {
    now,
    mutedServiceIds: await servicesInMaintenance(ctx, now),
    expiredDestinations: expiredDestinations(ready),
    recentSends,
    // The planner gives each decision one row; cross-batch dedup by (step, round) would wrongly drop the pages
    // of an escalation restarted after an un-acknowledge, so only same-batch duplicates are caught.
    recentKeys: new Map(),
    limits: DEFAULT_THROTTLE_LIMITS,
  });
  const byId = new Map(batch.map((d) => [d.id, d]));
  return inTx(ctx, async (tx) => {
    for (const [id, until] of held)
      await tx.db
        .updateTable('deliveries')
        .set({ next_attempt_at: until })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    for (const d of result.defer)
      await tx.db
        .updateTable('deliveries')
        .set({ next_attempt_at: d.until, reason: 'throttled', updated_at: now })
        .where('id', '=', d.id)
        .where('status', '=', 'pending')
        .execute();
    const bundleOf = new Map<string, string>();
    const bundles: DeliveriesTable[] = [];
    for (const b of result.bundles) {
      const first = byId.get(b.memberIds[0]!)!;
      const id = tx.ids.next('dlv');
      for (const m of b.memberIds) bundleOf.set(m, id);
      const row: DeliveriesTable = {
        ...plainDelivery(first),
        id,
        incident_id: null,
        kind: 'bundle',
        event: 'notice',
        status: 'sending',
        attempts: 1,
        next_attempt_at: now,
        send_deadline_at: (now + ctx.settings.notify.sendTimeoutMs + 5000) as EpochMs,
        provider_message_id: null,
        provider_status: null,
        provider_status_at: null,
        dedup_key: `bundle:${b.memberIds[0]!}`,
        bundle_id: null,
        payload: JSON.stringify({ members: b.memberIds }),
        reason: null,
        step: null,
        round: null,
        created_at: now,
        updated_at: now,
        sent_at: null,
      };
      await tx.db.insertInto('deliveries').values(row).execute();
      bundles.push(row);
    }
    for (const s of result.settle) {
      const d = byId.get(s.id)!;
      const changed = await tx.db
        .updateTable('deliveries')
        .set({ status: s.status, reason: s.reason, bundle_id: bundleOf.get(s.id) ?? null, updated_at: now })
        .where('id', '=', s.id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (changed.numUpdatedRows > 0n && d.incident_id)
        await appendTimeline(tx, {
          incidentId: d.incident_id,
          type: s.status === 'bundled' ? 'notification.bundled' : 'notification.suppressed',
          actor: { kind: 'system', reason: 'notify' },
          data: {
            deliveryId: d.id,
            channel: d.channel_kind,
            reason: s.reason,
            bundleId: bundleOf.get(s.id) ?? null,
          },
        });
    }
    // One compare-and-set for the whole batch: only rows still pending are ours to send.
    const claimed = new Set<string>();
    const keepIds = result.keep.map((k) => k.id);
    for (let i = 0; i < keepIds.length; i += 200) {
      const rows = await tx.db
        .updateTable('deliveries')
        .set((eb) => ({
          status: 'sending',
          attempts: eb('attempts', '+', 1),
          send_deadline_at: (now + ctx.settings.notify.sendTimeoutMs + 5000) as EpochMs,
          updated_at: now,
        }))
        .where('id', 'in', keepIds.slice(i, i + 200))
        .where('status', '=', 'pending')
        .returning('id')
        .execute();
      for (const r of rows) claimed.add(r.id);
    }
    const sending: DeliveriesTable[] = [];
    for (const k of result.keep) {
      if (!claimed.has(k.id)) continue;
      const row = plainDelivery(byId.get(k.id)!);
      sending.push({ ...row, status: 'sending', attempts: row.attempts + 1 });
    }
    return [...sending, ...bundles];
  });
}

/** The destinations of the batch whose contact method expired after the delivery was planned (read with it). */
const expiredDestinations = (batch: readonly Due[]): Set<string> =>
  new Set(batch.filter((d) => d.method_expired_at !== null).map((d) => d.destination));

/**
 * Lanes side by side, each lane's messages one after another. At most PARALLEL_LANES provider calls are open at
 * once (a slow target holds up only its own lane); recording an outcome does not hold a call slot, so the next
 * lane's send starts while the last outcome waits for its commit (outcomes that finish together share one).
 */
async function sendAll(
  ctx: Ctx,
  deps: DispatcherDeps,
  deliveries: readonly DeliveriesTable[],
  inFlight: Set<string>,
): Promise<void> {
  // Order matters per incident and destination (triggered before acknowledged before resolved), so that is the
  // unit sent one after another; different incidents to one destination go side by side.
  const queues = new Map<string, DeliveriesTable[]>();
  for (const d of deliveries) {
    const lane = `${d.destination}|${d.incident_id ?? d.id}`;
    const q = queues.get(lane) ?? [];
    q.push(d);
    queues.set(lane, q);
  }
  const labels = await recipientLabels(ctx, deliveries);
  const pass = sendPass(ctx, deliveries);
  const calls = limitConcurrency(PARALLEL_LANES);
  await Promise.all(
    [...queues.values()].map(async (lane) => {
      for (const d of lane) {
        inFlight.add(d.id);
        try {
          const sent = await calls(() => sendOne(ctx, deps, d, pass));
          await recordOutcome(ctx, deps.notifiers, d, sent, labels);
          ctx.metrics?.notificationSent(d.channel_kind, sent.outcome.status, sent.latencyMs / 1000);
        } finally {
          inFlight.delete(d.id);
        }
      }
    }),
  );
}

/** Runs at most `max` of the functions given to it at once, the rest in the order they came. */
function limitConcurrency(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    // A finishing call hands its slot straight to the first waiter, so nobody arriving meanwhile can take it.
    if (running < max) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
