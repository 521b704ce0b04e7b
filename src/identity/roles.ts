import { ROLE_ORDER, type Actor, type Role, type TokenScope } from '../platform/context.ts';

export const roleRank = (r: Role): number => ROLE_ORDER.indexOf(r);
export const atLeast = (r: Role, min: Role): boolean => roleRank(r) >= roleRank(min);
const lower = (a: Role, b: Role): Role => (roleRank(a) <= roleRank(b) ? a : b);

/** The most a token scope allows, expressed as a role (ingest is below everything: it only feeds alerts in). */
const SCOPE_CEILING: Record<TokenScope, Role | null> = {
  ingest: null,
  read: 'observer',
  write: 'responder',
  admin: 'admin',
};

function scopeCeiling(scopes: readonly TokenScope[] | undefined): Role | null | undefined {
  if (!scopes) return undefined; // not a token: no ceiling
  let best: Role | null = null;
  for (const s of scopes) {
    const c = SCOPE_CEILING[s];
    if (c && (!best || atLeast(c, best))) best = c;
  }
  return best;
}

/**
 * The role an actor holds over an object of `teamId` (null: an object that belongs to no team). Team objects are
 * visible only to their team's members and to global admins — membership, not a global role, opens a team's door.
 * A token never exceeds what its scopes allow. Returns null when the actor has no access at all.
 */
export function roleFor(actor: Actor, teamId: string | null): Role | null {
  switch (actor.kind) {
    case 'system':
      return 'admin';
    case 'anonymous':
    case 'integration':
      return null;
    case 'service': {
      const base = actor.teamId === null || actor.teamId === teamId ? actor.role : null;
      return capByScopes(base, actor.scopes);
    }
    case 'user': {
      let base: Role | null;
      if (actor.role === 'admin') base = 'admin';
      else if (teamId === null) base = actor.role;
      else base = actor.teams.get(teamId) ?? null;
      return capByScopes(base, actor.scopes);
    }
  }
}

function capByScopes(base: Role | null, scopes: readonly TokenScope[] | undefined): Role | null {
  if (base === null) return null;
  const ceiling = scopeCeiling(scopes);
  if (ceiling === undefined) return base;
  return ceiling === null ? null : lower(base, ceiling);
}

/** The highest role the actor holds anywhere (globally or in any team) — the coarse gate routes apply. */
export function highestRole(actor: Actor): Role | null {
  switch (actor.kind) {
    case 'system':
      return 'admin';
    case 'anonymous':
    case 'integration':
      return null;
    case 'service':
      return capByScopes(actor.role, actor.scopes);
    case 'user': {
      let best: Role = actor.role;
      for (const r of actor.teams.values()) if (atLeast(r, best)) best = r;
      return capByScopes(best, actor.scopes);
    }
  }
}

export function hasScope(actor: Actor, scope: TokenScope): boolean {
  if (actor.kind === 'service') return actor.scopes.includes(scope);
  if (actor.kind === 'user') return !actor.scopes || actor.scopes.includes(scope);
  if (actor.kind === 'integration') return scope === 'ingest';
  return actor.kind === 'system';
}

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'system':
      return `system:${actor.name}`;
    case 'anonymous':
      return 'anonymous';
    case 'user':
      return actor.tokenId ? `${actor.email} (token ${actor.tokenId})` : actor.email;
    case 'service':
      return `service token ${actor.name}`;
    case 'integration':
      return `integration ${actor.name}`;
  }
}

export function actorId(actor: Actor): string | null {
  switch (actor.kind) {
    case 'user':
      return actor.userId;
    case 'service':
      return actor.tokenId;
    case 'integration':
      return actor.integrationId;
    case 'system':
    case 'anonymous':
      return null;
  }
}
