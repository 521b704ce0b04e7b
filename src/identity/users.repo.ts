import type { Db, Database } from '../storage/index.ts';
import type { Role } from '../platform/context.ts';

/** The only file that queries users, teams and memberships. */

export type UserRow = Database['users'];
export type TeamRow = Database['teams'];

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

export async function countUsers(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function membershipsOf(
  db: Db,
  userIds: readonly string[],
): Promise<Map<string, { teamId: string; teamName: string; role: Role }[]>> {
  const out = new Map<string, { teamId: string; teamName: string; role: Role }[]>();
  if (userIds.length === 0) return out;
  const rows = await db
    .selectFrom('team_members')
    .innerJoin('teams', 'teams.id', 'team_members.team_id')
    .select(['team_members.user_id', 'team_members.team_id', 'teams.name', 'team_members.role'])
    .where('team_members.user_id', 'in', userIds)
    .orderBy('teams.name')
    .execute();
  for (const r of rows) {
    const list = out.get(r.user_id) ?? [];
    list.push({ teamId: r.team_id, teamName: r.name, role: r.role });
    out.set(r.user_id, list);
  }
  return out;
}

export async function findTeamById(db: Db, id: string): Promise<TeamRow | undefined> {
  return db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function teamMembers(db: Db, teamId: string) {
  return db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select([
      'users.id',
      'users.name',
      'users.email',
      'users.status',
      'team_members.role',
      'team_members.created_at',
    ])
    .where('team_members.team_id', '=', teamId)
    .orderBy('users.name')
    .execute();
}
