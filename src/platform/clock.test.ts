import { describe, expect, it } from 'vitest';
import { ManualClock, parseDuration } from './clock.ts';

describe('clock', () => {
  it('moves a manual clock only forward, and only when told', () => {
    const c = new ManualClock('2026-03-08T06:55:00Z');
    expect(new Date(c.now()).toISOString()).toBe('2026-03-08T06:55:00.000Z');
    c.advance(5 * 60_000);
    expect(new Date(c.now()).toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(() => c.advance(-1)).toThrow(/backwards/);
    expect(() => c.set('2026-01-01T00:00:00Z')).toThrow(/backwards/);
  });

  it('parses operator durations', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    for (const bad of ['', '5', '5x', 'm5', '1h 30m junk'])
      expect(() => parseDuration(bad)).toThrow(/not a duration/);
  });
});
