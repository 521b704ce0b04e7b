import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/harness/db.ts';
import { effectJob, testCtx } from '../../test/harness/jobs.ts';
import { testServices } from '../../test/harness/services.ts';
import { epochMs, MINUTE } from '../platform/clock.ts';
import { inTx } from '../storage/index.ts';
import { enqueue } from './enqueue.ts';
import { listenForWakeups, type WakeListener } from './wake.ts';

// Wake-ups across nodes are a PostgreSQL feature (SQLite has one server per file): *.pg.test.ts files run in the
// db-postgres project only.
describe('wake-ups across PostgreSQL nodes', () => {
  let tdb: TestDatabase;
  let listener: WakeListener | undefined;
  beforeEach(async () => {
    tdb = await createTestDatabase();
  });
  afterEach(async () => {
    await listener?.close();
    await tdb.drop();
  });

  /** Resolves once the listener has connected (it wakes once on connect to pick up anything missed). */
  async function listen(): Promise<{ wakes: () => number; next: () => Promise<void> }> {
    if (tdb.target.dialect !== 'postgres') throw new Error('postgres only');
    let count = 0;
    let waiter: (() => void) | undefined;
    const s = testServices();
    const connected = new Promise<void>((resolve) => {
      listener = listenForWakeups(
        tdb.target.dialect === 'postgres' ? tdb.target.url : '',
        () => {
          count++;
          waiter?.();
          resolve();
        },
        s.log,
      );
    });
    await connected;
    return {
      wakes: () => count,
      next: () => new Promise<void>((resolve) => (waiter = resolve)),
    };
  }

  it('wakes other nodes when a transaction that enqueued due work commits, never when it rolls back', async () => {
    const l = await listen();
    const before = l.wakes();
    const s = testServices();
    const ctx = testCtx(tdb.storage, s);

    await expect(
      inTx(ctx, async (tx) => {
        await enqueue(tx, effectJob, { key: 'a' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');

    const woken = l.next();
    await inTx(ctx, (tx) => enqueue(tx, effectJob, { key: 'b' }));
    await woken;
    // Exactly one wake: the committed transaction; the rolled-back one sent nothing.
    expect(l.wakes() - before).toBe(1);
  });

  it('does not wake anyone for work due later; the runner timer finds it', async () => {
    const l = await listen();
    const before = l.wakes();
    const s = testServices();
    const ctx = testCtx(tdb.storage, s);
    await inTx(ctx, (tx) =>
      enqueue(tx, effectJob, { key: 'later' }, { runAt: epochMs(s.clock.now() + 5 * MINUTE) }),
    );
    // A due job afterwards proves the channel works and that nothing arrived in between.
    const woken = l.next();
    await inTx(ctx, (tx) => enqueue(tx, effectJob, { key: 'now' }));
    await woken;
    expect(l.wakes() - before).toBe(1);
  });
});
