import { queryOptions } from '@tanstack/react-query';
import { expectArray, expectRecord, getJson, sendJson } from './client.ts';
import type { Role } from './roles.ts';

export interface SignInProvider {
  slug: string;
  displayName: string;
  /** Where the browser goes to start the sign-in; append `?returnTo=/path`. */
  startUrl: string;
}

export const signInProvidersQuery = queryOptions({
  queryKey: ['sso', 'sign-in-providers'],
  queryFn: async () =>
    expectArray<SignInProvider>('/api/v1/auth/sso/providers', await getJson('/api/v1/auth/sso/providers')),
  staleTime: 60_000,
});

/** What a failed single sign-on means for the person at the sign-in page (codes from the server's redirect). */
export const SSO_ERROR_TEXT: Record<string, string> = {
  provider_unavailable:
    'This sign-in method is not available right now. Try again later or ask an administrator.',
  state_invalid: 'This sign-in link is not valid or was already used. Start the sign-in again.',
  state_expired: 'The sign-in took too long. Start it again.',
  idp_error: 'Your identity provider did not sign you in.',
  token_invalid: 'The answer from your identity provider could not be verified.',
  no_email: 'Your identity provider did not share your email address, which Siaga needs.',
  email_unverified:
    'A Siaga account with your email exists, but your identity provider has not verified that email, so it cannot be linked.',
  account_conflict: 'The Siaga account with your email is linked to another sign-in identity.',
  no_account: 'There is no Siaga account for you. Ask an administrator to create one.',
  no_role:
    'None of your groups gives access to Siaga. Ask an administrator to map one of your groups to a role.',
  account_deactivated: 'Your Siaga account is deactivated.',
  sso_failed: 'Single sign-on failed. Try again.',
};

/** Members of `group` (in the provider's groups claim) get `role` across Siaga. */
export interface RoleMapping {
  group: string;
  role: Role;
}

/** Members of `group` join the team `teamId` with `role` there. */
export interface TeamMapping {
  group: string;
  teamId: string;
  role: Role;
}

/** An OpenID Connect provider as admins see it (src/identity/sso/model.ts); the client secret is never sent. */
export interface SsoProvider {
  id: string;
  slug: string;
  displayName: string;
  issuer: string;
  clientId: string;
  hasClientSecret: boolean;
  scopes: string;
  groupsClaim: string;
  roleMappings: RoleMapping[];
  teamMappings: TeamMapping[];
  /** The role of an account created on first sign-in when no group maps to one; null refuses such people. */
  defaultRole: Role | null;
  /** Whether a first sign-in creates the Siaga account (just in time). */
  jit: boolean;
  enabled: boolean;
  /** The redirect URI to register at the provider. */
  redirectUri: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewSsoProvider {
  slug: string;
  displayName: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes?: string;
  groupsClaim?: string;
  roleMappings?: RoleMapping[];
  teamMappings?: TeamMapping[];
  defaultRole?: Role | null;
  jit?: boolean;
  enabled?: boolean;
}

/** Any subset; a `clientSecret` replaces the stored one. */
export type SsoProviderPatch = Partial<NewSsoProvider>;

/** What the server accepts as a slug (src/identity/sso/schemas.ts). */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const DEFAULT_SCOPES = 'openid email profile';
export const DEFAULT_GROUPS_CLAIM = 'groups';

/** The callback URL the provider must allow, before the server has said it (it answers with `redirectUri`). */
export const redirectUriFor = (origin: string, slug: string): string =>
  `${origin}/api/v1/auth/sso/${slug}/callback`;

/** "Acme ID (staff)" → "acme-id-staff": a slug suggestion from the display name. */
export function slugFrom(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
}

const PROVIDERS_PATH = '/api/v1/sso/providers';
const providerPath = (id: string) => `${PROVIDERS_PATH}/${encodeURIComponent(id)}`;
const parseProvider = (path: string, body: unknown) => expectRecord<SsoProvider>(path, body, 'redirectUri');

/** Every provider, enabled or not (global admins). */
export const ssoProvidersQuery = queryOptions({
  queryKey: ['sso', 'providers'],
  queryFn: async ({ signal }) =>
    expectArray<SsoProvider>(PROVIDERS_PATH, await getJson(PROVIDERS_PATH, { signal })),
});

export async function createSsoProvider(input: NewSsoProvider): Promise<SsoProvider> {
  return parseProvider(PROVIDERS_PATH, await sendJson('POST', PROVIDERS_PATH, input));
}

export async function updateSsoProvider(id: string, patch: SsoProviderPatch): Promise<SsoProvider> {
  return parseProvider(providerPath(id), await sendJson('PATCH', providerPath(id), patch));
}

export async function deleteSsoProvider(id: string): Promise<void> {
  await sendJson('DELETE', providerPath(id));
}
