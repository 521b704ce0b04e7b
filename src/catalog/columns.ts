import { secretColumn } from '../platform/secrets/index.ts';

/**
 * The HMAC secrets of signed webhooks: one sealed value per row, holding the JSON list of secrets (newest first),
 * bound to `integrations.signing_secrets:<id>`. Registered in src/app/secret-columns.ts so key rotation reaches it.
 */
export const INTEGRATION_SIGNING_SECRETS = secretColumn('integrations', 'signing_secrets');

export const CATALOG_SECRET_COLUMNS = [INTEGRATION_SIGNING_SECRETS] as const;
