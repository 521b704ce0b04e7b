import { findUserById, requireUser, roleFor } from '../../identity/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Ctx } from '../../storage/index.ts';
import type { ContactMethodRow } from './model.ts';
import { findContactMethodRow } from './contact-methods.repo.ts';

/**
 * A person's contact methods and rules are theirs: they manage them, and so do global admins (and the system), who
 * help set people up. Anyone else is told they do not exist (404, never 403), like another team's objects.
 */

/** The signed-in user, for the `/me/...` routes. */
export const selfId = (ctx: Ctx): string => requireUser(ctx).userId;

const managesEveryone = (ctx: Ctx): boolean => roleFor(ctx.actor, null) === 'admin';

/** Passes when the actor may manage `userId`'s contact methods; `entity`/`id` name what a refusal reports missing. */
export async function requireOwner(
  ctx: Ctx,
  userId: string,
  missing: { entity: string; id: string } = { entity: 'user', id: userId },
): Promise<void> {
  if (ctx.actor.kind === 'anonymous') throw new AppError('unauthorized', 'sign in first');
  if (ctx.actor.kind === 'user' && ctx.actor.userId === userId) return;
  if (!managesEveryone(ctx)) throw notFound(missing.entity, missing.id);
  if (!(await findUserById(ctx.db, userId))) throw notFound('user', userId);
}

/** The contact method `id` of `userId`, if the actor may manage it. */
export async function contactMethodFor(ctx: Ctx, userId: string, id: string): Promise<ContactMethodRow> {
  await requireOwner(ctx, userId, { entity: 'contact method', id });
  const row = await findContactMethodRow(ctx.db, id);
  if (!row || row.user_id !== userId) throw notFound('contact method', id);
  return row;
}
