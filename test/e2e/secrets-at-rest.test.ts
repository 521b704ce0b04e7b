import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createSecretBox,
  Keyring,
  rotateSecrets,
  secretColumn,
  SecretKey,
} from '../../src/platform/secrets/index.ts';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../harness/db.ts';
import { foundIn, rawDatabase } from '../harness/raw-db.ts';

/**
 * S-SEC-1: a secret stored through the SecretBox is nowhere in the database's bytes: not in the SQLite file, its
 * WAL or its shared-memory file (open or closed), not in a pg_dump. A control value stored in plaintext next to it
 * must be found, which proves the search looks where the data is.
 */

const COL = secretColumn('test_integrations', 'secret');

describe(`secrets at rest (${TEST_DIALECT})`, () => {
  let tdb: TestDatabase;
  let db: Kysely<any>;
  const secret = `s3cr3t-SIAGA-TEST-${randomBytes(9).toString('hex')}`;
  const control = `CONTROL-SIAGA-TEST-${randomBytes(9).toString('hex')}`;
  const [key, next] = [SecretKey.generate(), SecretKey.generate()];

  beforeEach(async () => {
    tdb = await createTestDatabase();
    db = tdb.storage.db;
    await db.schema
      .createTable('test_integrations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('secret', 'text')
      .execute();
    const box = createSecretBox(new Keyring([key], { source: 'env' }));
    for (let i = 0; i < 20; i++) {
      const id = `int_${i}`;
      await db
        .insertInto('test_integrations')
        .values({ id, name: i === 0 ? control : `integration ${i}`, secret: box.seal(secret, COL.aad(id)) })
        .execute();
    }
    // A rotation rewrites every row: old versions of rows must not hold the secret either.
    await rotateSecrets(db, new Keyring([next, key], { source: 'env' }), [COL]);
    const row = await db
      .selectFrom('test_integrations')
      .select('secret')
      .where('id', '=', 'int_3')
      .executeTakeFirstOrThrow();
    expect(createSecretBox(new Keyring([next], { source: 'env' })).open(row.secret, COL.aad('int_3'))).toBe(
      secret,
    );
  });
  afterEach(async () => tdb.drop());

  const forbidden = () => [secret, key.encode(), next.encode()];

  it('the raw database (SQLite file, WAL and shm; or a pg_dump) never holds the plaintext', async () => {
    const raws = await rawDatabase(tdb);
    if (TEST_DIALECT === 'postgres') expect(raws[0]).toContain(`v1.${next.id}.`); // the dump holds the sealed values
    for (const raw of raws) {
      // The control value is stored in the clear on purpose: finding it proves the search works.
      expect(foundIn(raw, control).length, 'the control value is found').toBeGreaterThan(0);
      for (const text of forbidden()) expect(foundIn(raw, text)).toEqual([]);
    }
  });
});
