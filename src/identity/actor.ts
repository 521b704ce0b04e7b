import type { Actor, Role, TokenScope } from '../platform/context.ts';
import type { Db } from '../storage/index.ts';
import { membershipsOf, type UserRow } from './users.repo.ts';

/**
 * Builds the actor for a user from the database on every request, so a role change, a team change or a
 * deactivation takes effect on the very next request (no role is cached in a session or a token).
 */
export async function userActor(
  db: Db,
  user: UserRow,
  via: 'session' | 'token',
  token?: { id: string; scopes: readonly TokenScope[] },
): Promise<Actor> {
  const teams = new Map<string, Role>(
    ((await membershipsOf(db, [user.id])).get(user.id) ?? []).map((m) => [m.teamId, m.role]),
  );
  return {
    kind: 'user',
    userId: user.id,
    name: user.name,
    email: user.email,
    role: user.role,
    teams,
    via,
    ...(token ? { tokenId: token.id, scopes: token.scopes } : {}),
  };
}
