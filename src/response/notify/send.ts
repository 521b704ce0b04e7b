import type { EpochMs } from '../../platform/clock.ts';
import type { Ctx } from '../../storage/index.ts';
import type { DeliveriesTable } from '../../storage/schema.ts';
import { withDeadline } from '../../platform/net/deadline.ts';
import { actionToken } from '../actions/action-token.ts';
import type { Destination, OutboundMessage, SendOutcome } from '../channels/notifier.ts';
import { channelDestination } from '../channels/channels.ts';
import { contactDestination, verificationCodeOf } from '../people/index.ts';
import type { DispatcherDeps } from './dispatcher.ts';
import { renderMessage, type IncidentWithService } from './message.ts';

export interface SendResult {
  readonly outcome: SendOutcome;
  readonly startedAt: EpochMs;
  readonly latencyMs: number;
}

export const actionUrl = (publicUrl: string, token: string): string =>
  `${publicUrl.replace(/\/$/, '')}/api/v1/actions/${token}`;

async function loadIncidents(ctx: Ctx, ids: readonly string[]): Promise<IncidentWithService[]> {
  if (ids.length === 0) return [];
  return ctx.db
    .selectFrom('incidents')
    .innerJoin('services', 'services.id', 'incidents.service_id')
    .selectAll('incidents')
    .select('services.name as service_name')
    .where('incidents.id', 'in', ids)
    .orderBy('incidents.number', 'desc')
    .execute();
}

/**
 * What the sends of one dispatcher pass look up, each read once for the pass: the incidents (one query), the
 * recipients, and every channel's or contact method's destination (secrets opened once).
 */
export interface SendPass {
  incident(id: string): Promise<IncidentWithService | undefined>;
  recipient(userId: string): Promise<{ id: string; name: string } | undefined>;
  destination(d: DeliveriesTable): Promise<Destination | null>;
}

export function sendPass(ctx: Ctx, deliveries: readonly DeliveriesTable[]): SendPass {
  let incidents: Promise<Map<string, IncidentWithService>> | undefined;
  const once = new Map<string, Promise<unknown>>();
  const memo = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let p = once.get(key) as Promise<T> | undefined;
    if (!p) once.set(key, (p = load()));
    return p;
  };
  return {
    async incident(id) {
      incidents ??= loadIncidents(ctx, [
        ...new Set(deliveries.flatMap((d) => (d.incident_id ? [d.incident_id] : []))),
      ]).then((rows) => new Map(rows.map((r) => [r.id, r])));
      return (await incidents).get(id) ?? (await loadIncidents(ctx, [id]))[0];
    },
    recipient: (userId) =>
      memo(`user:${userId}`, () =>
        ctx.db.selectFrom('users').select(['id', 'name']).where('id', '=', userId).executeTakeFirst(),
      ),
    destination(d) {
      if (d.contact_method_id) {
        const id = d.contact_method_id;
        return memo(`contact:${id}`, () => contactDestination(ctx, id));
      }
      if (d.channel_id) {
        const id = d.channel_id;
        return memo(`channel:${id}`, () => channelDestination(ctx, id));
      }
      return Promise.resolve(null);
    },
  };
}

async function buildMessage(ctx: Ctx, d: DeliveriesTable, pass: SendPass): Promise<OutboundMessage> {
  const publicUrl = ctx.settings.publicUrl;
  const incident = d.incident_id ? await pass.incident(d.incident_id) : undefined;
  const recipient = d.user_id ? await pass.recipient(d.user_id) : undefined;
  let bundle: IncidentWithService[] | undefined;
  if (d.kind === 'bundle') {
    const members = (JSON.parse(d.payload) as { members?: string[] }).members ?? [];
    const ids = await ctx.db
      .selectFrom('deliveries')
      .select('incident_id')
      .distinct()
      .where('id', 'in', members.length > 0 ? members : [''])
      .execute();
    bundle = await loadIncidents(
      ctx,
      ids.flatMap((r) => (r.incident_id ? [r.incident_id] : [])),
    );
  }
  // Every message about a triggered incident carries its one-click actions: links, buttons, keypresses and
  // replies all come back through the same tokens (a webhook receiver may offer them to people too).
  const actionable = incident?.status === 'triggered' && d.event === 'triggered';
  const action = (a: 'acknowledge' | 'resolve') => {
    const token = actionToken(ctx, d.id, a);
    return { token, url: actionUrl(publicUrl, token) };
  };
  return renderMessage({
    delivery: d,
    publicUrl,
    incident,
    recipient: recipient ? { userId: recipient.id, name: recipient.name } : undefined,
    bundle,
    code: d.kind === 'verification' ? verificationCodeOf(ctx, d.payload) : undefined,
    actions: actionable ? { acknowledge: action('acknowledge'), resolve: action('resolve') } : undefined,
  });
}

/** One provider call for one delivery, outside any transaction, within the send timeout. Never throws. */
export async function sendOne(
  ctx: Ctx,
  deps: DispatcherDeps,
  d: DeliveriesTable,
  pass: SendPass = sendPass(ctx, [d]),
): Promise<SendResult> {
  const startedAt = ctx.clock.now();
  const t0 = performance.now();
  const done = (outcome: SendOutcome): SendResult => ({
    outcome,
    startedAt,
    latencyMs: Math.round(performance.now() - t0),
  });
  const notifier = deps.notifiers.get(d.channel_kind);
  if (!notifier)
    return done({
      status: 'failed_permanent',
      reason: `no ${d.channel_kind} provider is configured on this server (see docs/operations/channels.md)`,
    });
  try {
    const dest = await pass.destination(d);
    if (!dest)
      return done({ status: 'failed_permanent', reason: 'the contact method or channel no longer exists' });
    const message = await buildMessage(ctx, d, pass);
    const timeoutMs = ctx.settings.notify.sendTimeoutMs;
    return done(
      await withDeadline(timeoutMs, undefined, (signal) =>
        notifier.send(message, dest, { http: deps.http, signal, timeoutMs, now: startedAt }),
      ),
    );
  } catch (err) {
    // A notifier returns outcomes for expected failures; a throw is a bug, retried like a temporary failure.
    ctx.log.error({ err, deliveryId: d.id }, 'notifier threw; treating it as a temporary failure');
    return done({ status: 'failed_temporary', reason: `internal error: ${(err as Error).message}` });
  }
}
