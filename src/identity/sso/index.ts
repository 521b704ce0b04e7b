/** Single sign-on with OpenID Connect: providers managed by admins, the sign-in flow, group-to-role mapping. */
export {
  listSsoProviders,
  getSsoProvider,
  createSsoProvider,
  updateSsoProvider,
  deleteSsoProvider,
  listSignInProviders,
  DEFAULT_SCOPES,
  DEFAULT_GROUPS_CLAIM,
  type CreateSsoProviderInput,
  type UpdateSsoProviderInput,
} from './providers.ts';
export {
  startSsoSignIn,
  finishSsoSignIn,
  LOGIN_STATE_TTL_MS,
  SSO_STARTS_PER_MINUTE,
  type SsoStart,
  type SsoFinish,
} from './sign-in.ts';
export { SSO_ERROR_CODES, type SsoErrorCode } from './failure.ts';
export { SSO_SECRET_COLUMNS, SSO_CLIENT_SECRET, SSO_CODE_VERIFIER } from './columns.ts';
export { safeReturnTo, isLoopbackHost } from './validate.ts';
export { mapGroups } from './provision.ts';
export { readGroups } from './claims.ts';
export type { SsoProviderView, RoleMapping, TeamMapping } from './model.ts';
export * as SsoSchemas from './schemas.ts';
