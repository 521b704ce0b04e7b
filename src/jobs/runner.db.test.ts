import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../../test/harness/db.ts';
import { useEffectDatabase } from '../../test/harness/effect-database.ts';
import { countEffects, effectHandler, effectJob, testCtx, testRunner } from '../../test/harness/jobs.ts';
import { testServices } from '../../test/harness/services.ts';
import { epochMs, MINUTE, SECOND } from '../platform/clock.ts';
import { notFound } from '../platform/errors.ts';
import { inTx } from '../storage/index.ts';
import { defineJobType, handleJob, handleJobsInBatches, PermanentJobError } from './define.ts';
import { enqueue } from './enqueue.ts';
import { JobRunner } from './runner.ts';

/** A job type whose payload is a name, run at most once. */
const namedJob = (kind: string) =>
  defineJobType({ kind, payload: Type.Object({ name: Type.String() }), maxAttempts: 1 });

describe(`durable jobs (${TEST_DIALECT})`, () => {
  const db = useEffectDatabase();

  const jobRow = (id: string) =>
    db.tdb.storage.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('never runs a job whose transaction rolled back', async () => {
    const s = testServices();
    const ctx = testCtx(db.tdb.storage, s);
    await expect(
      inTx(ctx, async (tx) => {
        await enqueue(tx, effectJob, { key: 'rolled-back' });
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    const runner = testRunner(db.tdb.storage, s, [effectHandler('w1')]);
    expect(await runner.drainUntilIdle()).toBe(0);
    expect(await countEffects(db.anyDb)).toEqual({ effects: 0, runs: 0 });
    expect(await db.tdb.storage.db.selectFrom('jobs').selectAll().execute()).toEqual([]);
  });

  it('wakes the runner only after the enqueueing transaction commits', async () => {
    const s = testServices();
    const wakes: string[] = [];
    const ctx = testCtx(db.tdb.storage, s, () => wakes.push('wake'));
    await inTx(ctx, async (tx) => {
      await enqueue(tx, effectJob, { key: 'a' });
      expect(wakes).toEqual([]);
    });
    expect(wakes).toEqual(['wake']);
  });

  it('runs a job scheduled for t+5min when the clock reaches it and not before', async () => {
    const s = testServices();
    const ctx = testCtx(db.tdb.storage, s);
    await inTx(ctx, (tx) =>
      enqueue(tx, effectJob, { key: 'later' }, { runAt: epochMs(s.clock.now() + 5 * MINUTE) }),
    );
    const runner = testRunner(db.tdb.storage, s, [effectHandler('w1')]);
    expect(await runner.drainUntilIdle()).toBe(0);
    s.clock.advance(5 * MINUTE - 1);
    expect(await runner.drainUntilIdle()).toBe(0);
    expect((await countEffects(db.anyDb)).effects).toBe(0);
    s.clock.advance(1);
    expect(await runner.drainUntilIdle()).toBe(1);
    expect(await countEffects(db.anyDb)).toEqual({ effects: 1, runs: 1 });
  });

  it('retries a failing job with exponential backoff and stops at the maximum', async () => {
    const s = testServices({ random: () => 0 });
    const flaky = defineJobType({ kind: 'test.flaky', payload: Type.Object({}), maxAttempts: 4 });
    const attemptsAt: number[] = [];
    const runner = testRunner(db.tdb.storage, s, [
      handleJob(flaky, async (ctx) => {
        attemptsAt.push(ctx.clock.now());
        throw new Error('provider is down');
      }),
    ]);
    const id = await inTx(testCtx(db.tdb.storage, s), (tx) => enqueue(tx, flaky, {}));
    const start: number = s.clock.now();
    await runner.drainUntilIdle();
    // 1 s, 2 s, 4 s between attempts; nothing runs a millisecond early.
    for (const gap of [SECOND, 2 * SECOND, 4 * SECOND]) {
      s.clock.advance(gap - 1);
      expect(await runner.drainUntilIdle()).toBe(0);
      s.clock.advance(1);
      expect(await runner.drainUntilIdle()).toBe(1);
    }
    expect(attemptsAt.map((t) => t - start)).toEqual([0, 1000, 3000, 7000]);
    const row = await jobRow(id!);
    expect(row).toMatchObject({ state: 'failed', attempts: 4, last_error: 'provider is down' });
    s.clock.advance(60 * MINUTE);
    expect(await runner.drainUntilIdle()).toBe(0);
    expect(attemptsAt).toHaveLength(4);
  });

  it('adds jitter to the backoff so failures do not retry in lock-step', async () => {
    const s = testServices({ random: () => 0.999 });
    const flaky = defineJobType({ kind: 'test.flaky', payload: Type.Object({}), maxAttempts: 2 });
    const runner = testRunner(db.tdb.storage, s, [
      handleJob(flaky, async () => Promise.reject(new Error('down'))),
    ]);
    const id = await inTx(testCtx(db.tdb.storage, s), (tx) => enqueue(tx, flaky, {}));
    await runner.drainUntilIdle();
    expect((await jobRow(id!)).run_at - s.clock.now()).toBe(1250);
  });

  it('fails a job at once on a permanent error, and treats not-found as nothing to do', async () => {
    const s = testServices();
    const permanent = defineJobType({ kind: 'test.permanent', payload: Type.Object({}), maxAttempts: 9 });
    const gone = defineJobType({ kind: 'test.gone', payload: Type.Object({}), maxAttempts: 9 });
    const runner = testRunner(db.tdb.storage, s, [
      handleJob(permanent, async () =>
        Promise.reject(new PermanentJobError('destination rejected the message')),
      ),
      handleJob(gone, async () => Promise.reject(notFound('incident', 'inc_1'))),
    ]);
    const [p, g] = await inTx(testCtx(db.tdb.storage, s), async (tx) => [
      await enqueue(tx, permanent, {}),
      await enqueue(tx, gone, {}),
    ]);
    expect(await runner.drainUntilIdle()).toBe(2);
    expect(await jobRow(p!)).toMatchObject({
      state: 'failed',
      attempts: 1,
      last_error: 'destination rejected the message',
    });
    expect(await jobRow(g!)).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('fails a job whose stored payload no longer matches its type, without running the handler', async () => {
    const s = testServices();
    const runner = testRunner(db.tdb.storage, s, [effectHandler('w1')]);
    const id = await inTx(testCtx(db.tdb.storage, s), (tx) => enqueue(tx, effectJob, { key: 'x' }));
    await db.tdb.storage.db
      .updateTable('jobs')
      .set({ payload: '{"key":42}' })
      .where('id', '=', id!)
      .execute();
    await runner.drainUntilIdle();
    expect(await jobRow(id!)).toMatchObject({
      state: 'failed',
      last_error: 'payload does not match the job type',
    });
    expect((await countEffects(db.anyDb)).runs).toBe(0);
  });

  it('refuses a payload that does not match the job type at enqueue time', async () => {
    const s = testServices();
    await expect(
      inTx(testCtx(db.tdb.storage, s), (tx) =>
        enqueue(tx, effectJob, { key: 7 } as unknown as { key: string }),
      ),
    ).rejects.toThrow(/invalid payload at \/key/);
  });

  it('enqueues at most one unfinished job per dedup key', async () => {
    const s = testServices();
    const ctx = testCtx(db.tdb.storage, s);
    const first = await inTx(ctx, (tx) => enqueue(tx, effectJob, { key: 'a' }, { dedupKey: 'incident-1' }));
    const second = await inTx(ctx, (tx) => enqueue(tx, effectJob, { key: 'b' }, { dedupKey: 'incident-1' }));
    expect(first).toBeDefined();
    expect(second).toBeUndefined();
    const runner = testRunner(db.tdb.storage, s, [effectHandler('w1')]);
    expect(await runner.drainUntilIdle()).toBe(1);
    // Once the first has finished, the key is free again.
    expect(
      await inTx(ctx, (tx) => enqueue(tx, effectJob, { key: 'c' }, { dedupKey: 'incident-1' })),
    ).toBeDefined();
  });

  describe('batches', () => {
    const fact = defineJobType({
      kind: 'test.fact',
      payload: Type.Object({ name: Type.String() }),
      maxAttempts: 3,
    });
    const batchRunner = (s: ReturnType<typeof testServices>, calls: string[][], failOn?: string) =>
      new JobRunner(db.tdb.storage, s, {
        workerId: 'w1',
        handlers: [
          handleJobsInBatches(fact, 50, async (_ctx, facts) => {
            const names = facts.map((f) => f.name);
            calls.push(names);
            if (failOn && names.includes(failOn)) throw new Error(`cannot handle ${failOn}`);
          }),
        ],
        concurrency: 2,
        leaseMs: MINUTE,
        pollIntervalMs: 1000,
      });
    const enqueueFacts = (s: ReturnType<typeof testServices>, n: number) =>
      inTx(testCtx(db.tdb.storage, s), async (tx) => {
        const ids: string[] = [];
        for (let i = 0; i < n; i++) ids.push((await enqueue(tx, fact, { name: `f${i}` }))!);
        return ids;
      });

    it('hands a backlog of one kind to its handler in batches and completes every job', async () => {
      const s = testServices();
      const ids = await enqueueFacts(s, 120);
      const calls: string[][] = [];
      expect(await batchRunner(s, calls).drainUntilIdle()).toBe(120);
      // 120 jobs in three calls, not 120: at most 50 each, every job exactly once, in order.
      expect(calls.map((c) => c.length)).toEqual([50, 50, 20]);
      expect(calls.flat()).toEqual(Array.from({ length: 120 }, (_, i) => `f${i}`));
      const states = await db.tdb.storage.db
        .selectFrom('jobs')
        .select('state')
        .where('id', 'in', ids)
        .execute();
      expect(states.every((r) => r.state === 'done')).toBe(true);
    });

    it('runs the jobs of a failed batch one by one, so only the bad one is retried', async () => {
      const s = testServices();
      const ids = await enqueueFacts(s, 3);
      const calls: string[][] = [];
      await batchRunner(s, calls, 'f1').drainUntilIdle();
      expect(calls).toEqual([['f0', 'f1', 'f2'], ['f0'], ['f1'], ['f2']]);
      const rows = await db.tdb.storage.db
        .selectFrom('jobs')
        .select(['id', 'state', 'last_error'])
        .where('id', 'in', ids)
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(byId.get(ids[0]!)?.state).toBe('done');
      expect(byId.get(ids[1]!)).toMatchObject({ state: 'queued', last_error: 'cannot handle f1' });
      expect(byId.get(ids[2]!)?.state).toBe('done');
    });
  });

  describe('transactional handlers', () => {
    const dbOnly = defineJobType({
      kind: 'test.dbonly',
      payload: Type.Object({ key: Type.String() }),
      maxAttempts: 3,
    });

    it("commit their effect together with the job's completion", async () => {
      const s = testServices();
      const runner = testRunner(db.tdb.storage, s, [
        handleJob(
          dbOnly,
          async (ctx, { key }) => {
            // Inside the runner's transaction: the job is not done yet, and will be when this commits.
            expect(ctx.tx).toBeDefined();
            await (ctx.db as unknown as Kysely<any>)
              .insertInto('test_effects')
              .values({ key, worker: 'w1' })
              .execute();
          },
          { transactional: true },
        ),
      ]);
      const id = await inTx(testCtx(db.tdb.storage, s), (tx) => enqueue(tx, dbOnly, { key: 'k' }));
      expect(await runner.drainUntilIdle()).toBe(1);
      expect(await jobRow(id!)).toMatchObject({ state: 'done', attempts: 1 });
      expect((await countEffects(db.anyDb)).effects).toBe(1);
    });

    it('roll their effect back when the lease was lost meanwhile, leaving the job to its new holder', async () => {
      const s = testServices();
      const runner = testRunner(db.tdb.storage, s, [
        handleJob(
          dbOnly,
          async (ctx, { key }) => {
            const db = ctx.db as unknown as Kysely<any>;
            await db.insertInto('test_effects').values({ key, worker: 'w1' }).execute();
            // Another node reaped and re-claimed the job while this one worked.
            await db
              .updateTable('jobs')
              .set({ lease_owner: 'w2' })
              .where('kind', '=', 'test.dbonly')
              .execute();
          },
          { transactional: true },
        ),
      ]);
      const id = await inTx(testCtx(db.tdb.storage, s), (tx) => enqueue(tx, dbOnly, { key: 'k' }));
      await runner.drainUntilIdle();
      expect((await countEffects(db.anyDb)).effects).toBe(0);
      expect(await jobRow(id!)).toMatchObject({ state: 'running', lease_owner: 'w1' });
    });
  });

  describe('loops', () => {
    it('runs a loop again as soon as it finishes when it was poked while busy, not at the next poll', async () => {
      const s = testServices();
      let releaseSender!: () => void;
      const senderBlocks = new Promise<void>((resolve) => (releaseSender = resolve));
      let senderRanAgain!: () => void;
      const secondSend = new Promise<void>((resolve) => (senderRanAgain = resolve));
      let watcherRan!: () => void;
      let watcherRun = new Promise<void>((resolve) => (watcherRan = resolve));
      let sends = 0;
      let watches = 0;
      const runner = new JobRunner(db.tdb.storage, s, {
        workerId: 'w1',
        handlers: [],
        concurrency: 2,
        leaseMs: MINUTE,
        // A lost wake-up would leave the second send to this poll, far beyond the test's timeout.
        pollIntervalMs: 10 * MINUTE,
        loops: [
          {
            name: 'test.sender',
            async runOnce() {
              sends += 1;
              if (sends === 1) await senderBlocks;
              else senderRanAgain();
              return { worked: 0, nextDueAt: null };
            },
          },
          {
            // Runs on every poke; the runner kicks loops in order, so when it runs the runner has already seen
            // the sender busy and marked it to run again.
            name: 'test.watcher',
            async runOnce() {
              watches += 1;
              watcherRan();
              return { worked: 0, nextDueAt: null };
            },
          },
        ],
      });
      runner.start();
      try {
        await watcherRun; // started with the runner, beside the sender's first (blocked) run
        watcherRun = new Promise<void>((resolve) => (watcherRan = resolve));
        runner.poke(); // work committed for the sender while it is busy with the previous batch
        await watcherRun;
        releaseSender();
        await secondSend;
        expect({ sends, watches }).toEqual({ sends: 2, watches: 2 });
      } finally {
        await runner.stop(5000);
      }
    });
  });

  describe('claimed at enqueue', () => {
    it('starts a job due now right after the commit on an idle runner, without a claim', async () => {
      const s = testServices();
      let ran!: () => void;
      const done = new Promise<void>((resolve) => (ran = resolve));
      const runner = testRunner(db.tdb.storage, s, [effectHandler('w1', async () => ran())]);
      runner.start();
      try {
        const ctx = { ...testCtx(db.tdb.storage, s), jobs: runner };
        const id = await inTx(ctx, async (tx) => {
          const jobId = await enqueue(tx, effectJob, { key: 'now' });
          // Claimed in the enqueueing transaction: leased to this runner, first attempt.
          expect(
            await tx.db.selectFrom('jobs').selectAll().where('id', '=', jobId!).executeTakeFirst(),
          ).toMatchObject({
            state: 'running',
            lease_owner: 'w1',
            attempts: 1,
          });
          return jobId;
        });
        await done;
        await runner.stop(5000);
        expect(await jobRow(id!)).toMatchObject({ state: 'done', attempts: 1 });
        expect(await countEffects(db.anyDb)).toEqual({ effects: 1, runs: 1 });
      } finally {
        await runner.stop(5000);
      }
    });

    it('runs the jobs of a batch kind enqueued in one transaction as one batch, right after the commit', async () => {
      const s = testServices();
      const job = namedJob('test.together');
      const batches: string[][] = [];
      let ran!: () => void;
      const done = new Promise<void>((resolve) => (ran = resolve));
      const runner = testRunner(db.tdb.storage, s, [
        handleJobsInBatches(
          job,
          100,
          async (_ctx, payloads) => {
            batches.push(payloads.map((p) => p.name));
            ran();
          },
          { transactional: true },
        ),
      ]);
      runner.start();
      try {
        const ctx = { ...testCtx(db.tdb.storage, s), jobs: runner };
        const ids = await inTx(ctx, async (tx) => {
          const made: string[] = [];
          for (const name of ['a', 'b', 'c', 'd', 'e']) made.push((await enqueue(tx, job, { name }))!);
          // All five claimed in the transaction, as one slot: the runner allows two such slots.
          const rows = await tx.db.selectFrom('jobs').select(['state', 'lease_owner']).execute();
          expect(rows).toEqual(Array(5).fill({ state: 'running', lease_owner: 'w1' }));
          return made;
        });
        await done;
        await runner.stop(5000);
        expect(batches).toEqual([['a', 'b', 'c', 'd', 'e']]);
        for (const id of ids) expect(await jobRow(id)).toMatchObject({ state: 'done', attempts: 1 });
      } finally {
        await runner.stop(5000);
      }
    });

    it('gives the slot back when the enqueueing transaction rolls back', async () => {
      const s = testServices();
      const runner = testRunner(db.tdb.storage, s, [effectHandler('w1')]);
      runner.start();
      try {
        const ctx = { ...testCtx(db.tdb.storage, s), jobs: runner };
        for (let i = 0; i < 10; i++)
          await expect(
            inTx(ctx, async (tx) => {
              await enqueue(tx, effectJob, { key: `k${i}` });
              throw new Error('rolled back');
            }),
          ).rejects.toThrow('rolled back');
        // Ten rollbacks later the idle runner still has its slots.
        expect(runner.reserve(effectJob.kind)).toBeDefined();
        expect(await db.tdb.storage.db.selectFrom('jobs').selectAll().execute()).toEqual([]);
      } finally {
        await runner.stop(5000);
      }
    });
  });

  it('runs higher-priority jobs first', async () => {
    const s = testServices();
    const order: string[] = [];
    const job = namedJob('test.order');
    const runner = new JobRunner(db.tdb.storage, s, {
      workerId: 'w1',
      handlers: [handleJob(job, async (_ctx, { name }) => void order.push(name))],
      concurrency: 1,
      leaseMs: MINUTE,
      pollIntervalMs: 1000,
    });
    await inTx(testCtx(db.tdb.storage, s), async (tx) => {
      await enqueue(tx, job, { name: 'report' }, { priority: 200 });
      await enqueue(tx, job, { name: 'page' }, { priority: 10 });
      await enqueue(tx, job, { name: 'normal' });
    });
    await runner.drainUntilIdle();
    expect(order).toEqual(['page', 'normal', 'report']);
  });

  it('runs a due job queued behind many more urgent jobs that are due later, and none of those', async () => {
    const s = testServices();
    const ran: string[] = [];
    const job = namedJob('test.mixed');
    const runner = testRunner(db.tdb.storage, s, [
      handleJob(job, async (_ctx, { name }) => void ran.push(name)),
    ]);
    const now = s.clock.now();
    await inTx(testCtx(db.tdb.storage, s), async (tx) => {
      // Like every open incident's next escalation step: urgent, but not yet due.
      for (let i = 0; i < 300; i++)
        await enqueue(tx, job, { name: `later-${i}` }, { priority: 10, runAt: epochMs(now + MINUTE + i) });
      await enqueue(tx, job, { name: 'due-report' }, { priority: 200 });
      await enqueue(tx, job, { name: 'due-normal' });
      await enqueue(tx, job, { name: 'due-page' }, { priority: 10 });
    });
    expect(await runner.drainUntilIdle()).toBe(3);
    expect(ran).toEqual(['due-page', 'due-normal', 'due-report']);
    s.clock.advance(MINUTE + 299);
    expect(await runner.drainUntilIdle()).toBe(300);
    expect(ran.slice(3, 6)).toEqual(['later-0', 'later-1', 'later-2']);
  });

  it('lets jobs enqueue follow-up jobs that the same drain runs', async () => {
    const s = testServices();
    const chain = defineJobType({
      kind: 'test.chain',
      payload: Type.Object({ n: Type.Integer() }),
      maxAttempts: 1,
    });
    const seen: number[] = [];
    const runner = testRunner(db.tdb.storage, s, [
      handleJob(chain, async (ctx, { n }) => {
        seen.push(n);
        if (n < 3) await inTx(ctx, (tx) => enqueue(tx, chain, { n: n + 1 }));
      }),
    ]);
    await inTx(testCtx(db.tdb.storage, s), (tx) => enqueue(tx, chain, { n: 1 }));
    expect(await runner.drainUntilIdle()).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('does not let a worker whose lease was taken over record the outcome', async () => {
    const s = testServices();
    const ctx = testCtx(db.tdb.storage, s);
    const id = await inTx(ctx, (tx) => enqueue(tx, effectJob, { key: 'slow' }));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const started = new Promise<void>((r) => (entered = r));
    const slow = testRunner(
      db.tdb.storage,
      s,
      [
        effectHandler('slow', async () => {
          entered();
          await gate;
        }),
      ],
      'slow',
    );
    const draining = slow.drainUntilIdle();
    await started;
    // The slow worker looks dead: its lease expires and another worker takes the job and finishes it.
    s.clock.advance(MINUTE + 1);
    const fast = testRunner(db.tdb.storage, s, [effectHandler('fast')], 'fast');
    expect(await fast.drainUntilIdle()).toBe(1);
    release();
    await draining;
    expect(await jobRow(id!)).toMatchObject({ state: 'done', attempts: 2, lease_owner: null });
    expect(await countEffects(db.anyDb)).toEqual({ effects: 1, runs: 2 });
  });

  it('fails a job whose lease expired after its last attempt', async () => {
    const s = testServices();
    const once = defineJobType({ kind: 'test.once', payload: Type.Object({}), maxAttempts: 1 });
    const id = await inTx(testCtx(db.tdb.storage, s), (tx) => enqueue(tx, once, {}));
    // Simulate a worker that claimed the job and vanished.
    await db.tdb.storage.db
      .updateTable('jobs')
      .set({
        state: 'running',
        attempts: 1,
        lease_owner: 'ghost',
        lease_expires_at: (s.clock.now() + MINUTE) as never,
      })
      .where('id', '=', id!)
      .execute();
    const runner = testRunner(db.tdb.storage, s, [handleJob(once, async () => {})]);
    s.clock.advance(MINUTE + 1);
    expect(await runner.drainUntilIdle()).toBe(0);
    expect(await jobRow(id!)).toMatchObject({
      state: 'failed',
      last_error: expect.stringMatching(/lease expired/),
    });
  });

  it('processes 1,000 jobs with two runners on separate connections, every effect exactly once', async () => {
    const s = testServices();
    const ctx = testCtx(db.tdb.storage, s);
    await inTx(ctx, async (tx) => {
      for (let i = 0; i < 1000; i++) await enqueue(tx, effectJob, { key: `k${i}` });
    });
    const second = await db.tdb.openAnother();
    const a = new JobRunner(db.tdb.storage, s, {
      workerId: 'a',
      handlers: [effectHandler('a')],
      concurrency: 8,
      leaseMs: MINUTE,
      pollIntervalMs: 1000,
    });
    const b = new JobRunner(second, s, {
      workerId: 'b',
      handlers: [effectHandler('b')],
      concurrency: 8,
      leaseMs: MINUTE,
      pollIntervalMs: 1000,
    });
    const [ranA, ranB] = await Promise.all([a.drainUntilIdle(), b.drainUntilIdle()]);
    expect(ranA + ranB).toBe(1000);
    expect(await countEffects(db.anyDb)).toEqual({ effects: 1000, runs: 1000 });
    const perWorker = await db.anyDb
      .selectFrom('test_effects')
      .select(['worker', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('worker')
      .execute();
    if (TEST_DIALECT === 'postgres') {
      // Both nodes really shared the queue: neither sat idle while the other worked.
      expect(perWorker.map((r) => r.worker).sort()).toEqual(['a', 'b']);
    }
    const notDone = await db.tdb.storage.db
      .selectFrom('jobs')
      .select('id')
      .where('state', '<>', 'done')
      .execute();
    expect(notDone).toEqual([]);
  });
});
