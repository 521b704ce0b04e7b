import { appendAudit } from '../../identity/index.ts';
import { systemActor } from '../../platform/context.ts';
import type { Ctx } from '../../storage/index.ts';
import { findContactMethodRow } from './contact-methods.repo.ts';
import type { ContactKind, ContactMethodRow } from './model.ts';
import { contactMethodAudit } from './views.ts';

/**
 * Contact methods whose destination is gone. A push service answers 404 or 410 when the browser's subscription no
 * longer exists (unsubscribed, site data cleared, the push service dropped it): every later message would fail the
 * same way, so the method expires. It stays verified and keeps its rules and its owner's enable/disable choice, but
 * nothing pages it (`notificationPlan`, drills, and the dispatcher for messages already queued) until it reaches
 * somewhere again: the browser renews its subscription (`renewPushSubscription`) or the owner subscribes it again
 * from the profile (the same renewal) or points it at a new subscription (`updateContactMethod`).
 */

export interface ExpiredContactMethod {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  /** The owner has no other verified, enabled, unexpired method that a notification rule uses. */
  readonly ownerUnreachable: boolean;
}

/** Who expires a method: the server, on the provider's answer (the audit log's actor). */
const EXPIRY_ACTOR = systemActor('notify');

/**
 * Marks the method expired, in the caller's transaction (the one recording the delivery's outcome), and audits it
 * with the system as the actor. Null when it is gone or was already expired: a second 410 (two sends in flight)
 * changes nothing and logs nothing.
 */
export async function expireContactMethod(
  ctx: Ctx,
  contactMethodId: string,
  reason: string,
): Promise<ExpiredContactMethod | null> {
  const before = await findContactMethodRow(ctx.db, contactMethodId);
  if (!before || before.expired_at !== null) return null;
  const now = ctx.clock.now();
  const changed = await ctx.db
    .updateTable('contact_methods')
    .set({ expired_at: now, expired_reason: reason, updated_at: now })
    .where('id', '=', contactMethodId)
    .where('expired_at', 'is', null)
    .executeTakeFirst();
  if (changed.numUpdatedRows === 0n) return null;
  const after: ContactMethodRow = { ...before, expired_at: now, expired_reason: reason, updated_at: now };
  await appendAudit(
    { ...ctx, actor: EXPIRY_ACTOR },
    {
      action: 'contact_method.expired',
      object: { type: 'contact_method', id: contactMethodId },
      before: contactMethodAudit(before),
      after: contactMethodAudit(after),
      detail: `${reason}: not paged until it is subscribed again`,
    },
  );
  return {
    id: before.id,
    userId: before.user_id,
    name: before.name,
    ownerUnreachable: !(await hasOtherPagingMethod(ctx, before.user_id, before.id)),
  };
}

async function hasOtherPagingMethod(ctx: Ctx, userId: string, exceptId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('notification_rules as r')
    .innerJoin('contact_methods as m', 'm.id', 'r.contact_method_id')
    .select('m.id')
    .where('r.user_id', '=', userId)
    .where('m.id', '<>', exceptId)
    .where('m.verified_at', 'is not', null)
    .where('m.disabled_at', 'is', null)
    .where('m.expired_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

/** A person's expired methods, oldest first: why someone the planner found no way to reach is so. */
export async function expiredContactMethods(
  ctx: Ctx,
  userId: string,
): Promise<{ name: string; kind: ContactKind }[]> {
  return ctx.db
    .selectFrom('contact_methods')
    .select(['name', 'kind'])
    .where('user_id', '=', userId)
    .where('expired_at', 'is not', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The columns that end an expiry, for a verb that points the method somewhere new (`set` of its update). */
export const NOT_EXPIRED = { expired_at: null, expired_reason: null } as const;
