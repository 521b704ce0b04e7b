import { MINUTE, type EpochMs } from '../../platform/clock.ts';
import type { Ctx } from '../../storage/index.ts';
import type { ChannelKind, DeliveryEvent } from '../../storage/schema.ts';
import type { ChannelTarget, Person } from '../escalation/targets.ts';
import { expiredContactMethods, notificationPlan } from '../people/index.ts';
import { CHANNEL_CAPABILITIES } from '../channels/capabilities.ts';
import { insertDelivery } from './deliveries.repo.ts';

export interface PageScope {
  readonly incidentId: string;
  readonly urgency: 'high' | 'low';
  /** The escalation's fencing token at the time of the step: one page per (step run, person, rule). */
  readonly seq: number;
  readonly step: number;
  readonly round: number;
  readonly now: EpochMs;
}

/**
 * Pages each person by their notification rules for the incident's urgency (push now, SMS at +2 min...) and posts
 * to each channel. Returns the people who have no way to be reached, for the timeline's warning, with a note for
 * each of their expired methods (the likely reason: the only method was a browser that stopped taking pushes).
 */
export async function planPages(
  ctx: Ctx,
  scope: PageScope,
  people: readonly Person[],
  channels: readonly ChannelTarget[],
): Promise<{ unreachable: Person[]; unreachableNotes: string[]; deliveries: number }> {
  const unreachable: Person[] = [];
  const unreachableNotes: string[] = [];
  let deliveries = 0;
  for (const person of people) {
    const rules = await notificationPlan(ctx, person.id, scope.urgency);
    if (rules.length === 0) {
      unreachable.push(person);
      for (const m of await expiredContactMethods(ctx, person.id))
        unreachableNotes.push(
          m.kind === 'push'
            ? `${person.name}’s “${m.name}” stopped accepting notifications (its push subscription expired)`
            : `${person.name}’s “${m.name}” expired (it no longer exists at the provider)`,
        );
      continue;
    }
    for (const rule of rules) {
      const inserted = await insertDelivery(ctx, {
        incidentId: scope.incidentId,
        kind: 'page',
        event: 'triggered',
        userId: person.id,
        contactMethodId: rule.contactMethodId,
        channelId: null,
        channelKind: rule.channelKind,
        dueAt: (scope.now + rule.delayMinutes * MINUTE) as EpochMs,
        dedupKey: `page:${scope.incidentId}:${scope.seq}:${person.id}:${rule.contactMethodId}:${rule.delayMinutes}`,
        step: scope.step,
        round: scope.round,
      });
      if (inserted) deliveries++;
    }
  }
  // A channel is told about the incident's life (triggered, then acknowledged and resolved), not paged: its
  // message is a status update, which the stale stage does not drop when someone acknowledges quickly.
  for (const channel of channels) {
    const inserted = await insertDelivery(ctx, {
      incidentId: scope.incidentId,
      kind: 'status',
      event: 'triggered',
      userId: null,
      contactMethodId: null,
      channelId: channel.id,
      channelKind: channel.kind as ChannelKind,
      dueAt: scope.now,
      dedupKey: `status:${scope.incidentId}:triggered:ch:${channel.id}`,
      step: scope.step,
      round: scope.round,
    });
    if (inserted) deliveries++;
  }
  return { unreachable, unreachableNotes, deliveries };
}

/**
 * After an acknowledge or resolve: every destination that was told the incident triggered (and can carry
 * updates) is told what happened, once per event, in order after the earlier messages (the dispatcher keeps the
 * order per destination).
 */
export async function planStatusUpdates(
  ctx: Ctx,
  incidentId: string,
  event: Extract<DeliveryEvent, 'acknowledged' | 'resolved'>,
  now: EpochMs,
): Promise<number> {
  const told = await ctx.db
    .selectFrom('deliveries')
    .select(['destination', 'user_id', 'contact_method_id', 'channel_id', 'channel_kind'])
    .distinct()
    .where('incident_id', '=', incidentId)
    .where('event', '=', 'triggered')
    .where('status', 'in', ['sent', 'sending', 'unknown', 'pending'])
    .where((eb) => eb.or([eb('kind', '=', 'status'), eb('status', '<>', 'pending')]))
    .execute();
  let n = 0;
  for (const d of told) {
    if (!CHANNEL_CAPABILITIES[d.channel_kind].statusUpdates) continue;
    const inserted = await insertDelivery(ctx, {
      incidentId,
      kind: 'status',
      event,
      userId: d.user_id,
      contactMethodId: d.contact_method_id,
      channelId: d.channel_id,
      channelKind: d.channel_kind,
      dueAt: now,
      dedupKey: `status:${incidentId}:${event}:${d.destination}`,
    });
    if (inserted) n++;
  }
  return n;
}
