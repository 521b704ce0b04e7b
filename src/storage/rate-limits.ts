import type { EpochMs } from '../platform/clock.ts';
import type { Db } from './ctx.ts';

export interface RateDecision {
  readonly allowed: boolean;
  readonly count: number;
  /** Seconds until the window resets (for Retry-After). */
  readonly retryAfterSeconds: number;
}

/**
 * Fixed-window counters in the database, so every node of a PostgreSQL cluster counts against the same limit.
 * `hit` counts one event; `peek` only reads. A window resets on its own: nothing is ever locked for good.
 */
export async function hitRateLimit(
  db: Db,
  opts: { bucket: string; limit: number; windowMs: number; now: EpochMs },
): Promise<RateDecision> {
  const { bucket, limit, windowMs, now } = opts;
  const cutoff = (now - windowMs) as EpochMs;
  const row = await db
    .insertInto('rate_limits')
    .values({ bucket, window_started_at: now, count: 1 })
    .onConflict((oc) =>
      oc.column('bucket').doUpdateSet((eb) => ({
        count: eb
          .case()
          .when('rate_limits.window_started_at', '<=', cutoff)
          .then(1)
          .else(eb('rate_limits.count', '+', 1))
          .end(),
        window_started_at: eb
          .case()
          .when('rate_limits.window_started_at', '<=', cutoff)
          .then(now)
          .else(eb.ref('rate_limits.window_started_at'))
          .end(),
      })),
    )
    .returning(['count', 'window_started_at'])
    .executeTakeFirstOrThrow();
  return decision(row.count, row.window_started_at, limit, windowMs, now);
}

export async function peekRateLimit(
  db: Db,
  opts: { bucket: string; limit: number; windowMs: number; now: EpochMs },
): Promise<RateDecision> {
  const row = await db
    .selectFrom('rate_limits')
    .select(['count', 'window_started_at'])
    .where('bucket', '=', opts.bucket)
    .executeTakeFirst();
  if (!row || row.window_started_at <= opts.now - opts.windowMs)
    return { allowed: true, count: 0, retryAfterSeconds: 0 };
  return decision(row.count, row.window_started_at, opts.limit, opts.windowMs, opts.now);
}

export async function resetRateLimit(db: Db, bucket: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('bucket', '=', bucket).execute();
}

function decision(
  count: number,
  startedAt: number,
  limit: number,
  windowMs: number,
  now: number,
): RateDecision {
  return {
    allowed: count <= limit,
    count,
    retryAfterSeconds: Math.max(1, Math.ceil((startedAt + windowMs - now) / 1000)),
  };
}
