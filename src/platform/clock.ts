/**
 * Time is an input. Domain code reads `ctx.clock.now()`; nothing else in `src/` may read the wall clock
 * (the linter enforces it), so a `ManualClock` drives escalations, leases and retries in tests on both databases.
 */

/** Milliseconds since the Unix epoch, branded so a duration cannot be passed where an instant is expected. */
export type EpochMs = number & { readonly __brand: 'EpochMs' };

export interface Clock {
  now(): EpochMs;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const epochMs = (ms: number): EpochMs => ms as EpochMs;

/** An instant as the API shows it: RFC 3339 in UTC. */
export const toIso = (ms: number): string => new Date(ms).toISOString();
export const toIsoOrNull = (ms: number | null): string | null => (ms === null ? null : toIso(ms));

export const systemClock: Clock = { now: () => Date.now() as EpochMs };

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  #t: EpochMs;

  constructor(start: string | number) {
    const t = typeof start === 'number' ? start : Date.parse(start);
    if (!Number.isFinite(t)) throw new TypeError(`ManualClock: not an instant: ${String(start)}`);
    this.#t = t as EpochMs;
  }

  now(): EpochMs {
    return this.#t;
  }

  advance(ms: number): EpochMs {
    if (ms < 0) throw new RangeError('ManualClock cannot go backwards');
    this.#t = (this.#t + ms) as EpochMs;
    return this.#t;
  }

  set(instant: string | number): EpochMs {
    const t = typeof instant === 'number' ? instant : Date.parse(instant);
    if (t < this.#t) throw new RangeError('ManualClock cannot go backwards');
    this.#t = t as EpochMs;
    return this.#t;
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY };

/** Parses durations written the way operators write them: `500ms`, `30s`, `5m`, `1h30m`, `2d`. */
export function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  for (const m of text.trim().matchAll(re)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
    matched += m[0].length;
  }
  if (matched === 0 || matched !== text.trim().length || !Number.isFinite(total)) {
    throw new RangeError(`not a duration: "${text}" (expected e.g. 500ms, 30s, 5m, 1h30m, 2d)`);
  }
  return total;
}
