import type { Db } from '../../storage/index.ts';
import type { ContactKind } from '../../storage/schema.ts';
import { MAX_CONTACT_METHODS_PER_USER, type ContactMethodRow } from './model.ts';

/** The queries behind the contact-method verbs. */

export async function findContactMethodRow(db: Db, id: string): Promise<ContactMethodRow | undefined> {
  return db.selectFrom('contact_methods').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A person's methods, oldest first (the order they were added, which is how people think of them). */
export async function listContactMethodRows(db: Db, userId: string): Promise<ContactMethodRow[]> {
  return db
    .selectFrom('contact_methods')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(MAX_CONTACT_METHODS_PER_USER)
    .execute();
}

export async function countContactMethods(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('contact_methods')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function addressTaken(
  db: Db,
  userId: string,
  kind: ContactKind,
  address: string,
  exceptId?: string,
): Promise<boolean> {
  let q = db
    .selectFrom('contact_methods')
    .select('id')
    .where('kind', '=', kind)
    .where('address', '=', address)
    .where('user_id', '=', userId);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** The person's push method whose subscription endpoint is `endpoint` (verbs keep their endpoints distinct). */
export async function findPushMethodRow(
  db: Db,
  userId: string,
  endpoint: string,
): Promise<ContactMethodRow | undefined> {
  return db
    .selectFrom('contact_methods')
    .selectAll()
    .where('user_id', '=', userId)
    .where('kind', '=', 'push')
    .where('address', '=', endpoint)
    .executeTakeFirst();
}

/** The n-th code sent to a method (1, 2, ...): numbers its verification deliveries, which must differ. */
export async function nextCodeNumber(db: Db, contactMethodId: string): Promise<number> {
  const row = await db
    .insertInto('counters')
    .values({ name: codeCounter(contactMethodId), value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

export const codeCounter = (contactMethodId: string): string => `verification:${contactMethodId}`;

export async function deleteCodeCounter(db: Db, contactMethodId: string): Promise<void> {
  await db.deleteFrom('counters').where('name', '=', codeCounter(contactMethodId)).execute();
}
