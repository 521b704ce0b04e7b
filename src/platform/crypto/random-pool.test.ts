import { describe, expect, it } from 'vitest';
import { randomPool } from './random-pool.ts';

describe('randomPool', () => {
  it('never hands out the same bytes twice, across refills', () => {
    const pool = randomPool(64);
    const seen = new Set<string>();
    // 12-byte IVs from a 64-byte pool: five per fill, four bytes left over each time, 50 fills.
    for (let k = 0; k < 250; k++) seen.add(pool.bytes(12).toString('hex'));
    expect(seen.size).toBe(250);
  });

  it('returns copies, so a refill does not change bytes already handed out', () => {
    const pool = randomPool(16);
    const first = pool.bytes(16);
    const kept = first.toString('hex');
    pool.bytes(16);
    expect(first.toString('hex')).toBe(kept);
  });

  it('refuses a request larger than the pool', () => {
    expect(() => randomPool(16).bytes(17)).toThrow(RangeError);
  });

  it('hands out single bytes in the 0–255 range', () => {
    const pool = randomPool(32);
    const bytes = Array.from({ length: 100 }, () => pool.byte());
    expect(bytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)).toBe(true);
    expect(new Set(bytes).size).toBeGreaterThan(20);
  });
});
