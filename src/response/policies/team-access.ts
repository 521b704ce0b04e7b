import { canSee, requireRole } from '../../identity/index.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import type { Ctx, Db } from '../../storage/index.ts';

/**
 * Policies and channels belong to a team and follow the catalog's team isolation: the team's members (any role)
 * and global admins see them, anyone else is told they do not exist (404, never 403); changes need the admin role
 * in the team. The same rules as services, restated here because the catalog keeps its helpers to itself.
 */

/** Teams whose objects the actor sees. Teams are few, so one bounded query and a filter answer it. */
export async function visibleTeamIds(ctx: Ctx): Promise<string[]> {
  if (ctx.actor.kind === 'anonymous') throw new AppError('unauthorized', 'sign in first');
  const rows = await ctx.db.selectFrom('teams').select('id').orderBy('id').limit(10_000).execute();
  return rows.filter((r) => canSee(ctx, r.id)).map((r) => r.id);
}

/** Creating in a team, or moving an object there: admins of that team only; others do not see the team. */
export function requireTeamAdmin(ctx: Ctx, teamId: string): void {
  requireRole(ctx, 'admin', { teamId, entity: 'team', id: teamId });
}

export async function teamExists(db: Db, teamId: string): Promise<boolean> {
  return (
    (await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst()) !== undefined
  );
}

/** Rows from the YAML config file change only there; an API edit would be undone at the next start anyway. */
export function refuseDeclared(row: { declared: boolean | number; name: string }, entity: string): void {
  if (row.declared)
    throw conflict(
      `${entity} ${row.name} is declared in the config file and managed there; change it in the file instead`,
      { declared: true },
    );
}
