import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueue } from '../../src/jobs/index.ts';
import { MINUTE } from '../../src/platform/clock.ts';
import { inTx } from '../../src/storage/index.ts';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../harness/db.ts';
import {
  countEffects,
  createEffectTables,
  effectHandler,
  effectJob,
  testCtx,
  testRunner,
} from '../harness/jobs.ts';
import { testServices } from '../harness/services.ts';

const WORKER = path.join(import.meta.dirname, 'fixtures', 'hanging-worker.ts');

describe(`a job whose process is killed mid-run (${TEST_DIALECT})`, () => {
  let tdb: TestDatabase;
  beforeEach(async () => {
    tdb = await createTestDatabase();
    await createEffectTables(tdb.storage.db, tdb.storage.dialect);
  });
  afterEach(async () => tdb.drop());

  it('runs again after its lease expires, and its effect happens once', async () => {
    const s = testServices();
    const db = tdb.storage.db as unknown as Kysely<any>;
    const jobId = await inTx(testCtx(tdb.storage, s), (tx) => enqueue(tx, effectJob, { key: 'page-alice' }));

    const child = spawn(process.execPath, [WORKER], {
      env: {
        ...process.env,
        TEST_DB_TARGET: JSON.stringify(tdb.target),
        TEST_CLOCK_MS: String(s.clock.now()),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await waitForLine(child.stdout, 'effect-committed', 20_000);
      const running = await tdb.storage.db
        .selectFrom('jobs')
        .selectAll()
        .where('id', '=', jobId!)
        .executeTakeFirstOrThrow();
      expect(running).toMatchObject({ state: 'running', attempts: 1, lease_owner: `child-${child.pid}` });
    } finally {
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    }
    expect(child.signalCode).toBe('SIGKILL');

    const runner = testRunner(tdb.storage, s, [effectHandler('parent')]);
    // Before the lease expires nobody may take the job: the worker might only be slow.
    s.clock.advance(MINUTE - 1);
    expect(await runner.drainUntilIdle()).toBe(0);
    s.clock.advance(2);
    expect(await runner.drainUntilIdle()).toBe(1);

    const done = await tdb.storage.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', jobId!)
      .executeTakeFirstOrThrow();
    expect(done).toMatchObject({ state: 'done', attempts: 2 });
    expect(await countEffects(db)).toEqual({ effects: 1, runs: 2 });
    expect(await db.selectFrom('test_effects').select(['key', 'worker']).execute()).toEqual([
      { key: 'page-alice', worker: 'child' },
    ]);
  });
});

async function waitForLine(stream: NodeJS.ReadableStream, line: string, timeoutMs: number): Promise<void> {
  let buffered = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`child did not print "${line}" within ${timeoutMs} ms: ${buffered}`)),
      timeoutMs,
    );
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.split('\n').includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    stream.on('end', () => reject(new Error(`child exited before printing "${line}": ${buffered}`)));
  });
}
