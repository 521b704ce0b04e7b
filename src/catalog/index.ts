/**
 * Service catalog shared by the stages: services (owned by a team, with an escalation policy and a grouping rule)
 * and their integrations (how alerts get in: a kind, a secret key shown once, signing secrets for signed webhooks).
 * It depends on identity (permissions, audit) and on no stage; alerting looks integrations up by key here.
 *
 * Other modules import this module through this file only.
 */
export {
  listServices,
  getService,
  createService,
  updateService,
  deleteService,
  type CreateServiceInput,
  type UpdateServiceInput,
} from './services.ts';
export {
  listIntegrations,
  getIntegration,
  createIntegration,
  updateIntegration,
  deleteIntegration,
  rotateIntegrationKey,
  MAX_CONFIG_BYTES,
  type CreateIntegrationInput,
  type UpdateIntegrationInput,
  type IssuedIntegrationKey,
} from './integrations.ts';
export {
  setIntegrationSigningSecret,
  clearOldSigningSecret,
  type IssuedSigningSecret,
} from './integration-signing.ts';
export { openSigningSecrets, MAX_SIGNING_SECRETS } from './signing-secrets.ts';
export { findIntegrationByKey, hashIntegrationKey, integrationActor } from './integration-keys.ts';
export { integrationEndpoints, EMAIL_IN_OFF, type IntegrationEndpoints } from './endpoints.ts';
export { CATALOG_SECRET_COLUMNS, INTEGRATION_SIGNING_SECRETS } from './columns.ts';
export {
  DEFAULT_GROUPING,
  INTEGRATION_KINDS,
  URGENCIES,
  toService,
  toIntegration,
  type Service,
  type Integration,
  type IntegrationKind,
  type Grouping,
  type Urgency,
} from './model.ts';
export type { ServiceView, IntegrationView } from './views.ts';
export * as CatalogSchemas from './schemas.ts';
export { visibleTeams, requireTeamAdmin, refuseDeclared, seesEveryTeam } from './access.ts';
export { teamExists } from './services.repo.ts';
