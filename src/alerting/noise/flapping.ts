import type { EpochMs } from '../../platform/clock.ts';

/**
 * When an alert counts as flapping. An alert (one service and fingerprint) that opened more than
 * `maxOpenings` times within the last `windowMs` is flapping: it keeps firing and resolving faster than anyone
 * can act on it, and paging on each opening would train responders to ignore pages. A flapping alert is still
 * recorded (its history stays visible), but it opens no incident and its notifications are held until it
 * stays stable, i.e. until its openings within the window fall back to `maxOpenings` or fewer.
 */
export interface FlapPolicy {
  readonly maxOpenings: number;
  readonly windowMs: number;
}

export const DEFAULT_FLAP_POLICY: FlapPolicy = Object.freeze({ maxOpenings: 5, windowMs: 30 * 60_000 });

/**
 * `openingsInWindow` counts the openings since `flapWindowStart(now)`, including the one being decided, so
 * with the default policy the sixth opening in 30 minutes is the first one held back.
 */
export const isFlapping = (openingsInWindow: number, policy: FlapPolicy = DEFAULT_FLAP_POLICY): boolean =>
  openingsInWindow > policy.maxOpenings;

/** The oldest opening that still counts at `now`; openings at exactly this instant are inside the window. */
export const flapWindowStart = (now: EpochMs, policy: FlapPolicy = DEFAULT_FLAP_POLICY): EpochMs =>
  (now - policy.windowMs) as EpochMs;
