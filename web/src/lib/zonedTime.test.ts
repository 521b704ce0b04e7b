import { describe, expect, it } from 'vitest';
import { isoToWallTime, wallTimeToIso } from './zonedTime.ts';

describe('wall-clock times in a named zone', () => {
  it('converts both ways in summer and winter', () => {
    expect(wallTimeToIso('2026-07-01T09:00', 'Europe/Berlin')).toBe('2026-07-01T07:00:00.000Z');
    expect(wallTimeToIso('2026-01-15T09:00', 'Europe/Berlin')).toBe('2026-01-15T08:00:00.000Z');
    expect(wallTimeToIso('2026-01-15T09:00', 'Asia/Jakarta')).toBe('2026-01-15T02:00:00.000Z');
    expect(isoToWallTime('2026-07-01T07:00:00.000Z', 'Europe/Berlin')).toBe('2026-07-01T09:00');
  });

  it('lands on real instants around the DST changes (New York, 2026)', () => {
    // 01:30 on 2026-11-01 happens twice; either answer is an instant at 01:30 local.
    const fallBack = wallTimeToIso('2026-11-01T01:30', 'America/New_York')!;
    expect(isoToWallTime(fallBack, 'America/New_York')).toBe('2026-11-01T01:30');
    // 03:30 on 2026-03-08 exists (02:00-03:00 does not).
    expect(wallTimeToIso('2026-03-08T03:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
    expect(isoToWallTime('2026-03-08T06:59:00.000Z', 'America/New_York')).toBe('2026-03-08T01:59');
  });

  it('refuses malformed input', () => {
    expect(wallTimeToIso('', 'UTC')).toBeUndefined();
    expect(wallTimeToIso('tomorrow', 'UTC')).toBeUndefined();
    expect(isoToWallTime('not a date', 'UTC')).toBe('');
  });
});
