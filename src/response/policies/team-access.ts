import { visibleTeams } from '../../catalog/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { Ctx } from '../../storage/index.ts';

/**
 * Policies and channels belong to a team and follow the catalog's team isolation: the team's members (any role)
 * and global admins see them, anyone else is told they do not exist (404, never 403); changes need the admin role
 * in the team.
 */
export { refuseDeclared, requireTeamAdmin, teamExists } from '../../catalog/index.ts';

/** Ids of the teams whose objects the actor sees. */
export async function visibleTeamIds(ctx: Ctx): Promise<string[]> {
  if (ctx.actor.kind === 'anonymous') throw new AppError('unauthorized', 'sign in first');
  const teams = visibleTeams(ctx.actor);
  if (teams !== 'all') return teams;
  return (await ctx.db.selectFrom('teams').select('id').orderBy('id').limit(10_000).execute()).map(
    (r) => r.id,
  );
}
