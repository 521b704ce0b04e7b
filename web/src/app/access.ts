import type { User } from '../api/users.ts';

/**
 * What the signed-in person may open. The server decides every request again; these only keep the UI from
 * offering what would be refused.
 */
export const isGlobalAdmin = (user: User): boolean => user.role === 'admin';

/** Teams where the person holds the admin role. */
export const adminTeamIds = (user: User): string[] =>
  user.teams.filter((team) => team.role === 'admin').map((team) => team.teamId);

export const canManagePeople = isGlobalAdmin;

/** Sign-in providers decide who becomes a Siaga user and with which role: global admins only. */
export const canManageSso = isGlobalAdmin;

/** Global admins manage every team; team admins manage theirs. */
export const canManageTeams = (user: User): boolean => isGlobalAdmin(user) || adminTeamIds(user).length > 0;

export const canManageTeam = (user: User, teamId: string): boolean =>
  isGlobalAdmin(user) || adminTeamIds(user).includes(teamId);

/** The whole log for global admins; a team admin reads their own teams' entries. */
export const canReadAudit = canManageTeams;
