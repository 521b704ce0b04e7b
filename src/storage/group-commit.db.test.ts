import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../../test/harness/db.ts';
import { useEffectDatabase } from '../../test/harness/effect-database.ts';
import { testCtx } from '../../test/harness/jobs.ts';
import { testServices } from '../../test/harness/services.ts';
import { groupCommit } from './group-commit.ts';

describe(`group commit (${TEST_DIALECT})`, () => {
  const db = useEffectDatabase();

  const keys = async () =>
    (await db.anyDb.selectFrom('test_effects').select('key').orderBy('key').execute()).map((r) => r.key);

  it('commits work submitted together in one transaction, each caller answered after its commit', async () => {
    const transactions = new Set<unknown>();
    const write = groupCommit<string, string>({
      async apply(tx, key) {
        transactions.add(tx.tx);
        await (tx.db as unknown as Kysely<any>)
          .insertInto('test_effects')
          .values({ key, worker: 'w' })
          .execute();
        return key.toUpperCase();
      },
    });
    const ctx = testCtx(db.tdb.storage, testServices());
    const answers = await Promise.all(['a', 'b', 'c'].map((k) => write(ctx, k)));
    expect(answers).toEqual(['A', 'B', 'C']);
    expect(transactions.size).toBe(1);
    expect(await keys()).toEqual(['a', 'b', 'c']);
  });

  it('fails only the bad item of a shared transaction; the others are committed', async () => {
    const write = groupCommit<string, void>({
      async apply(tx, key) {
        if (key === 'bad') throw new Error('refused: bad');
        await (tx.db as unknown as Kysely<any>)
          .insertInto('test_effects')
          .values({ key, worker: 'w' })
          .execute();
      },
    });
    const ctx = testCtx(db.tdb.storage, testServices());
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((k) => write(ctx, k)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('refused: bad');
    expect(await keys()).toEqual(['a', 'c']);
  });

  it('splits the queue by weight', async () => {
    const transactions: string[][] = [];
    let current: { tx: unknown; keys: string[] } | undefined;
    const write = groupCommit<string, void>({
      maxWeight: 2,
      async apply(tx, key) {
        if (current?.tx !== tx.tx) transactions.push((current = { tx: tx.tx, keys: [] }).keys);
        current!.keys.push(key);
      },
    });
    const ctx = testCtx(db.tdb.storage, testServices());
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((k) => write(ctx, k)));
    expect(transactions).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });
});
