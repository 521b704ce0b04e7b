import { queryTemplate } from '../../storage/index.ts';
import type { Ctx } from '../../storage/index.ts';
import type { EpochMs } from '../../platform/clock.ts';

/** Who caused a timeline entry, stored with it: people, API tokens, integrations or Siaga itself. */
export type TimelineActor =
  | { readonly kind: 'user'; readonly id: string; readonly name?: string }
  | { readonly kind: 'token'; readonly id: string }
  | { readonly kind: 'integration'; readonly id: string }
  | { readonly kind: 'source'; readonly source: string }
  | { readonly kind: 'system'; readonly reason: string };

export type TimelineType =
  | 'incident.opened'
  | 'incident.acknowledged'
  | 'incident.unacknowledged'
  | 'incident.resolved'
  | 'alert.joined'
  | 'alert.acknowledged'
  | 'alert.resolved'
  | 'alert.reopened'
  // Stage 3 (response) writes these; the timeline is one history per incident.
  | 'escalation.started'
  | 'escalation.no_policy'
  | 'escalation.step_started'
  | 'escalation.no_one_on_call'
  | 'escalation.unreachable'
  | 'escalation.exhausted'
  | 'escalation.stopped'
  | 'notification.sent'
  | 'notification.failed'
  | 'notification.unknown'
  | 'notification.suppressed'
  | 'notification.bundled';

const insertEvent = queryTemplate(
  (db, a: { id: string; incidentId: string; at: EpochMs; type: string; actor: string; data: string }) =>
    db.insertInto('timeline_events').values({
      id: a.id,
      incident_id: a.incidentId,
      at: a.at,
      type: a.type,
      actor: a.actor,
      data: a.data,
    }),
);

/** Appends to an incident's history; call it inside the transaction that makes the change it records. */
export async function appendTimeline(
  ctx: Ctx,
  entry: {
    incidentId: string;
    type: TimelineType;
    actor: TimelineActor;
    data: Record<string, unknown>;
    at?: EpochMs;
  },
): Promise<void> {
  await insertEvent.run(ctx, {
    id: ctx.ids.next('tle'),
    incidentId: entry.incidentId,
    at: entry.at ?? ctx.clock.now(),
    type: entry.type,
    actor: JSON.stringify(entry.actor),
    data: JSON.stringify(entry.data),
  });
}

/** The actor of a request, as the timeline records it. */
export function timelineActorOf(ctx: Ctx): TimelineActor {
  const a = ctx.actor;
  switch (a.kind) {
    case 'user':
      return a.tokenId ? { kind: 'token', id: a.tokenId } : { kind: 'user', id: a.userId, name: a.name };
    case 'service':
      return { kind: 'token', id: a.tokenId };
    case 'system':
      return { kind: 'system', reason: a.name };
    case 'integration':
      return { kind: 'integration', id: a.integrationId };
    case 'anonymous':
      return { kind: 'system', reason: 'anonymous' };
  }
}
