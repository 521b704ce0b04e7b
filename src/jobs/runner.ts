import { checkPayload } from './payload-check.ts';
import { DAY, HOUR, type EpochMs } from '../platform/clock.ts';
import { systemActor, type Services } from '../platform/context.ts';
import { isAppError } from '../platform/errors.ts';
import { inTx, type Ctx, type JobReservation, type LocalJobs, type QueryTarget } from '../storage/index.ts';
import { defaultBackoffMs } from './backoff.ts';
import { PermanentJobError, type JobHandler } from './define.ts';
import {
  claimDueJobs,
  completeJob,
  completeJobs,
  failJob,
  nextRunAtQuery,
  pruneFinishedJobs,
  reapExpiredLeases,
  type JobRow,
} from './store.ts';

export type JobOutcome = 'done' | 'retry' | 'failed';

export interface JobObserver {
  jobFinished(kind: string, outcome: JobOutcome, seconds: number): void;
}

export interface JobRunnerOptions {
  /** Unique per process: written into the lease of every job it claims. */
  readonly workerId: string;
  readonly handlers: readonly JobHandler<any>[];
  readonly concurrency: number;
  readonly leaseMs: number;
  readonly pollIntervalMs: number;
  /** How long finished jobs are kept for inspection. Default 7 days. */
  readonly retentionMs?: number;
  readonly observer?: JobObserver;
  /** Singleton loops driven next to the jobs (the delivery dispatcher). */
  readonly loops?: readonly RunnerLoop[];
}

/**
 * A loop the runner drives beside its jobs: run when the runner is poked (a commit enqueued work), when its own
 * next due time arrives, and at every poll. One run at a time per loop and process; across nodes the loop takes
 * a lease itself. `drainUntilIdle()` runs loops too, so tests drive them like jobs.
 */
export interface RunnerLoop {
  readonly name: string;
  /** Does what is due now; says how much it did and when it next has work (null: only when poked). */
  runOnce(ctx: Ctx): Promise<{ worked: number; nextDueAt: EpochMs | null }>;
}

interface LoopState {
  busy: boolean;
  /** Poked while busy: run again as soon as this run ends. */
  again: boolean;
  nextDueAt: EpochMs | null;
}

interface Registered {
  readonly handler: JobHandler<any>;
  readonly check: (value: unknown) => boolean;
}

/**
 * Jobs claimed at enqueue only while at most this many run (the dispatcher's loop counts): enough for a lone
 * incident's facts at a time, never a storm's.
 */
const FAST_PATH_SLOTS = 2;

/** What one slot runs: a single job, or several of a kind whose handler takes batches. */
type Work = readonly [JobRow, ...JobRow[]];

/** A slot reserved at enqueue, held by one job or, for a batch kind, by every such job of the transaction. */
interface SharedReservation {
  readonly leaseExpiresAt: EpochMs;
  /** Jobs holding it that have neither run nor been released. */
  members: number;
  /** Committed jobs waiting to start together. */
  readonly rows: JobRow[];
  /** Until the batch starts, or every member left without committing: then the slot is free again. */
  slotHeld: boolean;
}

/**
 * Claims due jobs and runs their handlers, at most `concurrency` at a time. Work is at-least-once: a job whose
 * worker dies is reaped when its lease expires and runs again, so handlers are idempotent. Production calls
 * `start()`; tests drive it with a ManualClock and `drainUntilIdle()` and never sleep.
 */
export class JobRunner implements LocalJobs {
  readonly #store: QueryTarget;
  readonly #nextRunAt: (store: QueryTarget) => Promise<EpochMs | undefined>;
  readonly #services: Services;
  readonly #opts: JobRunnerOptions;
  readonly #registry = new Map<string, Registered>();
  readonly #kinds: readonly string[];
  readonly #inflight = new Set<Promise<void>>();
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #poked = false;
  /** Every slot was taken at the last claim: a slot that frees wakes the loop to claim again. */
  #saturated = false;
  /**
   * Something became ready while the loop was working (a slot freed while saturated, batches left slots free,
   * a loop finished due again at once): the loop looks again instead of sleeping until its next timer.
   */
  #lookAgain = false;
  /** Slots promised to jobs claimed at enqueue whose transaction has not ended yet. */
  #reserved = 0;
  /** Per open transaction, the shared reservation of each batch kind enqueued in it. */
  readonly #openReservations = new WeakMap<object, Map<string, SharedReservation>>();
  #lastReapAt = 0;
  #lastPruneAt = 0;
  readonly #loops: readonly RunnerLoop[];
  readonly #loopStates = new Map<string, LoopState>();
  #loopsPoked = true;

  constructor(storage: QueryTarget, services: Services, opts: JobRunnerOptions) {
    this.#store = { db: storage.db, dialect: storage.dialect };
    this.#services = services;
    this.#opts = opts;
    for (const handler of opts.handlers) {
      if (this.#registry.has(handler.type.kind))
        throw new Error(`two handlers for job kind ${handler.type.kind}`);
      const schema = handler.type.payload;
      this.#registry.set(handler.type.kind, { handler, check: (v) => checkPayload(schema, v) === undefined });
    }
    this.#kinds = [...this.#registry.keys()];
    this.#nextRunAt = nextRunAtQuery(this.#kinds);
    this.#loops = opts.loops ?? [];
    for (const loop of this.#loops)
      this.#loopStates.set(loop.name, { busy: false, again: false, nextDueAt: null });
  }

  get inflight(): number {
    return this.#inflight.size;
  }

  /** Wakes the loop now instead of at its next timer (called after a commit that enqueued due work). */
  poke(): void {
    this.#poked = true;
    this.#loopsPoked = true;
    this.#wake?.();
  }

  /**
   * A slot for a job claimed in the transaction that enqueues it (see `enqueue`): only while this runner is
   * idle. Busy, jobs queue and are claimed together, in batches where their handler takes them; taking them
   * one by one here would cost a transaction each just when transactions are scarce. For the same reason, jobs
   * of a batch kind enqueued in one transaction (an ingest batch's new incidents) share one slot and run as one
   * batch: at 1,000 alerts a second each escalation transaction wrote about 24 WAL pages whether it started one
   * incident or several.
   */
  reserve(kind: string, tx?: object): JobReservation | undefined {
    const registered = this.#registry.get(kind);
    if (!this.#running || this.#saturated || !registered) return undefined;
    const batchSize = registered.handler.batch?.size ?? 1;
    const open = tx === undefined ? undefined : this.#openReservations.get(tx)?.get(kind);
    if (open?.slotHeld && open.members + open.rows.length < batchSize) return this.#member(open);
    if (this.#inflight.size + this.#reserved >= FAST_PATH_SLOTS) return undefined;
    this.#reserved++;
    const shared: SharedReservation = {
      leaseExpiresAt: (this.#services.clock.now() + this.#opts.leaseMs) as EpochMs,
      members: 0,
      rows: [],
      slotHeld: true,
    };
    if (tx !== undefined && batchSize > 1) {
      const byKind = this.#openReservations.get(tx) ?? new Map<string, SharedReservation>();
      byKind.set(kind, shared);
      this.#openReservations.set(tx, byKind);
    }
    return this.#member(shared);
  }

  /** One job's hold on a shared reservation; the slot is given back when the last member leaves or it starts. */
  #member(shared: SharedReservation): JobReservation {
    shared.members++;
    let held = true;
    const freeSlot = () => {
      if (shared.slotHeld) this.#reserved--;
      shared.slotHeld = false;
    };
    return {
      owner: this.#opts.workerId,
      leaseExpiresAt: shared.leaseExpiresAt,
      release: () => {
        if (!held) return;
        held = false;
        shared.members--;
        if (shared.members === 0 && shared.rows.length === 0) freeSlot();
      },
      run: (row) => {
        if (!held) return;
        held = false;
        shared.members--;
        if (!shared.slotHeld) {
          // Committed after the batch started (not expected: commit callbacks run together): run it alone.
          this.#startReserved([row]);
          return;
        }
        shared.rows.push(row);
        // The commit's callbacks run one after another, synchronously: start once they all have.
        if (shared.rows.length === 1)
          queueMicrotask(() => {
            freeSlot();
            this.#startReserved(shared.rows as unknown as Work);
          });
      },
    };
  }

  #startReserved(work: Work): void {
    // Stopping: hand them back to the queue for the next start rather than wait out their lease.
    if (!this.#running) for (const row of work) void this.#requeue(row);
    else this.#track(this.#execute(work));
  }

  async #requeue(job: JobRow): Promise<void> {
    const now = this.#services.clock.now();
    await failJob(this.#store.db, job, now, 'the runner stopped before starting it', now).catch(
      (err: unknown) => {
        this.#services.log.warn(
          { err, jobId: job.id },
          'cannot requeue a job; it runs when its lease expires',
        );
      },
    );
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#runLoop();
  }

  /** Stops claiming, waits for running handlers up to `timeoutMs`; returns how many were still running. */
  async stop(timeoutMs: number): Promise<number> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
    const all = Promise.all(this.#inflight).then(() => 'done' as const);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    await Promise.race([all, timeout]);
    clearTimeout(timer);
    return this.#inflight.size;
  }

  /**
   * Runs every job that is due at the clock's current time, including jobs those jobs enqueue for now, until
   * nothing is due. Returns how many runs happened. A job that keeps re-enqueueing itself for "now" would never
   * let this finish, so it gives up after `maxRuns`.
   */
  async drainUntilIdle(opts: { maxRuns?: number } = {}): Promise<number> {
    const maxRuns = opts.maxRuns ?? 10_000;
    let runs = 0;
    for (;;) {
      await this.#reap(true);
      const { work, claimed } = await this.#claimWork(this.#opts.concurrency);
      runs += claimed;
      await Promise.all(work.map((w) => this.#execute(w)));
      let worked = 0;
      for (const loop of this.#loops) worked += (await loop.runOnce(this.#loopCtx(loop))).worked;
      if (claimed === 0 && worked === 0) return runs;
      runs += worked > 0 ? 1 : 0;
      if (runs >= maxRuns) throw new Error(`drainUntilIdle: still busy after ${runs} job runs`);
    }
  }

  async #runLoop(): Promise<void> {
    let errorBackoff = 100;
    while (this.#running) {
      let sleepMs = this.#opts.pollIntervalMs;
      try {
        this.#poked = false;
        this.#lookAgain = false;
        await this.#reap(false);
        await this.#prune();
        const free = this.#opts.concurrency - this.#inflight.size;
        // Saturated: more may be due, and a slot that frees wakes the loop. Asking when the next job is due
        // would be wasted work then (it was, once per job, under a backlog).
        let saturated = free <= 0;
        if (!saturated) {
          // Most wake-ups find nothing due (the commit that woke us enqueued work for a loop, or for later):
          // the next-due lookup is a single index probe, where an empty claim walks every queued row ahead of
          // the due ones in priority order.
          const next = await this.#nextRunAt(this.#store);
          const now = this.#services.clock.now();
          if (next !== undefined && next <= now) {
            const { work, full } = await this.#claimWork(free);
            for (const w of work) this.#track(this.#execute(w));
            saturated = full;
            // Batches left slots free while more is due: claim again at once.
            if (full && this.#inflight.size < this.#opts.concurrency) this.#lookAgain = true;
            if (!full) sleepMs = 0; // claimed what was due; look again at once for what those jobs enqueued
          } else if (next !== undefined) sleepMs = Math.max(0, Math.min(sleepMs, next - now));
        }
        this.#saturated = saturated;
        const loopDue = this.#kickLoops();
        if (loopDue !== null) sleepMs = Math.max(0, Math.min(sleepMs, loopDue - this.#services.clock.now()));
        errorBackoff = 100;
      } catch (err) {
        this.#services.log.error({ err }, 'job runner: cannot reach the database; retrying');
        sleepMs = errorBackoff;
        errorBackoff = Math.min(errorBackoff * 2, this.#opts.pollIntervalMs * 10);
      }
      if (!this.#poked && !this.#lookAgain && this.#running) await this.#sleep(sleepMs);
    }
  }

  /** Starts the loops that are poked or due; returns the earliest time an idle loop is due next. */
  #kickLoops(): EpochMs | null {
    const now = this.#services.clock.now();
    const poked = this.#loopsPoked;
    this.#loopsPoked = false;
    let earliest: EpochMs | null = null;
    for (const loop of this.#loops) {
      const state = this.#loopStates.get(loop.name)!;
      const due = state.nextDueAt !== null && state.nextDueAt <= now;
      if (state.busy) {
        if (poked) state.again = true;
        continue;
      }
      if (poked || due) this.#track(this.#runLoopOnce(loop, state));
      else if (state.nextDueAt !== null && (earliest === null || state.nextDueAt < earliest))
        earliest = state.nextDueAt;
    }
    return earliest;
  }

  async #runLoopOnce(loop: RunnerLoop, state: LoopState): Promise<void> {
    state.busy = true;
    state.again = false;
    try {
      const r = await loop.runOnce(this.#loopCtx(loop));
      state.nextDueAt = r.worked > 0 || state.again ? this.#services.clock.now() : r.nextDueAt;
    } catch (err) {
      this.#services.log.error({ err, loop: loop.name }, 'runner loop failed; retrying at the next poll');
      state.nextDueAt = null;
    } finally {
      state.busy = false;
    }
    // Due again at once (it worked, or was poked while busy): the runner may be asleep until its next poll, having
    // skipped this loop while it was busy, so wake it (a lost wake-up held notifications for up to a poll interval).
    if (state.nextDueAt !== null && state.nextDueAt <= this.#services.clock.now()) this.#lookAgainNow();
  }

  #loopCtx(loop: RunnerLoop): Ctx {
    return {
      ...this.#services,
      ...this.#store,
      actor: systemActor(`loop:${loop.name}`),
      wakeJobs: () => this.poke(),
      jobs: this,
    };
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  #track(p: Promise<void>): void {
    this.#inflight.add(p);
    void p.finally(() => {
      this.#inflight.delete(p);
      if (this.#saturated) this.#lookAgainNow();
    });
  }

  #lookAgainNow(): void {
    this.#lookAgain = true;
    this.#wake?.();
  }

  async #claim(limit: number, kinds = this.#kinds): Promise<JobRow[]> {
    return claimDueJobs(this.#store.db, this.#store.dialect, {
      now: this.#services.clock.now(),
      limit,
      owner: this.#opts.workerId,
      leaseMs: this.#opts.leaseMs,
      kinds,
    });
  }

  /**
   * Claims up to `slots` jobs; jobs of a kind whose handler takes batches share one slot. When the claim came
   * back full (a backlog), each batch is topped up to its handler's size with a claim of its kind alone.
   */
  async #claimWork(slots: number): Promise<{ work: Work[]; claimed: number; full: boolean }> {
    const jobs = await this.#claim(slots);
    const work: Work[] = [];
    const batches = new Map<string, JobRow[]>();
    for (const job of jobs) {
      if (!this.#registry.get(job.kind)?.handler.batch) work.push([job]);
      else if (batches.has(job.kind)) batches.get(job.kind)!.push(job);
      else batches.set(job.kind, [job]);
    }
    let claimed = jobs.length;
    for (const [kind, group] of batches) {
      const size = this.#registry.get(kind)!.handler.batch!.size;
      if (jobs.length === slots && group.length < size) {
        const more = await this.#claim(size - group.length, [kind]);
        claimed += more.length;
        group.push(...more);
      }
      work.push(group as unknown as Work);
    }
    return { work, claimed, full: jobs.length === slots };
  }

  async #reap(always: boolean): Promise<void> {
    const now = this.#services.clock.now();
    if (!always && now - this.#lastReapAt < Math.min(this.#opts.leaseMs / 4, 15_000)) return;
    this.#lastReapAt = now;
    const { requeued, failed } = await reapExpiredLeases(this.#store.db, now);
    if (requeued + failed > 0)
      this.#services.log.warn({ requeued, failed }, 'reaped jobs whose worker stopped');
  }

  async #prune(): Promise<void> {
    const now = this.#services.clock.now();
    if (now - this.#lastPruneAt < HOUR) return;
    this.#lastPruneAt = now;
    const before = (now - (this.#opts.retentionMs ?? 7 * DAY)) as EpochMs;
    // Bounded batches, so a large backlog is cleared without one long transaction holding the database.
    for (let batch = 0; batch < 100; batch++) {
      if ((await pruneFinishedJobs(this.#store.db, before)) < 1000) break;
    }
  }

  async #execute(work: Work): Promise<void> {
    if (work.length > 1) return this.#executeBatch(work);
    const job = work[0];
    const started = performance.now();
    const registered = this.#registry.get(job.kind);
    const log = this.#services.log.child({ jobId: job.id, jobKind: job.kind, attempt: job.attempts });
    const outcome = await this.#runHandler(job, registered, log).catch((err: unknown) => {
      log.error({ err }, 'job runner: cannot record job outcome');
      return undefined;
    });
    if (outcome) this.#opts.observer?.jobFinished(job.kind, outcome, (performance.now() - started) / 1000);
  }

  /** Runs a batch in one handler call and completes it in one transaction; on failure, job by job. */
  async #executeBatch(jobs: readonly JobRow[]): Promise<void> {
    const started = performance.now();
    const registered = this.#registry.get(jobs[0]!.kind)!;
    const batch = registered.handler.batch!;
    const log = this.#services.log.child({ jobKind: registered.handler.type.kind, batch: jobs.length });
    const payloads = jobs.map((job) => parsePayload(job.payload));
    let ok = payloads.every((payload) => registered.check(payload));
    const ctx = this.#jobCtx(registered, log);
    const now = () => this.#services.clock.now();
    let done: number | undefined;
    if (ok) {
      const abort = new AbortController();
      const timeoutMs = registered.handler.type.timeoutMs ?? Math.floor(this.#opts.leaseMs * 0.8);
      try {
        if (registered.handler.transactional)
          done = await withTimeout(
            inTx(ctx, async (tx) => {
              await batch.handle(tx, payloads);
              return completeJobs(tx, jobs, now());
            }),
            timeoutMs,
            abort,
          );
        else await withTimeout(batch.handle(ctx, payloads), timeoutMs, abort);
      } catch (err) {
        log.warn({ err }, 'job batch failed; running its jobs one at a time');
        ok = false;
      }
    }
    if (!ok) {
      for (const job of jobs) await this.#execute([job]);
      return;
    }
    done ??= await inTx(ctx, (tx) => completeJobs(tx, jobs, now())).catch((err: unknown) => {
      log.error({ err }, 'job runner: cannot record job outcome');
      return undefined;
    });
    if (done === undefined) return;
    if (done < jobs.length)
      log.warn('some jobs of a batch finished after their lease was lost; another run may repeat them');
    const seconds = (performance.now() - started) / 1000;
    for (let i = 0; i < jobs.length; i++)
      this.#opts.observer?.jobFinished(registered.handler.type.kind, 'done', seconds);
  }

  #jobCtx(registered: Registered, log: Services['log']): Ctx {
    return {
      ...this.#services,
      log,
      ...this.#store,
      actor: systemActor(`job:${registered.handler.type.kind}`),
      wakeJobs: () => this.poke(),
      jobs: this,
    };
  }

  async #runHandler(
    job: JobRow,
    registered: Registered | undefined,
    log: Services['log'],
  ): Promise<JobOutcome> {
    const now = () => this.#services.clock.now();
    const payload = parsePayload(job.payload);
    if (!registered || !registered.check(payload)) {
      const reason = registered ? 'payload does not match the job type' : 'no handler for this job kind';
      log.error({ payload: job.payload }, `job failed permanently: ${reason}`);
      await failJob(this.#store.db, job, now(), reason, null);
      return 'failed';
    }
    const { handler } = registered;
    const ctx = this.#jobCtx(registered, log);
    const abort = new AbortController();
    const meta = {
      jobId: job.id,
      attempt: job.attempts,
      maxAttempts: job.max_attempts,
      signal: abort.signal,
    };
    const timeoutMs = handler.type.timeoutMs ?? Math.floor(this.#opts.leaseMs * 0.8);
    let completed = false;
    try {
      if (handler.transactional) {
        await withTimeout(
          inTx(ctx, async (tx) => {
            await handler.handle(tx, payload, meta);
            if (!(await completeJob(tx, job, now()))) throw new LeaseLostError();
          }),
          timeoutMs,
          abort,
        );
        completed = true;
      } else await withTimeout(handler.handle(ctx, payload, meta), timeoutMs, abort);
    } catch (err) {
      if (err instanceof LeaseLostError) {
        log.warn('job lease was lost before it finished; its work was rolled back, the new holder runs it');
        return 'retry';
      }
      if (isAppError(err) && (err.code === 'not_found' || err.code === 'conflict')) {
        // The world moved on (the incident was resolved, the object deleted): nothing left to do.
        log.info({ reason: err.message }, 'job had nothing to do');
      } else {
        const message = err instanceof Error ? err.message : String(err);
        const permanent = err instanceof PermanentJobError;
        const exhausted = job.attempts >= job.max_attempts;
        const retryAt =
          permanent || exhausted
            ? null
            : ((now() +
                (handler.type.backoffMs ?? ((a: number) => defaultBackoffMs(a, this.#services.random)))(
                  job.attempts,
                )) as EpochMs);
        if (retryAt === null) log.error({ err }, 'job failed permanently');
        else log.warn({ err, retryAt: new Date(retryAt).toISOString() }, 'job failed; will retry');
        const recorded = await failJob(this.#store.db, job, now(), message, retryAt);
        if (!recorded) log.warn('job lease was lost before its failure could be recorded');
        return retryAt === null ? 'failed' : 'retry';
      }
    }
    if (!completed && !(await completeJob(this.#store, job, now()))) {
      log.warn('job finished after its lease was lost; another run may repeat it (handlers are idempotent)');
    }
    return 'done';
  }
}

function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

class JobTimeoutError extends Error {
  override readonly name = 'JobTimeoutError';
}

/** Stops waiting after `ms` and aborts the handler's signal, so a handler that honours it stops working too. */
async function withTimeout<T>(p: Promise<T>, ms: number, abort: AbortController): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new JobTimeoutError(`job did not finish within ${ms} ms`);
      abort.abort(err);
      reject(err);
    }, ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
