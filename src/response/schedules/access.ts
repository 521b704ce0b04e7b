import { requireRole, roleFor } from '../../identity/index.ts';
import type { Actor, Role } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { Ctx } from '../../storage/index.ts';
import type { ScheduleRow } from './model.ts';
import { findScheduleRow } from './repo.ts';

/**
 * Schedules belong to a team and follow identity's team isolation, like the catalog's services: the team's members
 * (any role) and global admins see them, anyone else is told they do not exist (404, never 403). Team admins change
 * schedules; any responder of the team creates and removes overrides (covering for a colleague should not need
 * an admin).
 */

/** The teams whose schedules the actor may list (the same rule as the catalog's `visibleTeams`). */
export function visibleTeams(actor: Actor): 'all' | string[] {
  switch (actor.kind) {
    case 'system':
      return 'all';
    case 'anonymous':
    case 'integration':
      return [];
    case 'service':
      if (actor.teamId === null) return roleFor(actor, null) !== null ? 'all' : [];
      return roleFor(actor, actor.teamId) !== null ? [actor.teamId] : [];
    case 'user':
      if (actor.role === 'admin' && roleFor(actor, null) !== null) return 'all';
      return [...actor.teams.keys()].filter((teamId) => roleFor(actor, teamId) !== null);
  }
}

/** The schedule, if the actor holds at least `min` in its team; 404 when they cannot see it at all. */
export async function scheduleFor(ctx: Ctx, id: string, min: Role): Promise<ScheduleRow> {
  const row = await findScheduleRow(ctx.db, id);
  if (!row) throw notFound('schedule', id);
  requireRole(ctx, min, { teamId: row.team_id, entity: 'schedule', id });
  return row;
}

export function requireTeamAdmin(ctx: Ctx, teamId: string): void {
  requireRole(ctx, 'admin', { teamId, entity: 'team', id: teamId });
}
