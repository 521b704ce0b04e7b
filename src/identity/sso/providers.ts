import type { Role } from '../../platform/context.ts';
import { conflict, notFound, validationError } from '../../platform/errors.ts';
import { inTx, type Ctx } from '../../storage/index.ts';
import { appendAudit } from '../audit.ts';
import { requireRole } from '../authorize.ts';
import { findTeamById } from '../users.repo.ts';
import { SSO_CLIENT_SECRET } from './columns.ts';
import { forgetDiscovery } from './discovery.ts';
import {
  toProvider,
  toProviderView,
  type RoleMapping,
  type SsoProviderRow,
  type SsoProviderView,
  type TeamMapping,
} from './model.ts';
import { findProviderRow, findProviderRowBySlug, listProviderRows } from './sso.repo.ts';
import { checkIssuer, checkScopes } from './validate.ts';

export const DEFAULT_SCOPES = 'openid email profile';
export const DEFAULT_GROUPS_CLAIM = 'groups';

export interface CreateSsoProviderInput {
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

/** Every field may change; a new client secret replaces the old one (the old one is never shown either way). */
export type UpdateSsoProviderInput = Partial<CreateSsoProviderInput>;

const view = (ctx: Ctx, row: SsoProviderRow): SsoProviderView =>
  toProviderView(toProvider(row), ctx.settings.publicUrl);

/** Global admins manage sign-in providers: they decide who may become a Siaga user and with which role. */
const requireGlobalAdmin = (ctx: Ctx): void => requireRole(ctx, 'admin', { teamId: null });

export async function listSsoProviders(ctx: Ctx): Promise<SsoProviderView[]> {
  requireGlobalAdmin(ctx);
  return (await listProviderRows(ctx.db)).map((r) => view(ctx, r));
}

export async function getSsoProvider(ctx: Ctx, id: string): Promise<SsoProviderView> {
  requireGlobalAdmin(ctx);
  const row = await findProviderRow(ctx.db, id);
  if (!row) throw notFound('SSO provider', id);
  return view(ctx, row);
}

/** What the sign-in page may show to anyone: the enabled providers' slugs and names. */
export async function listSignInProviders(ctx: Ctx): Promise<{ slug: string; displayName: string }[]> {
  return (await listProviderRows(ctx.db, { enabledOnly: true })).map((r) => ({
    slug: r.slug,
    displayName: r.display_name,
  }));
}

async function checkTeams(ctx: Ctx, mappings: readonly TeamMapping[]): Promise<void> {
  for (const [i, m] of mappings.entries()) {
    if (!(await findTeamById(ctx.db, m.teamId)))
      throw validationError(`team ${m.teamId} does not exist`, [
        { pointer: `/teamMappings/${i}/teamId`, detail: 'is not a team' },
      ]);
  }
}

async function checkSlugFree(ctx: Ctx, slug: string, exceptId?: string): Promise<void> {
  const other = await findProviderRowBySlug(ctx.db, slug);
  if (other && other.id !== exceptId)
    throw conflict(`an SSO provider with slug ${slug} already exists`, { slug });
}

const mappingsJson = <T extends RoleMapping | TeamMapping>(list: readonly T[]): string =>
  JSON.stringify(list.map((m) => ({ ...m, group: m.group.trim() })));

export async function createSsoProvider(ctx: Ctx, input: CreateSsoProviderInput): Promise<SsoProviderView> {
  requireGlobalAdmin(ctx);
  const issuer = checkIssuer(input.issuer);
  const scopes = checkScopes(input.scopes ?? DEFAULT_SCOPES);
  return inTx(ctx, async (tx) => {
    await checkSlugFree(tx, input.slug);
    await checkTeams(tx, input.teamMappings ?? []);
    const now = tx.clock.now();
    const id = tx.ids.next('sso');
    const row: SsoProviderRow = {
      id,
      slug: input.slug,
      display_name: input.displayName.trim(),
      issuer,
      client_id: input.clientId.trim(),
      client_secret: tx.secrets.seal(input.clientSecret, SSO_CLIENT_SECRET.aad(id)),
      scopes,
      groups_claim: (input.groupsClaim ?? DEFAULT_GROUPS_CLAIM).trim(),
      role_mappings: mappingsJson(input.roleMappings ?? []),
      team_mappings: mappingsJson(input.teamMappings ?? []),
      default_role: input.defaultRole ?? null,
      jit: input.jit ?? true,
      enabled: input.enabled ?? true,
      created_at: now,
      updated_at: now,
    };
    await tx.db.insertInto('sso_providers').values(row).execute();
    const after = view(tx, row);
    await appendAudit(tx, { action: 'sso_provider.created', object: { type: 'sso_provider', id }, after });
    return after;
  });
}

export async function updateSsoProvider(
  ctx: Ctx,
  id: string,
  patch: UpdateSsoProviderInput,
): Promise<SsoProviderView> {
  requireGlobalAdmin(ctx);
  const issuer = patch.issuer === undefined ? undefined : checkIssuer(patch.issuer);
  const scopes = patch.scopes === undefined ? undefined : checkScopes(patch.scopes);
  const updated = await inTx(ctx, async (tx) => {
    const before = await findProviderRow(tx.db, id);
    if (!before) throw notFound('SSO provider', id);
    if (patch.slug !== undefined) await checkSlugFree(tx, patch.slug, id);
    if (patch.teamMappings !== undefined) await checkTeams(tx, patch.teamMappings);
    const after: SsoProviderRow = {
      ...before,
      slug: patch.slug ?? before.slug,
      display_name: patch.displayName?.trim() ?? before.display_name,
      issuer: issuer ?? before.issuer,
      client_id: patch.clientId?.trim() ?? before.client_id,
      client_secret:
        patch.clientSecret === undefined
          ? before.client_secret
          : tx.secrets.seal(patch.clientSecret, SSO_CLIENT_SECRET.aad(id)),
      scopes: scopes ?? before.scopes,
      groups_claim: patch.groupsClaim?.trim() ?? before.groups_claim,
      role_mappings: patch.roleMappings ? mappingsJson(patch.roleMappings) : before.role_mappings,
      team_mappings: patch.teamMappings ? mappingsJson(patch.teamMappings) : before.team_mappings,
      default_role: patch.defaultRole === undefined ? before.default_role : patch.defaultRole,
      jit: patch.jit ?? before.jit,
      enabled: patch.enabled ?? before.enabled,
      updated_at: tx.clock.now(),
    };
    const { id: _id, created_at: _created, ...changes } = after;
    await tx.db.updateTable('sso_providers').set(changes).where('id', '=', id).execute();
    const result = view(tx, after);
    await appendAudit(tx, {
      action: 'sso_provider.updated',
      object: { type: 'sso_provider', id },
      before: view(tx, before),
      after: result,
      ...(patch.clientSecret === undefined ? {} : { detail: 'client secret replaced' }),
    });
    return result;
  });
  forgetDiscovery(id);
  return updated;
}

/** Removes a provider. Its users stay (with their SSO link, so re-adding the same issuer finds them again). */
export async function deleteSsoProvider(ctx: Ctx, id: string): Promise<void> {
  requireGlobalAdmin(ctx);
  await inTx(ctx, async (tx) => {
    const before = await findProviderRow(tx.db, id);
    if (!before) throw notFound('SSO provider', id);
    await tx.db.deleteFrom('sso_providers').where('id', '=', id).execute();
    await appendAudit(tx, {
      action: 'sso_provider.deleted',
      object: { type: 'sso_provider', id },
      before: view(tx, before),
    });
  });
  forgetDiscovery(id);
}
