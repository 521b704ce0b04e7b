import { sql, type Kysely } from 'kysely';
import { Type } from 'typebox';
import { defineJobType, handleJob, JobRunner, type JobHandler } from '../../src/jobs/index.ts';
import { MINUTE } from '../../src/platform/clock.ts';
import type { Services } from '../../src/platform/context.ts';
import type { Ctx, Storage } from '../../src/storage/index.ts';

/**
 * A job whose effect is a row keyed by `key`: inserting it twice changes nothing, which is what makes the
 * handler idempotent. `test_runs` counts every execution so tests can tell "ran twice" from "had effect twice".
 */
export const effectJob = defineJobType({
  kind: 'test.effect',
  payload: Type.Object({ key: Type.String() }),
  maxAttempts: 5,
});

export async function createEffectTables(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await sql`create table test_effects (key text primary key, worker text not null)`.execute(db);
  const idCol =
    dialect === 'postgres' ? sql`id bigserial primary key` : sql`id integer primary key autoincrement`;
  await sql`create table test_runs (${idCol}, key text not null, worker text not null)`.execute(db);
}

export function effectHandler(worker: string, extra?: (ctx: Ctx) => Promise<void>): JobHandler {
  return handleJob(effectJob, async (ctx, { key }) => {
    const db = ctx.db as unknown as Kysely<any>;
    await db.insertInto('test_runs').values({ key, worker }).execute();
    await db
      .insertInto('test_effects')
      .values({ key, worker })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    await extra?.(ctx);
  });
}

export async function countEffects(db: Kysely<any>): Promise<{ effects: number; runs: number }> {
  const e = await db
    .selectFrom('test_effects')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const r = await db
    .selectFrom('test_runs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { effects: Number(e.n), runs: Number(r.n) };
}

export function testRunner(
  storage: Storage,
  services: Services,
  handlers: readonly JobHandler<any>[],
  workerId = 'w1',
): JobRunner {
  return new JobRunner(storage, services, {
    workerId,
    handlers,
    concurrency: 4,
    leaseMs: MINUTE,
    pollIntervalMs: 1000,
  });
}

/** A Ctx outside any transaction, as a route or a CLI command would build it. */
export function testCtx(storage: Storage, services: Services, wakeJobs: () => void = () => {}): Ctx {
  return {
    ...services,
    db: storage.db,
    dialect: storage.dialect,
    actor: { kind: 'system', name: 'test' },
    wakeJobs,
  };
}
