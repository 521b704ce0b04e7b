import { acknowledgeIncident, resolveIncident, type IncidentView } from '../../alerting/index.ts';
import { findUserById, userActor } from '../../identity/index.ts';
import type { Actor } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Ctx } from '../../storage/index.ts';
import { readActionToken, type IncidentAction } from './action-token.ts';

export interface ActResult {
  readonly action: IncidentAction;
  readonly incident: IncidentView;
}

/**
 * Acknowledges or resolves an incident on behalf of whoever a notification reached. The delivery names the
 * person; the action is recorded on the timeline with the channel it came through (`via`). A channel message
 * (a Slack room) names no person: `actor` then says who pressed the button, as the channel told us.
 */
export async function actOnDelivery(
  ctx: Ctx,
  input: { deliveryId: string; action: IncidentAction; via: string; actor?: Actor },
): Promise<ActResult> {
  const delivery = await ctx.db
    .selectFrom('deliveries')
    .select(['id', 'incident_id', 'user_id', 'channel_kind'])
    .where('id', '=', input.deliveryId)
    .executeTakeFirst();
  if (!delivery?.incident_id) throw notFound('delivery', input.deliveryId);
  let actor = input.actor;
  if (delivery.user_id) {
    const user = await findUserById(ctx.db, delivery.user_id);
    if (!user || user.status !== 'active')
      throw new AppError('forbidden', 'this person can no longer act on incidents');
    actor = await userActor(ctx.db, user, 'token');
  }
  if (!actor) throw new AppError('forbidden', 'nobody to act as: the message was not sent to a person');
  const as: Ctx = { ...ctx, actor };
  const via = { via: input.via };
  const incident =
    input.action === 'acknowledge'
      ? await acknowledgeIncident(as, delivery.incident_id, via)
      : await resolveIncident(as, delivery.incident_id, via);
  return { action: input.action, incident };
}

/** The same from a signed link or button token. */
export async function actOnToken(ctx: Ctx, token: string, via: string, actor?: Actor): Promise<ActResult> {
  const claims = readActionToken(ctx, token);
  if (!claims)
    throw new AppError(
      'validation',
      'this link is invalid or has expired; open the incident in Siaga instead',
    );
  return actOnDelivery(ctx, {
    deliveryId: claims.deliveryId,
    action: claims.action,
    via,
    ...(actor ? { actor } : {}),
  });
}
