import { atLeast } from '../../api/roles.ts';
import type { User } from '../../api/users.ts';

/**
 * What the signed-in person may change in alerting and the catalog. The server decides every request again (per
 * team); these only keep the pages from offering what would surely be refused.
 */
const anywhere = (user: User, min: 'responder' | 'admin'): boolean =>
  atLeast(user.role, min) || user.teams.some((team) => atLeast(team.role, min));

/** Acknowledge and resolve, silence, edit routes and windows: responders (in Siaga or in a team). */
export const canRespond = (user: User): boolean => anywhere(user, 'responder');

/** Create and change services and their integrations: admins of a team (or of Siaga). */
export const canManageServices = (user: User): boolean => anywhere(user, 'admin');

/** Routing and inhibition rules are global configuration: only Siaga's administrators change them. */
export const canEditGlobalRules = (user: User): boolean => user.role === 'admin';
