import type { EpochMs } from '../../platform/clock.ts';
import type { Db } from '../../storage/index.ts';
import type { UserRow } from '../users.repo.ts';
import type { SsoLoginStateRow, SsoProviderRow } from './model.ts';

/** The queries of the SSO module: providers, sign-ins in flight, and the SSO side of users. */

export async function findProviderRow(db: Db, id: string): Promise<SsoProviderRow | undefined> {
  return db.selectFrom('sso_providers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findProviderRowBySlug(db: Db, slug: string): Promise<SsoProviderRow | undefined> {
  return db.selectFrom('sso_providers').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function listProviderRows(
  db: Db,
  opts: { enabledOnly?: boolean } = {},
): Promise<SsoProviderRow[]> {
  let q = db.selectFrom('sso_providers').selectAll().orderBy('display_name').orderBy('slug').limit(100);
  if (opts.enabledOnly) q = q.where('enabled', '=', true);
  return q.execute();
}

export async function insertLoginState(db: Db, row: SsoLoginStateRow): Promise<void> {
  await db.insertInto('sso_login_states').values(row).execute();
}

/**
 * Takes the sign-in in flight with this state hash, once: the row is read and then deleted by id, and only the
 * caller whose delete removed it gets it back (a concurrent second use deletes nothing and gets undefined).
 */
export async function takeLoginState(db: Db, stateHash: string): Promise<SsoLoginStateRow | undefined> {
  const row = await db
    .selectFrom('sso_login_states')
    .selectAll()
    .where('state_hash', '=', stateHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const deleted = await db.deleteFrom('sso_login_states').where('id', '=', row.id).executeTakeFirst();
  return Number(deleted.numDeletedRows) === 1 ? row : undefined;
}

/** Forgets sign-ins that were started and never finished (bounded, so a large backlog is cleared in steps). */
export async function deleteExpiredLoginStates(db: Db, now: EpochMs): Promise<void> {
  const ids = await db
    .selectFrom('sso_login_states')
    .select('id')
    .where('expires_at', '<=', now)
    .limit(100)
    .execute();
  if (ids.length > 0)
    await db
      .deleteFrom('sso_login_states')
      .where(
        'id',
        'in',
        ids.map((r) => r.id),
      )
      .execute();
}

export async function findUserBySsoSubject(db: Db, subject: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('sso_subject', '=', subject).executeTakeFirst();
}

/** Links an SSO identity to a user who has none yet; false when someone else linked one first. */
export async function linkSsoSubject(
  db: Db,
  userId: string,
  subject: string,
  now: EpochMs,
): Promise<boolean> {
  const r = await db
    .updateTable('users')
    .set({ sso_subject: subject, updated_at: now })
    .where('id', '=', userId)
    .where('sso_subject', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
