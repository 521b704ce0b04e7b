import type { Db } from '../storage/index.ts';
import type { ServiceRow } from './model.ts';

/** The queries behind the service verbs. */

/** Upper bound of one list: the catalog is read whole by the UI, and an unbounded query would block SQLite. */
export const MAX_LISTED_SERVICES = 1000;

export async function findServiceRow(db: Db, id: string): Promise<ServiceRow | undefined> {
  return db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function serviceNameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('services').select('id').where('name', '=', name);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Services of the given teams (`'all'`: of every team), by name. */
export async function listServiceRows(db: Db, teams: 'all' | readonly string[]): Promise<ServiceRow[]> {
  if (teams !== 'all' && teams.length === 0) return [];
  let q = db.selectFrom('services').selectAll().orderBy('name').limit(MAX_LISTED_SERVICES);
  if (teams !== 'all') q = q.where('team_id', 'in', [...teams]);
  return q.execute();
}

export async function teamExists(db: Db, teamId: string): Promise<boolean> {
  return (
    (await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst()) !== undefined
  );
}

/** Incidents of the service that are not resolved yet (triggered or acknowledged). */
export async function countOpenIncidents(db: Db, serviceId: string): Promise<number> {
  const row = await db
    .selectFrom('incidents')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('service_id', '=', serviceId)
    .where('status', '<>', 'resolved')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The team of an escalation policy, or undefined when there is none with that id. */
export async function findPolicyTeamId(db: Db, id: string): Promise<string | undefined> {
  return (
    await db.selectFrom('escalation_policies').select('team_id').where('id', '=', id).executeTakeFirst()
  )?.team_id;
}
