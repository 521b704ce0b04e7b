import type { EpochMs } from '../../platform/clock.ts';

/**
 * A per-key event budget kept in memory (a fixed window per key): PagerDuty answers 429 when one routing key
 * sends too fast, and so do we. It is per node — with several PostgreSQL nodes a key gets the budget on each —
 * which is enough to stop a runaway sender without a database write per event.
 */
export class SenderRateLimiter {
  readonly #windows = new Map<string, { start: EpochMs; count: number }>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(limit: number, windowMs: number) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Counts `n` events for `key`; returns the seconds to wait when over budget, else 0. */
  take(key: string, n: number, now: EpochMs): number {
    let w = this.#windows.get(key);
    if (!w || now - w.start >= this.#windowMs) {
      if (this.#windows.size > 10_000) this.#windows.clear();
      w = { start: now, count: 0 };
      this.#windows.set(key, w);
    }
    if (w.count + n > this.#limit) return Math.max(1, Math.ceil((w.start + this.#windowMs - now) / 1000));
    w.count += n;
    return 0;
  }
}
