import { AppError, notFound } from '../platform/errors.ts';
import type { Role } from '../platform/context.ts';
import type { Ctx } from '../storage/index.ts';
import { atLeast, roleFor } from './roles.ts';

/**
 * Permission checks live in the verbs, so every edge (HTTP, CLI, jobs) gets the same answer. An object the
 * actor cannot even see is reported as not found (no existence leak across teams); one it can see but not change
 * is forbidden.
 */
export function requireRole(
  ctx: Ctx,
  min: Role,
  scope: { teamId: string | null; entity?: string; id?: string },
): void {
  const role = roleFor(ctx.actor, scope.teamId);
  if (ctx.actor.kind === 'anonymous') throw new AppError('unauthorized', 'sign in first');
  if (role === null) {
    if (scope.entity && scope.id) throw notFound(scope.entity, scope.id);
    throw new AppError('forbidden', `this needs the ${min} role`);
  }
  if (!atLeast(role, min))
    throw new AppError(
      'forbidden',
      `this needs the ${min} role${scope.teamId ? ' in the team' : ''}; you have ${role}`,
    );
}

/** True when the actor may see objects of this team at all. */
export function canSee(ctx: Ctx, teamId: string | null, min: Role = 'stakeholder'): boolean {
  const role = roleFor(ctx.actor, teamId);
  return role !== null && atLeast(role, min);
}

export function requireUser(ctx: Ctx): Extract<Ctx['actor'], { kind: 'user' }> {
  if (ctx.actor.kind !== 'user') {
    throw new AppError(
      ctx.actor.kind === 'anonymous' ? 'unauthorized' : 'forbidden',
      'this needs a signed-in user',
    );
  }
  return ctx.actor;
}
