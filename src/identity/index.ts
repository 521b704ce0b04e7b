/**
 * Identity: users, teams, roles, sessions, API tokens, first-run setup and the audit log.
 * Every stage uses it (permissions, actors, audit entries); it uses none of them.
 */
export { requireRole, canSee, requireUser } from './authorize.ts';
export { roleFor, highestRole, hasScope, atLeast, actorLabel } from './roles.ts';
export { appendAudit, appendTeamObjectUpdate, type AuditInput } from './audit.ts';
export { listAudit, auditToCsv, type AuditFilter, type AuditEntryView } from './audit-query.ts';
export {
  createUser,
  getUser,
  listUsers,
  updateUser,
  setUserStatus,
  changePassword,
  insertUser,
  type CreateUserInput,
  type UpdateUserInput,
} from './users.ts';
export {
  listTeams,
  getTeam,
  createTeam,
  updateTeam,
  deleteTeam,
  setTeamMember,
  removeTeamMember,
} from './teams.ts';
export {
  loginWithPassword,
  createSession,
  resolveSession,
  logout,
  revokeUserSessions,
  LOGIN_FAILURES_PER_MINUTE,
  type NewSession,
  type ResolvedSession,
} from './sessions.ts';
export {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  resolveApiToken,
  type ApiTokenView,
  type CreateApiTokenInput,
} from './api-tokens.ts';
export { setupNeeded, issueSetupToken, completeSetup, setupLink, SETUP_TOKEN_TTL_MS } from './setup.ts';
export { findUserById, findUserByEmail, normalizeEmail } from './users.repo.ts';
export { userActor } from './actor.ts';
export { toUserView, type UserView, type TeamView } from './views.ts';
export { constantTimeEqual, hashToken, newToken } from './tokens.ts';

export * as IdentitySchemas from './schemas.ts';
export * from './sso/index.ts';
