import { canSee } from '../../identity/index.ts';
import { conflict } from '../../platform/errors.ts';
import type { Ctx } from '../../storage/index.ts';
import type { PolicyTarget } from './model.ts';
import { policiesTargeting } from './policies.repo.ts';

/**
 * Refuses to delete what an escalation policy still pages (a channel, a schedule): the policy would meet a step
 * with nobody at 3 a.m. Names the policies the actor can see and counts the others.
 */
export async function refuseWhileTargeted(ctx: Ctx, target: PolicyTarget, label: string): Promise<void> {
  const users = await policiesTargeting(ctx.db, target);
  if (users.length === 0) return;
  const shown = users.filter((p) => canSee(ctx, p.team_id));
  const hidden = users.length - shown.length;
  const which = [
    ...shown.map((p) => p.name),
    ...(hidden > 0 ? [`${hidden} other${hidden === 1 ? '' : 's'}`] : []),
  ];
  const one = users.length === 1;
  throw conflict(
    `${label} is a target of escalation ${one ? 'policy' : 'policies'} ${which.join(', ')}; remove it from ${one ? 'that policy' : 'those policies'} first`,
    { policies: shown.map((p) => p.id) },
  );
}
