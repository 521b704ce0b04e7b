import { requireRole } from '../../identity/index.ts';
export { requireTeamAdmin, visibleTeams } from '../../catalog/index.ts';
import type { Role } from '../../platform/context.ts';
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

/** The schedule, if the actor holds at least `min` in its team; 404 when they cannot see it at all. */
export async function scheduleFor(ctx: Ctx, id: string, min: Role): Promise<ScheduleRow> {
  const row = await findScheduleRow(ctx.db, id);
  if (!row) throw notFound('schedule', id);
  requireRole(ctx, min, { teamId: row.team_id, entity: 'schedule', id });
  return row;
}
