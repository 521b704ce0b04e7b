import type { EpochMs } from '../platform/clock.ts';
import { sql, type ExpressionBuilder } from 'kysely';
import {
  queryTemplate,
  type QueryTemplate,
  type Database,
  type Db,
  type Dialect,
  type JobsTable,
  type QueryTarget,
} from '../storage/index.ts';

/** The only file that writes job state. Every transition is a compare-and-set on (state, owner, attempts). */

export type JobRow = JobsTable;

/** States as literals: a partial index serves a query only when its condition is written out, not bound. */
const QUEUED = sql.lit<'queued'>('queued');
const RUNNING = sql.lit<'running'>('running');

/**
 * The distinct priorities of queued jobs, found by index seeks (a loose index scan: the smallest, then the
 * smallest above it, ...), not by reading the queue: there are a handful, whatever the queue's length.
 */
const QUEUED_PRIORITIES = sql<number>`(
  with recursive prio(p) as (
    select (select min(priority) from jobs where state = 'queued')
    union all
    select (select min(priority) from jobs where state = 'queued' and priority > prio.p) from prio
    where prio.p is not null
  )
  select p from prio
)`;

type ClaimArgs = { now: EpochMs; owner: string; leaseExpiresAt: EpochMs };

/**
 * The claim is compiled once per limit and set of kinds (a runner's kinds are fixed; its free slots take a few
 * values): building it with Kysely on every claim cost more than running it.
 */
const claimTemplates = new Map<string, QueryTemplate<ClaimArgs, JobRow>>();

function claimTemplate(dialect: Dialect, limit: number, kinds: readonly string[]) {
  const key = `${dialect}|${limit}|${kinds.join(',')}`;
  let template = claimTemplates.get(key);
  if (!template) {
    template = queryTemplate((db, a: ClaimArgs) =>
      db
        .updateTable('jobs')
        .set((eb) => ({
          state: 'running',
          lease_owner: a.owner,
          lease_expires_at: a.leaseExpiresAt,
          attempts: eb('attempts', '+', 1),
          updated_at: a.now,
        }))
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('jobs')
            .select('id')
            .where('state', '=', QUEUED)
            // One range seek on jobs_due_idx (priority, run_at) per priority in use, in the claim's order, so
            // the claim stops after `limit` rows and never reads a job that is not due. Without the priority
            // list the index is walked through every queued job of a more urgent priority that is due later
            // (each open incident's next escalation step: 0.4 ms a claim with 12,000 of them), and on
            // (state, run_at) the whole due backlog is sorted on every claim.
            .where('priority', 'in', QUEUED_PRIORITIES)
            .where('run_at', '<=', a.now)
            .where('kind', 'in', kinds)
            .orderBy('priority')
            .orderBy('run_at')
            // Ties in enqueue order. SQLite's index already keeps them so (rowid order), and an `id` term there
            // would make it sort the whole backlog; PostgreSQL needs the term, and sorts only the tied rows.
            .$if(dialect === 'postgres', (qb) => qb.orderBy('id').forUpdate().skipLocked())
            .limit(limit),
        )
        .returningAll(),
    );
    claimTemplates.set(key, template);
  }
  return template;
}

/**
 * Claims up to `limit` due jobs of the given kinds in one statement. PostgreSQL skips rows other nodes are
 * claiming (FOR UPDATE SKIP LOCKED); SQLite has a single writer, so the statement is atomic by itself.
 */
export async function claimDueJobs(
  db: Db,
  dialect: Dialect,
  opts: { now: EpochMs; limit: number; owner: string; leaseMs: number; kinds: readonly string[] },
): Promise<JobRow[]> {
  if (opts.limit <= 0 || opts.kinds.length === 0) return [];
  const { rows } = await claimTemplate(dialect, opts.limit, opts.kinds).run(
    { db, dialect },
    { now: opts.now, owner: opts.owner, leaseExpiresAt: (opts.now + opts.leaseMs) as EpochMs },
  );
  return rows.sort((a, b) => a.priority - b.priority || a.run_at - b.run_at || (a.id < b.id ? -1 : 1));
}

// Every job that runs is completed: compiled once (storage/templates.ts).
const markDone = queryTemplate((db, a: Lease & { now: EpochMs }) =>
  db
    .updateTable('jobs')
    .set({
      state: 'done',
      finished_at: a.now,
      updated_at: a.now,
      lease_owner: null,
      lease_expires_at: null,
      last_error: null,
    })
    .where(ownedBy(a)),
);

/** Marks a job done, only if this worker still holds the lease for this attempt. */
export async function completeJob(store: QueryTarget, job: JobRow, now: EpochMs): Promise<boolean> {
  const r = await markDone.run(store, { ...leaseOf(job), now });
  return r.numAffectedRows === 1n;
}

/** Marks jobs done (call it in one transaction); returns how many this worker still held. */
export async function completeJobs(
  store: QueryTarget,
  jobs: readonly JobRow[],
  now: EpochMs,
): Promise<number> {
  let done = 0;
  for (const job of jobs) if (await completeJob(store, job, now)) done++;
  return done;
}

/** Schedules a retry, or fails the job for good when `retryAt` is null. */
export async function failJob(
  db: Db,
  job: JobRow,
  now: EpochMs,
  error: string,
  retryAt: EpochMs | null,
): Promise<boolean> {
  const base = {
    updated_at: now,
    lease_owner: null,
    lease_expires_at: null,
    last_error: error.slice(0, 2000),
  };
  const r = await db
    .updateTable('jobs')
    .where(ownedBy(leaseOf(job)))
    .set(
      retryAt === null
        ? { ...base, state: 'failed' as const, finished_at: now }
        : { ...base, state: 'queued' as const, run_at: retryAt },
    )
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/** The fencing condition: still running, under this worker's lease, for this attempt. */
const ownedBy = (lease: Lease) => (eb: ExpressionBuilder<Database, 'jobs'>) =>
  eb.and([
    eb('id', '=', lease.id),
    eb('state', '=', 'running'),
    eb('lease_owner', '=', lease.owner),
    eb('attempts', '=', lease.attempts),
  ]);

/** What a worker holds while it runs a job: this job, under its lease, for this attempt. */
interface Lease {
  readonly id: string;
  readonly owner: string;
  readonly attempts: number;
}

const leaseOf = (job: JobRow): Lease => ({
  id: job.id,
  owner: job.lease_owner ?? '',
  attempts: job.attempts,
});

/**
 * Returns jobs whose worker stopped renewing (crashed, killed, partitioned) to the queue, or fails them when
 * they have used every attempt. Returns how many were requeued and failed.
 */
export async function reapExpiredLeases(db: Db, now: EpochMs): Promise<{ requeued: number; failed: number }> {
  const error = 'lease expired: the worker stopped before finishing';
  const failed = await db
    .updateTable('jobs')
    .set({
      state: 'failed',
      finished_at: now,
      updated_at: now,
      lease_owner: null,
      lease_expires_at: null,
      last_error: error,
    })
    .where('state', '=', RUNNING)
    .where('lease_expires_at', '<', now)
    .whereRef('attempts', '>=', 'max_attempts')
    .executeTakeFirst();
  const requeued = await db
    .updateTable('jobs')
    .set({
      state: 'queued',
      run_at: now,
      updated_at: now,
      lease_owner: null,
      lease_expires_at: null,
      last_error: error,
    })
    .where('state', '=', RUNNING)
    .where('lease_expires_at', '<', now)
    .executeTakeFirst();
  return { requeued: Number(requeued.numUpdatedRows), failed: Number(failed.numUpdatedRows) };
}

/**
 * Earliest run time among queued jobs of these kinds, to sleep exactly until then. Written as "first in run_at
 * order" rather than `min()` so both databases walk `jobs_next_due_idx` and stop at the first row of a known
 * kind. A runner asks it on every wake-up, so it is compiled once per runner, its kinds written into the SQL.
 */
export function nextRunAtQuery(
  kinds: readonly string[],
): (store: QueryTarget) => Promise<EpochMs | undefined> {
  if (kinds.length === 0) return async () => undefined;
  const first = queryTemplate((db) =>
    db
      .selectFrom('jobs')
      .select('run_at')
      .where('state', '=', QUEUED)
      .where('kind', 'in', kinds)
      .orderBy('run_at')
      .limit(1),
  );
  return async (store) => (await first.run(store, {})).rows[0]?.run_at;
}

/** Deletes finished jobs older than the cut-off, a bounded batch at a time. */
export async function pruneFinishedJobs(db: Db, before: EpochMs, batch = 1000): Promise<number> {
  const r = await db
    .deleteFrom('jobs')
    .where('id', 'in', (eb) =>
      eb.selectFrom('jobs').select('id').where('finished_at', '<', before).limit(batch),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Queued and running jobs, each counted through its partial index (for the `siaga_jobs` gauge). */
export async function countUnfinishedJobs(db: Db): Promise<{ queued: number; running: number }> {
  const row = await db
    .selectNoFrom((eb) => {
      const count = (state: typeof QUEUED | typeof RUNNING) =>
        eb.selectFrom('jobs').select(eb.fn.countAll<number>().as('n')).where('state', '=', state);
      return [count(QUEUED).as('queued'), count(RUNNING).as('running')];
    })
    .executeTakeFirstOrThrow();
  return { queued: Number(row.queued ?? 0), running: Number(row.running ?? 0) };
}
