import { MINUTE, type EpochMs } from '../platform/clock.ts';
import { AppError, notFound, validationError } from '../platform/errors.ts';
import { TOKEN_SCOPES, type Actor, type Role, type TokenScope } from '../platform/context.ts';
import { inTx, type Ctx, type Db, type Database } from '../storage/index.ts';
import { userActor } from './actor.ts';
import { appendAudit } from './audit.ts';
import { requireRole, requireUser } from './authorize.ts';
import { atLeast, roleFor } from './roles.ts';
import { hashToken, newToken } from './tokens.ts';
import { findUserById } from './users.repo.ts';
import { iso } from './views.ts';

type TokenRow = Database['api_tokens'];

export interface ApiTokenView {
  id: string;
  name: string;
  kind: 'personal' | 'service';
  prefix: string;
  userId: string;
  teamId: string | null;
  role: Role;
  scopes: TokenScope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const toView = (r: TokenRow): ApiTokenView => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  prefix: r.prefix,
  userId: r.user_id,
  teamId: r.team_id,
  role: r.role,
  scopes: JSON.parse(r.scopes) as TokenScope[],
  createdAt: new Date(r.created_at).toISOString(),
  expiresAt: iso(r.expires_at),
  lastUsedAt: iso(r.last_used_at),
  revokedAt: iso(r.revoked_at),
});

export interface CreateApiTokenInput {
  name: string;
  kind: 'personal' | 'service';
  scopes: TokenScope[];
  /** Service tokens: the role they act with (at most the creator's). */
  role?: Role;
  /** Service tokens: the team they act for; null or absent = global (admins only). */
  teamId?: string | null;
  expiresAt?: string;
}

/**
 * Personal tokens act as their owner, narrowed by their scopes. Service tokens act for a team (or, created by an
 * admin, globally) with a role no higher than their creator's in that place. The token is returned once.
 */
export async function createApiToken(
  ctx: Ctx,
  input: CreateApiTokenInput,
): Promise<{ token: string; view: ApiTokenView }> {
  const actor = requireUser(ctx);
  if (actor.tokenId) throw new AppError('forbidden', 'tokens cannot create tokens; sign in to create one');
  const scopes = [...new Set(input.scopes)].sort((a, b) => TOKEN_SCOPES.indexOf(a) - TOKEN_SCOPES.indexOf(b));
  if (scopes.length === 0)
    throw validationError('choose at least one scope', [{ pointer: '/scopes', detail: 'must not be empty' }]);
  const teamId = input.kind === 'service' ? (input.teamId ?? null) : null;
  let role: Role;
  if (input.kind === 'personal') {
    role = actor.role;
  } else {
    role = input.role ?? 'responder';
    requireRole(ctx, 'admin', { teamId, ...(teamId ? { entity: 'team', id: teamId } : {}) });
    const own = roleFor(ctx.actor, teamId);
    if (!own || !atLeast(own, role))
      throw new AppError(
        'forbidden',
        `you cannot create a token with more than your own role (${own ?? 'none'})`,
      );
  }
  const now = ctx.clock.now();
  let expiresAt: EpochMs | null = null;
  if (input.expiresAt !== undefined) {
    expiresAt = Date.parse(input.expiresAt) as EpochMs;
    if (!Number.isFinite(expiresAt) || expiresAt <= now) {
      throw validationError('the expiry must be in the future', [
        { pointer: '/expiresAt', detail: 'must be a future date-time' },
      ]);
    }
  }
  const token = newToken(input.kind === 'personal' ? 'siaga_pat' : 'siaga_svc');
  const row: TokenRow = {
    id: ctx.ids.next('tok'),
    token_hash: hashToken(token),
    prefix: token.slice(0, 14),
    name: input.name.trim(),
    kind: input.kind,
    user_id: actor.userId,
    team_id: teamId,
    role,
    scopes: JSON.stringify(scopes),
    created_at: now,
    expires_at: expiresAt,
    last_used_at: null,
    revoked_at: null,
  };
  await inTx(ctx, async (tx) => {
    await tx.db.insertInto('api_tokens').values(row).execute();
    await appendAudit(tx, {
      action: 'token.created',
      object: { type: 'api_token', id: row.id },
      teamId,
      after: toView(row),
    });
  });
  return { token, view: toView(row) };
}

/** Tokens the actor may manage: their own personal tokens, and service tokens of teams they administer. */
export async function listApiTokens(ctx: Ctx, filter: { teamId?: string }): Promise<ApiTokenView[]> {
  const actor = requireUser(ctx);
  if (filter.teamId !== undefined) {
    requireRole(ctx, 'admin', { teamId: filter.teamId, entity: 'team', id: filter.teamId });
    const rows = await ctx.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('team_id', '=', filter.teamId)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toView);
  }
  const rows = await ctx.db
    .selectFrom('api_tokens')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(1000)
    .execute();
  return rows
    .filter((r) =>
      r.kind === 'personal' ? r.user_id === actor.userId : roleFor(ctx.actor, r.team_id) === 'admin',
    )
    .map(toView);
}

export async function revokeApiToken(ctx: Ctx, id: string): Promise<ApiTokenView> {
  const actor = requireUser(ctx);
  return inTx(ctx, async (tx) => {
    const row = await tx.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    const mayManage =
      row &&
      (row.kind === 'personal'
        ? row.user_id === actor.userId || actor.role === 'admin'
        : roleFor(tx.actor, row.team_id) === 'admin');
    if (!row || !mayManage) throw notFound('api token', id);
    if (row.revoked_at !== null) return toView(row);
    const revoked = { ...row, revoked_at: tx.clock.now() };
    await tx.db
      .updateTable('api_tokens')
      .set({ revoked_at: revoked.revoked_at })
      .where('id', '=', id)
      .execute();
    await appendAudit(tx, {
      action: 'token.revoked',
      object: { type: 'api_token', id },
      teamId: row.team_id,
      before: toView(row),
      after: toView(revoked),
    });
    return toView(revoked);
  });
}

/** The actor behind a bearer token, or undefined if it is unknown, revoked, expired, or its owner deactivated. */
export async function resolveApiToken(db: Db, token: string, now: EpochMs): Promise<Actor | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) return undefined;
  const owner = await findUserById(db, row.user_id);
  if (!owner || owner.status !== 'active') return undefined;
  if (row.last_used_at === null || now - row.last_used_at >= MINUTE) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  const scopes = JSON.parse(row.scopes) as TokenScope[];
  if (row.kind === 'service')
    return { kind: 'service', tokenId: row.id, name: row.name, role: row.role, teamId: row.team_id, scopes };
  return userActor(db, owner, 'token', { id: row.id, scopes });
}
