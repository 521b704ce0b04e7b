import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../../../test/harness/db.ts';
import { secretColumn } from './columns.ts';
import { countSealedByKey } from './inventory.ts';
import { Keyring } from './keyring.ts';
import { rotateSecrets } from './rotation.ts';
import { createSecretBox, sealedKeyId } from './secret-box.ts';
import { SecretKey } from './secret-key.ts';

const COL = secretColumn('test_secrets', 'secret');
const ring = (...keys: SecretKey[]) => new Keyring(keys, { source: 'env' });
const rowId = (i: number) => `row_${String(i).padStart(4, '0')}`;

describe(`rotating sealed secrets (${TEST_DIALECT})`, () => {
  let tdb: TestDatabase;
  let db: Kysely<any>;
  beforeEach(async () => {
    tdb = await createTestDatabase();
    db = tdb.storage.db;
    await db.schema
      .createTable('test_secrets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('secret', 'text')
      .execute();
  });
  afterEach(async () => tdb.drop());

  async function seed(n: number, sealWith: (i: number) => SecretKey): Promise<void> {
    const rows = Array.from({ length: n }, (_, i) => ({
      id: rowId(i),
      secret: createSecretBox(ring(sealWith(i))).seal(`secret-${i}-ü`, COL.aad(rowId(i))),
    }));
    for (let i = 0; i < rows.length; i += 100)
      await db
        .insertInto('test_secrets')
        .values(rows.slice(i, i + 100))
        .execute();
  }

  const all = async () =>
    (await db.selectFrom('test_secrets').selectAll().orderBy('id').execute()) as {
      id: string;
      secret: string | null;
    }[];

  it('re-seals every value under the new primary, in batches; a second run re-seals nothing', async () => {
    const [a, b] = [SecretKey.generate(), SecretKey.generate()];
    await seed(250, () => a);
    await db.insertInto('test_secrets').values({ id: 'row_null', secret: null }).execute();
    const before = await all();

    const report = await rotateSecrets(db, ring(b, a), [COL], { batchSize: 40 });
    expect(report).toEqual([{ table: 'test_secrets', column: 'secret', resealed: 250, remaining: 0 }]);

    const after = await all();
    const onlyB = createSecretBox(ring(b));
    for (const [i, row] of after.entries()) {
      if (row.id === 'row_null') {
        expect(row.secret).toBeNull();
        continue;
      }
      expect(sealedKeyId(row.secret!)).toBe(b.id);
      expect(row.secret).not.toBe(before[i]!.secret);
      expect(onlyB.open(row.secret!, COL.aad(row.id))).toBe(`secret-${Number(row.id.slice(4))}-ü`);
    }
    expect(await countSealedByKey(db, [COL])).toEqual([
      { table: 'test_secrets', column: 'secret', byKey: { [b.id]: 250 }, unrecognised: 0 },
    ]);

    expect(await rotateSecrets(db, ring(b, a), [COL], { batchSize: 40 })).toEqual([
      { table: 'test_secrets', column: 'secret', resealed: 0, remaining: 0 },
    ]);
    expect(await all()).toEqual(after);
  });

  it('stops at a value sealed with a key not in the keyring, changing nothing in that batch, and resumes later', async () => {
    const [a, b, lost] = [SecretKey.generate(), SecretKey.generate(), SecretKey.generate()];
    await seed(250, (i) => (i === 130 ? lost : a));
    const before = await all();

    const run = rotateSecrets(db, ring(b, a), [COL], { batchSize: 100 });
    await expect(run).rejects.toThrow(
      `re-sealing test_secrets.secret stopped (100 values re-sealed before, kept): the secret for test_secrets.secret:${rowId(130)} was sealed with key ${lost.id}, which is not in the keyring; add the old key to SIAGA_SECRET_KEY (after the current key)`,
    );
    const after = await all();
    expect(after.slice(0, 100).every((r) => sealedKeyId(r.secret!) === b.id)).toBe(true);
    expect(after.slice(100)).toEqual(before.slice(100));

    expect(await rotateSecrets(db, ring(b, a, lost), [COL], { batchSize: 100 })).toEqual([
      { table: 'test_secrets', column: 'secret', resealed: 150, remaining: 0 },
    ]);
    expect((await all()).every((r) => sealedKeyId(r.secret!) === b.id)).toBe(true);
  });

  it('refuses a value that is not sealed, or that was copied from another row', async () => {
    const a = SecretKey.generate();
    await seed(3, () => a);
    const copied = (await all())[0]!.secret;
    await db.updateTable('test_secrets').set({ secret: copied }).where('id', '=', rowId(2)).execute();
    await expect(rotateSecrets(db, ring(SecretKey.generate(), a), [COL])).rejects.toThrow(
      `the secret for test_secrets.secret:${rowId(2)} cannot be decrypted: it was altered, or it was sealed for another place`,
    );
    await db
      .updateTable('test_secrets')
      .set({ secret: 'plain-text-oops' })
      .where('id', '=', rowId(2))
      .execute();
    await expect(rotateSecrets(db, ring(SecretKey.generate(), a), [COL])).rejects.toThrow(
      /is not a sealed value/,
    );
    const inventory = await countSealedByKey(db, [COL]);
    expect(inventory[0]).toMatchObject({ byKey: { [a.id]: 2 }, unrecognised: 1 });
    expect(JSON.stringify(inventory)).not.toContain('plain-text');
  });
});
