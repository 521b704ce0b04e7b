import { secretColumn } from '../../platform/secrets/index.ts';

/** The OAuth client secret of each provider. */
export const SSO_CLIENT_SECRET = secretColumn('sso_providers', 'client_secret');
/** The PKCE code verifier of each sign-in in flight. */
export const SSO_CODE_VERIFIER = secretColumn('sso_login_states', 'code_verifier');

export const SSO_SECRET_COLUMNS = [SSO_CLIENT_SECRET, SSO_CODE_VERIFIER] as const;
