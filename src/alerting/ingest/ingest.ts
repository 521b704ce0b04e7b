import type { EpochMs } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { groupCommit, inTx, type Ctx } from '../../storage/index.ts';
import type { AlertEvent, AlertSource } from '../events.ts';
import { loadServiceRules } from '../incidents/service-rules.ts';
import { timelineActorOf } from '../incidents/timeline.ts';
import { alertingConfig, type AlertingConfig } from '../config-cache.ts';
import { loadNoiseSnapshot } from '../noise/snapshot.ts';
import { evaluateRoutes } from '../routing/evaluate.ts';
import { applyEvent, type ApplyScope, type AppliedEvent } from './apply.ts';

export interface IngestInput {
  readonly source: AlertSource;
  /** The integration whose key the sender used; its service takes the alerts unless they are routed. */
  readonly integration?: { readonly id: string; readonly serviceId: string } | undefined;
  /**
   * Route by the routing rules (Alertmanager API v2); when no rule takes an alert it goes to the integration's
   * service if the sender used an integration key, else it stays unrouted (listed, but opens no incident).
   */
  readonly route?: boolean;
  readonly events: readonly AlertEvent[];
  /**
   * A signed webhook's signature: recorded in the same transaction as the alerts, so a replay inside the window
   * is refused while a retry after a failed (rolled back) attempt is still accepted.
   */
  readonly nonce?: { readonly key: string; readonly expiresAt: EpochMs } | undefined;
}

/**
 * Alert events become alerts, incidents and timeline entries in one transaction, and the promise settles only
 * after the commit: a 2xx to the sender means the alerts are on disk.
 *
 * On SQLite every write goes through one connection, so concurrent requests are committed together (group
 * commit): while one transaction runs, the requests that arrive queue up and the next transaction takes them
 * all. One commit then pays for many requests, and nobody waits on a timer. If a batch fails, its requests are
 * retried one by one, so one bad request cannot fail the others. PostgreSQL has a pool: each request gets its own
 * transaction, and concurrent identical triggers are settled by the unique indexes plus a retry.
 */
export async function ingestAlertEvents(ctx: Ctx, input: IngestInput): Promise<AppliedEvent[]> {
  if (input.events.length === 0) return [];
  const results =
    ctx.dialect === 'postgres' || ctx.tx
      ? await inTx(ctx, (tx) => applyAll(tx, input), { retryOnUniqueViolation: true })
      : await submitIngest(ctx, input);
  if (ctx.metrics) countOutcomes(ctx.metrics, input.source, results);
  return results;
}

/** One counter update per outcome, not per event: a request may carry hundreds of alerts. */
function countOutcomes(metrics: NonNullable<Ctx['metrics']>, source: AlertSource, results: AppliedEvent[]) {
  const counts = new Map<AppliedEvent['outcome'], number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  for (const [outcome, n] of counts) metrics.alertEvents(source, outcome, n);
}

/** SQLite's group commit of concurrent ingest requests (see above). */
const submitIngest = groupCommit<IngestInput, AppliedEvent[]>({
  apply: (tx, input) => applyAll(tx, input),
  weight: (input) => input.events.length,
  maxWeight: 5_000,
});

/** Per transaction: the configuration, the noise snapshot, and which integrations' last-event time was written. */
const scopes = new WeakMap<object, Promise<TxShared>>();

interface TxShared {
  readonly config: AlertingConfig;
  readonly noise: ApplyScope['noise'];
  readonly touched: Set<string>;
}

async function sharedFor(ctx: Ctx, now: EpochMs): Promise<TxShared> {
  const key = ctx.tx ?? ctx;
  let shared = scopes.get(key);
  if (!shared) {
    shared = (async () => ({
      config: await alertingConfig(ctx, now),
      noise: await loadNoiseSnapshot(ctx, now),
      touched: new Set<string>(),
    }))();
    scopes.set(key, shared);
  }
  return shared;
}

async function applyAll(ctx: Ctx, input: IngestInput): Promise<AppliedEvent[]> {
  const now = ctx.clock.now();
  if (input.nonce) {
    const fresh = await ctx.db
      .insertInto('inbound_nonces')
      .values({ key: input.nonce.key, expires_at: input.nonce.expiresAt })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    if (fresh.numInsertedOrUpdatedRows === 0n)
      throw new AppError(
        'unauthorized',
        'this signed request was already received (replay); sign each request anew',
      );
  }
  const shared = await sharedFor(ctx, now);
  const scope: ApplyScope = {
    now,
    source: input.source,
    integrationId: input.integration?.id ?? null,
    actor: timelineActorOf(ctx),
    noise: shared.noise,
    flap: ctx.settings.alerting.flap,
    rawRetentionMs: ctx.settings.alerting.rawRetentionMs,
    service: async (id) => shared.config.services.get(id) ?? loadServiceRules(ctx, id),
  };
  const results: AppliedEvent[] = [];
  for (const event of input.events) {
    if (input.route !== true && input.integration) {
      results.push(await applyEvent(ctx, scope, input.integration.serviceId, event));
      continue;
    }
    const decision = evaluateRoutes(shared.config.routes, event.labels);
    if (decision.targets.length === 0) {
      results.push(await applyEvent(ctx, scope, input.integration?.serviceId ?? null, event));
      continue;
    }
    for (const target of decision.targets) {
      const routed =
        target.setSeverity === null && Object.keys(target.setLabels).length === 0
          ? event
          : {
              ...event,
              severity: target.setSeverity ?? event.severity,
              labels: { ...event.labels, ...target.setLabels },
            };
      results.push(await applyEvent(ctx, scope, target.serviceId, routed));
    }
  }
  if (
    input.integration &&
    !shared.touched.has(input.integration.id) &&
    lastEventDue(ctx, input.integration.id, now)
  ) {
    shared.touched.add(input.integration.id);
    await ctx.db
      .updateTable('integrations')
      .set({ last_event_at: now })
      .where('id', '=', input.integration.id)
      .execute();
  }
  return results;
}

/** An integration's "last event" is written at most once a minute per node: it is a hint for people, not a log. */
function lastEventDue(ctx: Ctx, integrationId: string, now: EpochMs): boolean {
  const key = `integration.lastEvent:${integrationId}`;
  const last = ctx.memo.get(key) as number | undefined;
  if (last !== undefined && now - last < 60_000) return false;
  ctx.memo.set(key, now);
  return true;
}
