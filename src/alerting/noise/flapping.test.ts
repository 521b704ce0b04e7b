import { describe, expect, it } from 'vitest';
import { epochMs } from '../../platform/clock.ts';
import { DEFAULT_FLAP_POLICY, flapWindowStart, isFlapping } from './flapping.ts';

describe('isFlapping', () => {
  it('flags an alert only after more than maxOpenings openings in the window', () => {
    expect(DEFAULT_FLAP_POLICY).toEqual({ maxOpenings: 5, windowMs: 30 * 60_000 });
    expect(isFlapping(1)).toBe(false);
    expect(isFlapping(5)).toBe(false);
    expect(isFlapping(6)).toBe(true);
    expect(isFlapping(3, { maxOpenings: 2, windowMs: 60_000 })).toBe(true);
    expect(isFlapping(2, { maxOpenings: 2, windowMs: 60_000 })).toBe(false);
  });

  it('counts openings from windowMs before now', () => {
    const now = epochMs(1_700_000_000_000);
    expect(flapWindowStart(now)).toBe(1_700_000_000_000 - 1_800_000);
    expect(flapWindowStart(now, { maxOpenings: 1, windowMs: 1000 })).toBe(1_699_999_999_000);
  });
});
