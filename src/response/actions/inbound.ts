import { findUserById, userActor } from '../../identity/index.ts';
import type { Ctx } from '../../storage/index.ts';
import { actOnDelivery, actOnToken, type ActResult } from './act.ts';
import type { IncidentAction } from './action-token.ts';

/**
 * Replies that come back through a provider (an SMS answer, a Slack button in a shared channel) name a phone
 * number or a chat account, not a Siaga user: the person is whoever verified that address as a contact method.
 */
async function userByVerifiedAddress(
  ctx: Ctx,
  kinds: readonly ('sms' | 'voice' | 'slack_dm')[],
  address: string,
) {
  const cm = await ctx.db
    .selectFrom('contact_methods')
    .select(['id', 'user_id'])
    .where('kind', 'in', kinds)
    .where('address', '=', address)
    .where('verified_at', 'is not', null)
    .orderBy('created_at')
    .executeTakeFirst();
  return cm ?? null;
}

export type InboundResult = { ok: true; result: ActResult } | { ok: false; message: string };

/** `a 42` from a phone number: acknowledges incident 42 if that number's owner was paged for it by SMS or voice. */
export async function actOnSmsReply(
  ctx: Ctx,
  input: { from: string; action: IncidentAction; incidentNumber: number },
): Promise<InboundResult> {
  const cms = await ctx.db
    .selectFrom('contact_methods')
    .select('id')
    .where('kind', 'in', ['sms', 'voice'])
    .where('address', '=', input.from)
    .where('verified_at', 'is not', null)
    .execute();
  if (cms.length === 0) return { ok: false, message: 'This number is not a verified Siaga contact method.' };
  const delivery = await ctx.db
    .selectFrom('deliveries')
    .innerJoin('incidents', 'incidents.id', 'deliveries.incident_id')
    .select('deliveries.id')
    .where('incidents.number', '=', input.incidentNumber)
    .where(
      'deliveries.contact_method_id',
      'in',
      cms.map((c) => c.id),
    )
    .orderBy('deliveries.created_at', 'desc')
    .executeTakeFirst();
  if (!delivery) return { ok: false, message: `You were not paged for incident #${input.incidentNumber}.` };
  try {
    return {
      ok: true,
      result: await actOnDelivery(ctx, { deliveryId: delivery.id, action: input.action, via: 'sms' }),
    };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/** A Slack button: the token names the delivery; a message in a shared channel acts as the Slack user's Siaga account. */
export async function actOnSlackButton(
  ctx: Ctx,
  input: { token: string; slackUserId: string },
): Promise<InboundResult> {
  const cm = await userByVerifiedAddress(ctx, ['slack_dm'], input.slackUserId);
  const user = cm ? await findUserById(ctx.db, cm.user_id) : undefined;
  const actor = user && user.status === 'active' ? await userActor(ctx.db, user, 'token') : undefined;
  try {
    return { ok: true, result: await actOnToken(ctx, input.token, 'slack', actor) };
  } catch (err) {
    const message = (err as Error).message;
    return {
      ok: false,
      message: actor
        ? message
        : `${message}. To act from a shared channel, add your Slack user id as a Slack contact method in Siaga and verify it.`,
    };
  }
}
