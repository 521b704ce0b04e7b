import type { Kysely, Transaction } from 'kysely';
import type { Actor, Origin, Services } from '../platform/context.ts';
import type { EpochMs } from '../platform/clock.ts';
import type { Database, JobsTable } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database> | Transaction<Database>;

interface TxScope {
  readonly afterCommit: (() => void)[];
  readonly afterRollback: (() => void)[];
}

/**
 * This node's job runner as `enqueue` sees it: a job due now may be claimed by this node in the transaction that
 * enqueues it and started right after the commit, skipping the claim and the wake-up (jobs/enqueue.ts).
 */
export interface LocalJobs {
  /**
   * A free slot for a job of this kind, or undefined when the runner is busy, stopped or lacks a handler. Jobs of
   * a kind whose handler takes batches, reserved in the same transaction (`tx`), share one slot and run as one
   * batch after the commit.
   */
  reserve(kind: string, tx?: object): JobReservation | undefined;
}

export interface JobReservation {
  /** Written into the job row, as a claim would. */
  readonly owner: string;
  readonly leaseExpiresAt: EpochMs;
  /** Starts the job (after the commit). */
  run(row: JobsTable): void;
  /** Gives the slot back (the transaction rolled back, or the job was not inserted). */
  release(): void;
}

/**
 * The context every verb takes first: `verb(ctx, input)`. Inside `inTx` the `db` is the open transaction,
 * so verbs compose: an inner verb joins the outer transaction instead of opening its own.
 */
export interface Ctx extends Services {
  readonly db: Db;
  readonly dialect: Dialect;
  readonly actor: Actor;
  /** The HTTP request behind this call, if any (audit entries record it). */
  readonly origin?: Origin;
  /** Wakes this node's job runner; called after a commit that enqueued work. */
  readonly wakeJobs: () => void;
  /** This node's running job runner, if any (absent in the CLI and in tests that drain jobs by hand). */
  readonly jobs?: LocalJobs;
  readonly tx?: TxScope;
}

const MAX_TX_ATTEMPTS = 4;

/**
 * Runs `fn` in one transaction, reusing the caller's if there is one. Serialization failures and deadlocks
 * (PostgreSQL) and a busy database (SQLite) retry the whole function, so `fn` must do nothing but database work:
 * network I/O inside a transaction would hold the SQLite writer and a PostgreSQL connection hostage.
 */
export async function inTx<T>(
  ctx: Ctx,
  fn: (tx: Ctx) => Promise<T>,
  opts: { readonly retryOnUniqueViolation?: boolean } = {},
): Promise<T> {
  if (ctx.tx) return fn(ctx);
  for (let attempt = 1; ; attempt++) {
    const scope: TxScope = { afterCommit: [], afterRollback: [] };
    try {
      const result = await ctx.db.transaction().execute((trx) => fn({ ...ctx, db: trx, tx: scope }));
      for (const callback of scope.afterCommit) {
        try {
          callback();
        } catch (err) {
          ctx.log.error({ err }, 'after-commit callback failed');
        }
      }
      return result;
    } catch (err) {
      for (const callback of scope.afterRollback) callback();
      const retryable =
        isRetryableTxError(err) || (opts.retryOnUniqueViolation === true && isUniqueViolation(err));
      if (attempt >= MAX_TX_ATTEMPTS || !retryable) throw err;
      ctx.log.debug({ err, attempt }, 'transaction conflict, retrying');
    }
  }
}

/** Registers work to do once the current transaction has committed (never if it rolls back). */
export function afterCommit(ctx: Ctx, callback: () => void): void {
  assertInTransaction(ctx);
  ctx.tx.afterCommit.push(callback);
}

/** Registers work to undo in memory if the current transaction rolls back (it never committed). */
export function afterRollback(ctx: Ctx, callback: () => void): void {
  assertInTransaction(ctx);
  ctx.tx.afterRollback.push(callback);
}

export function assertInTransaction(ctx: Ctx): asserts ctx is Ctx & { tx: TxScope } {
  if (!ctx.tx) throw new Error('this operation must run inside inTx(ctx, ...)');
}

/**
 * A unique index refused a row another transaction committed first (PostgreSQL 23505): for upserts decided by a
 * read, running the transaction again reads that row and takes the update path.
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown };
  return e?.code === '23505' || (e?.code === 'ERR_SQLITE_ERROR' && e.errcode === 2067);
}

/** PostgreSQL serialization_failure / deadlock_detected; SQLite SQLITE_BUSY / SQLITE_LOCKED. */
export function isRetryableTxError(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown };
  if (e?.code === '40001' || e?.code === '40P01') return true;
  return e?.code === 'ERR_SQLITE_ERROR' && (e.errcode === 5 || e.errcode === 6);
}

/**
 * The database cannot be reached or cannot take writes right now (PostgreSQL down or refusing connections,
 * SQLite locked past its busy timeout, disk full, read-only or failing): the request should be answered 503 and
 * may be retried, and nothing was committed.
 */
export function isStorageUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; errcode?: unknown; message?: unknown };
  if (e === null || typeof e !== 'object') return false;
  if (typeof e.code === 'string') {
    // node:net errors and pg's own (connection lost, pool timeout), and PostgreSQL's connection and resource classes.
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND'].includes(e.code))
      return true;
    if (/^(08|53|57P)/.test(e.code)) return true;
  }
  if (e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') {
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_READONLY (primary codes).
    return [5, 6, 8, 10, 13, 14].includes(e.errcode & 0xff);
  }
  return (
    typeof e.message === 'string' &&
    /timeout exceeded when trying to connect|Connection terminated/i.test(e.message)
  );
}
