import { MINUTE, SECOND } from '../platform/clock.ts';

export const DEFAULT_BACKOFF_BASE_MS = SECOND;
export const DEFAULT_BACKOFF_CAP_MS = 10 * MINUTE;

/**
 * Exponential backoff: 1 s, 2 s, 4 s ... capped, stretched by up to 25 % of jitter so a burst of jobs that
 * failed together (a provider outage) does not retry in lock-step. `random` is injected for determinism.
 */
export function defaultBackoffMs(attempt: number, random: () => number): number {
  const exp = Math.min(DEFAULT_BACKOFF_CAP_MS, DEFAULT_BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (1 + 0.25 * random()));
}
