import { atLeast, type Role } from '../../api/roles.ts';
import type { User } from '../../api/users.ts';

/**
 * What the signed-in person may change in a team's on-call set-up. The server decides every request again; these
 * only keep the pages from offering what would be refused.
 */
const roleIn = (user: User, teamId: string | null | undefined, min: Role): boolean =>
  atLeast(user.role, min) || user.teams.some((team) => team.teamId === teamId && atLeast(team.role, min));

/** Schedules, escalation policies and channels: admins of the team (or of Siaga). */
export const canAdminTeam = (user: User, teamId: string | null | undefined): boolean =>
  user.role === 'admin' || roleIn(user, teamId, 'admin');

/** Overrides and test pages: responders of the team. */
export const canRespondIn = (user: User, teamId: string | null | undefined): boolean =>
  roleIn(user, teamId, 'responder');

/** Whether to offer "New …" at all: an admin of some team. */
export const adminsAnyTeam = (user: User): boolean =>
  user.role === 'admin' || user.teams.some((team) => team.role === 'admin');
