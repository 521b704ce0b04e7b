import type { EpochMs } from '../../platform/clock.ts';
import type { Role } from '../../platform/context.ts';
import type { Database } from '../../storage/index.ts';
import { iso } from '../views.ts';

export type SsoProviderRow = Database['sso_providers'];
export type SsoLoginStateRow = Database['sso_login_states'];

/** A group at the identity provider grants a global role… */
export interface RoleMapping {
  readonly group: string;
  readonly role: Role;
}

/** …or a role in a team. */
export interface TeamMapping {
  readonly group: string;
  readonly teamId: string;
  readonly role: Role;
}

/** An OpenID Connect provider as the domain sees it; the sealed client secret stays in the row. */
export interface SsoProvider {
  readonly id: string;
  readonly slug: string;
  readonly displayName: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: string;
  readonly groupsClaim: string;
  readonly roleMappings: readonly RoleMapping[];
  readonly teamMappings: readonly TeamMapping[];
  readonly defaultRole: Role | null;
  readonly jit: boolean;
  readonly enabled: boolean;
  readonly createdAt: EpochMs;
  readonly updatedAt: EpochMs;
}

export function toProvider(row: SsoProviderRow): SsoProvider {
  return {
    id: row.id,
    slug: row.slug,
    displayName: row.display_name,
    issuer: row.issuer,
    clientId: row.client_id,
    scopes: row.scopes,
    groupsClaim: row.groups_claim,
    roleMappings: JSON.parse(row.role_mappings) as RoleMapping[],
    teamMappings: JSON.parse(row.team_mappings) as TeamMapping[],
    defaultRole: row.default_role,
    jit: Boolean(row.jit),
    enabled: Boolean(row.enabled),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** What admins see of a provider: never the client secret, only that one is set. */
export interface SsoProviderView {
  id: string;
  slug: string;
  displayName: string;
  issuer: string;
  clientId: string;
  hasClientSecret: true;
  scopes: string;
  groupsClaim: string;
  roleMappings: RoleMapping[];
  teamMappings: TeamMapping[];
  defaultRole: Role | null;
  jit: boolean;
  enabled: boolean;
  /** The redirect URI to register at the provider. */
  redirectUri: string;
  createdAt: string;
  updatedAt: string;
}

export const callbackPath = (slug: string): string => `/api/v1/auth/sso/${slug}/callback`;
export const redirectUriFor = (publicUrl: string, slug: string): string =>
  `${publicUrl.replace(/\/+$/, '')}${callbackPath(slug)}`;

export function toProviderView(p: SsoProvider, publicUrl: string): SsoProviderView {
  return {
    id: p.id,
    slug: p.slug,
    displayName: p.displayName,
    issuer: p.issuer,
    clientId: p.clientId,
    hasClientSecret: true,
    scopes: p.scopes,
    groupsClaim: p.groupsClaim,
    roleMappings: p.roleMappings.map((m) => ({ group: m.group, role: m.role })),
    teamMappings: p.teamMappings.map((m) => ({ group: m.group, teamId: m.teamId, role: m.role })),
    defaultRole: p.defaultRole,
    jit: p.jit,
    enabled: p.enabled,
    redirectUri: redirectUriFor(publicUrl, p.slug),
    createdAt: iso(p.createdAt)!,
    updatedAt: iso(p.updatedAt)!,
  };
}
