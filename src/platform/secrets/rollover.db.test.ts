import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../../../test/harness/db.ts';
import { secretColumn } from './columns.ts';
import { writeKeyFile } from './key-file.ts';
import { Keyring, loadKeyring, type KeyringConfig } from './keyring.ts';
import { dropOldKeys, rotateKeys } from './rollover.ts';
import { createSecretBox, sealedKeyId } from './secret-box.ts';
import { SecretKey } from './secret-key.ts';

const COL = secretColumn('test_secrets', 'secret');

describe(`siaga secrets rotate, end to end below the CLI (${TEST_DIALECT})`, () => {
  let tdb: TestDatabase;
  let db: Kysely<any>;
  let dir: string;
  let config: KeyringConfig;
  beforeEach(async () => {
    tdb = await createTestDatabase();
    db = tdb.storage.db;
    await db.schema
      .createTable('test_secrets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('secret', 'text')
      .execute();
    dir = mkdtempSync(path.join(os.tmpdir(), 'siaga-rollover-'));
    config = { secrets: { keys: undefined, keyFile: path.join(dir, 'secret.key') } };
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await tdb.drop();
  });

  async function seed(keyring: Keyring, n: number): Promise<void> {
    const box = createSecretBox(keyring);
    for (let i = 0; i < n; i++) {
      const id = `row_${i}`;
      await db
        .insertInto('test_secrets')
        .values({ id, secret: box.seal(`secret-${i}`, COL.aad(id)) })
        .execute();
    }
  }
  const keyIds = async () =>
    ((await db.selectFrom('test_secrets').select('secret').execute()) as { secret: string }[]).map((r) =>
      sealedKeyId(r.secret),
    );
  const fileKeys = () => readFileSync(config.secrets.keyFile, 'utf8').trim().split('\n');

  it('with the key file: adds a new primary key, re-seals under it, then --drop-old leaves only that key', async () => {
    const server = loadKeyring(config);
    const old = server.primary.id;
    await seed(server, 5);

    const r = await rotateKeys(loadKeyring(config), [COL], db);
    expect(r).toMatchObject({ source: 'file', generated: true, resumed: false, older: [old] });
    expect(r.columns).toEqual([{ table: 'test_secrets', column: 'secret', resealed: 5, remaining: 0 }]);
    expect(fileKeys()).toHaveLength(2);
    expect(statSync(config.secrets.keyFile).mode & 0o777).toBe(0o600);
    expect(new Set(await keyIds())).toEqual(new Set([r.primary]));
    // The server that was already running reads the re-sealed values and seals new ones under the new key.
    expect(
      createSecretBox(server).open(
        (
          await db
            .selectFrom('test_secrets')
            .select('secret')
            .where('id', '=', 'row_0')
            .executeTakeFirstOrThrow()
        ).secret,
        COL.aad('row_0'),
      ),
    ).toBe('secret-0');
    expect(server.primary.id).toBe(r.primary);

    const dropped = await dropOldKeys(loadKeyring(config), [COL], db);
    expect(dropped).toEqual({ primary: r.primary, dropped: [old] });
    expect(fileKeys()).toHaveLength(1);
    expect(loadKeyring(config).keys.map((k) => k.id)).toEqual([r.primary]);
  });

  it('refuses --drop-old while a value is still sealed with an old key', async () => {
    const ring = loadKeyring(config);
    const old = ring.primary;
    await seed(ring, 3);
    const fresh = SecretKey.generate();
    writeKeyFile(config.secrets.keyFile, [fresh, old]);
    await expect(dropOldKeys(loadKeyring(config), [COL], db)).rejects.toThrow(
      `old keys are still in use (test_secrets.secret: 3 with ${old.id}); run siaga secrets rotate first, then --drop-old again`,
    );
    expect(fileKeys()).toHaveLength(2);
  });

  it('finishes an unfinished rotation instead of adding yet another key', async () => {
    const ring = loadKeyring(config);
    const old = ring.primary;
    await seed(ring, 3);
    const lost = SecretKey.generate();
    await db
      .insertInto('test_secrets')
      .values({
        id: 'row_lost',
        secret: createSecretBox(new Keyring([lost], { source: 'env' })).seal('x', COL.aad('row_lost')),
      })
      .execute();

    await expect(rotateKeys(loadKeyring(config), [COL], db)).rejects.toThrow(`sealed with key ${lost.id}`);
    const afterFailure = fileKeys();
    expect(afterFailure).toHaveLength(2);

    await db.deleteFrom('test_secrets').where('id', '=', 'row_lost').execute();
    const r = await rotateKeys(loadKeyring(config), [COL], db);
    expect(r).toMatchObject({ generated: false, resumed: true, older: [old.id] });
    expect(fileKeys()).toEqual(afterFailure);
    expect(new Set(await keyIds())).toEqual(new Set([r.primary]));

    const again = await rotateKeys(loadKeyring(config), [COL], db);
    expect(again).toMatchObject({ generated: true, resumed: false });
    expect(fileKeys()).toHaveLength(3);
  });

  it('with SIAGA_SECRET_KEY: generates nothing, re-seals under the first key, and will not edit a key file', async () => {
    const [a, b] = [SecretKey.generate(), SecretKey.generate()];
    await seed(new Keyring([a], { source: 'env' }), 4);
    const env = { secrets: { keys: [b, a], keyFile: config.secrets.keyFile } };
    const r = await rotateKeys(loadKeyring(env), [COL], db);
    expect(r).toMatchObject({
      source: 'env',
      file: undefined,
      primary: b.id,
      generated: false,
      older: [a.id],
    });
    expect(r.columns[0]).toMatchObject({ resealed: 4, remaining: 0 });
    expect(new Set(await keyIds())).toEqual(new Set([b.id]));
    await expect(dropOldKeys(loadKeyring(env), [COL], db)).rejects.toThrow(
      /remove the old keys from SIAGA_SECRET_KEY yourself/,
    );
    expect(() => statSync(config.secrets.keyFile)).toThrow();
  });
});
