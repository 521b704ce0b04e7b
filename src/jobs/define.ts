import type { Static, TSchema } from 'typebox';
import type { Ctx } from '../storage/index.ts';

/**
 * A job type is declared by the module that *causes* the work (it owns the kind and the payload shape);
 * the handler may be registered by the same module or, for facts such as `incident.opened`, by a later stage.
 * That is how earlier stages hand work forward without importing later ones.
 */
export interface JobType<P extends TSchema = TSchema> {
  /** `noun.verb` for commands (`escalation.step`), `noun.pastTense` for facts (`incident.opened`). */
  readonly kind: string;
  /** Validated when the job is claimed; holds ids and fencing tokens, never entity snapshots. */
  readonly payload: P;
  readonly maxAttempts: number;
  /** Lower runs first; pages (10) before housekeeping (200). Default 100. */
  readonly priority?: number;
  /** Delay before retry `attempt` (1-based) failed; default exponential from 1 s, capped at 10 min. */
  readonly backoffMs?: (attempt: number) => number;
  /** Longest a single run may take; must be below the runner's lease. Default: 80 % of the lease. */
  readonly timeoutMs?: number;
}

export interface JobMeta {
  readonly jobId: string;
  /** 1 for the first run. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Aborted when the run exceeds its time limit; the runner has then already scheduled the retry. */
  readonly signal: AbortSignal;
}

export interface JobHandler<P extends TSchema = TSchema> {
  readonly type: JobType<P>;
  /** Must be idempotent: a job can run again after a crash between its effect and its completion. */
  handle(ctx: Ctx, payload: Static<P>, meta: JobMeta): Promise<void>;
  /** Present when many due jobs of this kind can run in one call; see `handleJobsInBatches`. */
  readonly batch?: JobBatch<P>;
  /**
   * The handler does database work only: the runner runs it in a transaction that also marks the job done, so
   * its effect and its completion commit together (once, and one commit instead of two). Never set it for a
   * handler that calls the network: that would hold the transaction open meanwhile.
   */
  readonly transactional?: boolean;
}

export interface HandlerOptions {
  readonly transactional?: boolean;
}

export interface JobBatch<P extends TSchema = TSchema> {
  /** Most jobs the runner hands over in one call. */
  readonly size: number;
  /** Does the work of every payload, all or nothing (typically one transaction). Idempotent, like `handle`. */
  handle(ctx: Ctx, payloads: readonly Static<P>[]): Promise<void>;
}

export const defineJobType = <P extends TSchema>(type: JobType<P>): JobType<P> => type;

export const handleJob = <P extends TSchema>(
  type: JobType<P>,
  handle: (ctx: Ctx, payload: Static<P>, meta: JobMeta) => Promise<void>,
  opts: HandlerOptions = {},
): JobHandler<P> => ({ type, handle, ...opts });

/**
 * A handler that can take many due jobs at once: under a backlog the runner claims up to `size` jobs of the
 * kind and calls `handleMany` once, so a storm of 1,000 incidents costs a few transactions instead of 3,000
 * (claim, work and completion each). A single job is a batch of one. If a batch fails, the runner runs its
 * jobs one by one, so one bad job neither holds back the others nor uses up their attempts.
 */
export const handleJobsInBatches = <P extends TSchema>(
  type: JobType<P>,
  size: number,
  handleMany: (ctx: Ctx, payloads: readonly Static<P>[]) => Promise<void>,
  opts: HandlerOptions = {},
): JobHandler<P> => ({
  type,
  handle: (ctx, payload) => handleMany(ctx, [payload]),
  batch: { size, handle: handleMany },
  ...opts,
});

/** Thrown by a handler to fail its job at once, without further retries. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}
