import type { Db } from '../storage/index.ts';
import type { IntegrationRow } from './model.ts';

/** The queries behind the integration verbs. */

export async function findIntegrationRow(db: Db, id: string): Promise<IntegrationRow | undefined> {
  return db.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Through the unique index on `key_hash`. */
export async function findIntegrationRowByKeyHash(
  db: Db,
  keyHash: string,
): Promise<IntegrationRow | undefined> {
  return db.selectFrom('integrations').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}

/** A service has a handful of integrations; the limit only keeps the query bounded. */
export async function listIntegrationRows(db: Db, serviceId: string): Promise<IntegrationRow[]> {
  return db
    .selectFrom('integrations')
    .selectAll()
    .where('service_id', '=', serviceId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(500)
    .execute();
}

export async function insertIntegrationRow(db: Db, row: IntegrationRow): Promise<void> {
  await db.insertInto('integrations').values(row).execute();
}

export async function updateIntegrationRow(
  db: Db,
  id: string,
  changes: Partial<Omit<IntegrationRow, 'id' | 'service_id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('integrations').set(changes).where('id', '=', id).execute();
}
