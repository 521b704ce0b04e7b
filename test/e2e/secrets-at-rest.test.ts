import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
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

/**
 * S-SEC-1: a secret stored through the SecretBox is nowhere in the database's bytes: not in the SQLite file, its
 * WAL or its shared-memory file (open or closed), not in a pg_dump. A control value stored in plaintext next to it
 * must be found, which proves the search looks where the data is.
 */

const PG_DUMP = '/usr/bin/pg_dump';
const COL = secretColumn('test_integrations', 'secret');

/** The ways a secret could sit in bytes: as UTF-8, UTF-16, hex, base64 and base64url. */
function encodings(text: string): string[] {
  const utf8 = Buffer.from(text, 'utf8');
  return [
    text,
    Buffer.from(text, 'utf16le').toString('latin1'),
    utf8.toString('hex'),
    utf8.toString('base64').replace(/=+$/, ''),
    utf8.toString('base64url'),
  ];
}

const found = (haystack: string, text: string): string[] =>
  encodings(text).filter((e) => haystack.includes(e));

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

  /** Everything the database has on disk (SQLite: file, WAL, shared memory) or in a dump (PostgreSQL). */
  async function rawDatabase(): Promise<string[]> {
    if (tdb.target.dialect === 'postgres') {
      const { stdout } = await promisify(execFile)(PG_DUMP, [`--dbname=${tdb.target.url}`, '--no-owner'], {
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'latin1',
      });
      expect(stdout).toContain('test_integrations');
      expect(stdout).toContain(`v1.${next.id}.`);
      return [stdout];
    }
    const file = tdb.target.file;
    const whileOpen = ['', '-wal', '-shm']
      .map((suffix) => `${file}${suffix}`)
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f).toString('latin1'))
      .join('\n');
    await tdb.storage.close();
    const closed = readFileSync(file).toString('latin1');
    return [whileOpen, closed];
  }

  it('the raw database (SQLite file, WAL and shm; or a pg_dump) never holds the plaintext', async () => {
    for (const raw of await rawDatabase()) {
      // The control value is stored in the clear on purpose: finding it proves the search works.
      expect(found(raw, control).length, 'the control value is found').toBeGreaterThan(0);
      for (const text of forbidden()) expect(found(raw, text)).toEqual([]);
    }
  });
});
