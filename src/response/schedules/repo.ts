import type { EpochMs } from '../../platform/clock.ts';
import type { Db } from '../../storage/index.ts';
import type { IcalFeedRow, OverrideRow, ScheduleRow } from './model.ts';

/** The queries behind the schedule verbs. Every list is bounded: `node:sqlite` blocks the server while it reads. */

export const MAX_LISTED_SCHEDULES = 1000;
/** Overrides read for one computation; more in one range means something is writing them in a loop. */
export const MAX_OVERRIDES_IN_RANGE = 2000;
export const MAX_LISTED_FEEDS = 200;

export async function findScheduleRow(db: Db, id: string): Promise<ScheduleRow | undefined> {
  return db.selectFrom('schedules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function scheduleNameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('schedules').select('id').where('name', '=', name);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Schedules of the given teams (`'all'`: every team's), by name. */
export async function listScheduleRows(db: Db, teams: 'all' | readonly string[]): Promise<ScheduleRow[]> {
  if (teams !== 'all' && teams.length === 0) return [];
  let q = db.selectFrom('schedules').selectAll().orderBy('name').limit(MAX_LISTED_SCHEDULES);
  if (teams !== 'all') q = q.where('team_id', 'in', [...teams]);
  return q.execute();
}

/**
 * Schedules that may put `userId` on call: named in a layer (a text match on the layers document; ids contain
 * `_`, a LIKE wildcard, so this can only over-match, and the caller computes the real shifts) or in an override.
 */
export async function scheduleRowsMentioning(db: Db, userId: string, since: EpochMs): Promise<ScheduleRow[]> {
  const byLayer = db
    .selectFrom('schedules')
    .selectAll()
    .where('layers', 'like', `%"${userId}"%`)
    .orderBy('name')
    .limit(MAX_LISTED_SCHEDULES)
    .execute();
  const byOverride = db
    .selectFrom('schedules')
    .selectAll()
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('schedule_overrides')
        .select('schedule_id')
        .where('user_id', '=', userId)
        .where('ends_at', '>', since),
    )
    .orderBy('name')
    .limit(MAX_LISTED_SCHEDULES)
    .execute();
  const rows = new Map<string, ScheduleRow>();
  for (const r of [...(await byLayer), ...(await byOverride)]) rows.set(r.id, r);
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export async function listScheduleRowsOfTeam(db: Db, teamId: string): Promise<ScheduleRow[]> {
  return db
    .selectFrom('schedules')
    .selectAll()
    .where('team_id', '=', teamId)
    .orderBy('name')
    .limit(MAX_LISTED_SCHEDULES)
    .execute();
}

export async function teamExists(db: Db, teamId: string): Promise<boolean> {
  return (
    (await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst()) !== undefined
  );
}

export interface UserInfo {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly active: boolean;
}

export async function usersByIds(db: Db, ids: readonly string[]): Promise<Map<string, UserInfo>> {
  const unique = [...new Set(ids)];
  const out = new Map<string, UserInfo>();
  if (unique.length === 0) return out;
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'status'])
    .where('id', 'in', unique)
    .execute();
  for (const r of rows)
    out.set(r.id, { id: r.id, name: r.name, email: r.email, active: r.status === 'active' });
  return out;
}

/** Overrides that overlap `[from, to)`, oldest first (the order they apply in). */
export async function overrideRowsInRange(
  db: Db,
  scheduleId: string,
  from: EpochMs,
  to: EpochMs,
): Promise<OverrideRow[]> {
  return db
    .selectFrom('schedule_overrides')
    .selectAll()
    .where('schedule_id', '=', scheduleId)
    .where('ends_at', '>', from)
    .where('starts_at', '<', to)
    .orderBy('created_at')
    .orderBy('id')
    .limit(MAX_OVERRIDES_IN_RANGE)
    .execute();
}

export async function findOverrideRow(db: Db, id: string): Promise<OverrideRow | undefined> {
  return db.selectFrom('schedule_overrides').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findFeedRow(db: Db, id: string): Promise<IcalFeedRow | undefined> {
  return db.selectFrom('ical_feeds').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findFeedByHash(db: Db, tokenHash: string): Promise<IcalFeedRow | undefined> {
  return db.selectFrom('ical_feeds').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function listFeedRows(
  db: Db,
  owner: { scheduleId: string } | { userId: string },
): Promise<IcalFeedRow[]> {
  let q = db.selectFrom('ical_feeds').selectAll().where('revoked_at', 'is', null);
  q =
    'scheduleId' in owner
      ? q.where('schedule_id', '=', owner.scheduleId)
      : q.where('user_id', '=', owner.userId);
  return q.orderBy('created_at').orderBy('id').limit(MAX_LISTED_FEEDS).execute();
}
