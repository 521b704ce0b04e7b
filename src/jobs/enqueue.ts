import { sql } from 'kysely';
import type { Static, TSchema } from 'typebox';
import type { EpochMs } from '../platform/clock.ts';
import {
  afterCommit,
  afterRollback,
  assertInTransaction,
  queryTemplate,
  type Ctx,
} from '../storage/index.ts';
import type { JobsTable } from '../storage/schema.ts';
import type { JobType } from './define.ts';
import { checkPayload } from './payload-check.ts';
import { WAKE_CHANNEL } from './wake.ts';

export interface EnqueueOptions {
  /** Earliest start; default now. */
  readonly runAt?: EpochMs;
  /** While a job with this key is unfinished, enqueueing another with the same key does nothing. */
  readonly dedupKey?: string;
  readonly priority?: number;
}

/** A job due within this window wakes runners at commit; later ones are found by the runner's timer. */
const WAKE_WINDOW_MS = 1000;

const JOB_COLUMNS = [
  'id',
  'kind',
  'payload',
  'state',
  'priority',
  'run_at',
  'attempts',
  'max_attempts',
  'lease_owner',
  'lease_expires_at',
  'dedup_key',
  'last_error',
  'created_at',
  'updated_at',
  'finished_at',
] as const satisfies readonly (keyof JobsTable)[];

/** Every state change enqueues: compiled once (storage/templates.ts), not built by Kysely per job. */
const insertJob = queryTemplate(
  (db, row: JobsTable) =>
    db
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) => oc.column('dedup_key').where('finished_at', 'is', null).doNothing()),
  JOB_COLUMNS,
);

/**
 * Adds a job in the caller's transaction, so the job exists if and only if the state change that caused it
 * commits. Returns the job id, or `undefined` when an unfinished job with the same dedup key already exists.
 */
export async function enqueue<P extends TSchema>(
  ctx: Ctx,
  type: JobType<P>,
  payload: Static<P>,
  opts: EnqueueOptions = {},
): Promise<string | undefined> {
  assertInTransaction(ctx);
  const problem = checkPayload(type.payload, payload);
  if (problem)
    throw new TypeError(`job ${type.kind}: invalid payload at ${problem.pointer}: ${problem.message}`);
  const now = ctx.clock.now();
  const id = ctx.ids.next('job');
  const runAt = opts.runAt ?? now;
  // Due now and this node has a free slot: claim it here, start it after the commit. A crash before it finishes
  // leaves a running row whose lease expires, like any claimed job.
  const slot = runAt <= now ? ctx.jobs?.reserve(type.kind, ctx.tx) : undefined;
  const row: JobsTable = {
    id,
    kind: type.kind,
    payload: JSON.stringify(payload),
    state: slot ? 'running' : 'queued',
    priority: opts.priority ?? type.priority ?? 100,
    run_at: runAt,
    attempts: slot ? 1 : 0,
    max_attempts: type.maxAttempts,
    lease_owner: slot?.owner ?? null,
    lease_expires_at: slot?.leaseExpiresAt ?? null,
    dedup_key: opts.dedupKey ?? null,
    last_error: null,
    created_at: now,
    updated_at: now,
    finished_at: null,
  };
  const result = await insertJob.run(ctx, row);
  if (result.numAffectedRows === 0n) {
    slot?.release();
    return undefined;
  }
  if (slot) {
    afterCommit(ctx, () => slot.run(row));
    afterRollback(ctx, () => slot.release());
  } else if (runAt <= now + WAKE_WINDOW_MS) {
    // NOTIFY is transactional: other PostgreSQL nodes hear it only if this transaction commits.
    if (ctx.dialect === 'postgres') await sql`select pg_notify(${WAKE_CHANNEL}, '')`.execute(ctx.db);
    afterCommit(ctx, ctx.wakeJobs);
  }
  return id;
}
