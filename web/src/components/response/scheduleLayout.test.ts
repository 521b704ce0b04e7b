import { describe, expect, it } from 'vitest';
import { barLabel, colorOf, dayTicks, formatHoursDelta, placeBars, scheduleRange } from './scheduleLayout.ts';

describe('the schedule timeline layout', () => {
  it('starts a range at the zone’s midnight and spans whole days across a DST change', () => {
    // 2026-03-27 12:00 UTC is 13:00 in Berlin; the clocks go forward on Sunday 2026-03-29.
    const range = scheduleRange(Date.parse('2026-03-27T12:00:00Z'), 'Europe/Berlin', 1);
    expect(range.firstDay).toBe('2026-03-27');
    expect(range.from).toBe('2026-03-26T23:00:00.000Z');
    expect(range.to).toBe('2026-04-02T22:00:00.000Z');
    const ticks = dayTicks(range, 'Europe/Berlin');
    expect(ticks.map((t) => t.date)).toEqual([
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
      '2026-03-30',
      '2026-03-31',
      '2026-04-01',
      '2026-04-02',
    ]);
    // Monday gets the heavier line; the short Sunday makes Monday's line start before 3/7 of the width.
    expect(ticks.filter((t) => t.weekStart).map((t) => t.date)).toEqual(['2026-03-30']);
    expect(ticks[3]!.left).toBeLessThan((3 / 7) * 100);
  });

  it('moves a range by whole weeks', () => {
    const range = scheduleRange(Date.parse('2026-03-04T10:00:00Z'), 'UTC', 2, -2);
    expect(range.firstDay).toBe('2026-02-18');
    expect(range.days).toBe(14);
  });

  it('places spans as percentages, clipped to the range', () => {
    const bars = placeBars(
      [
        { start: '2026-01-01T00:00:00Z', end: '2026-01-03T00:00:00Z' },
        { start: '2026-01-03T00:00:00Z', end: '2026-01-06T00:00:00Z' },
        { start: '2026-01-06T00:00:00Z', end: '2026-01-07T00:00:00Z' },
      ],
      '2026-01-02T00:00:00Z',
      '2026-01-06T00:00:00Z',
    );
    expect(bars).toHaveLength(2);
    expect(bars[0]).toMatchObject({ left: 0, width: 25, clippedStart: true, clippedEnd: false });
    expect(bars[1]).toMatchObject({ left: 25, width: 75, clippedStart: false, clippedEnd: false });
  });

  it('gives one person one colour, and says hours gained and lost with a sign', () => {
    expect(colorOf('usr_b', ['usr_a', 'usr_b'])).toBe(colorOf('usr_b', ['usr_a', 'usr_b']));
    expect(colorOf('usr_a', ['usr_a', 'usr_b'])).not.toBe(colorOf('usr_b', ['usr_a', 'usr_b']));
    expect(formatHoursDelta(12)).toBe('+12 h');
    expect(formatHoursDelta(-4.46)).toBe('−4.5 h');
    expect(formatHoursDelta(0.01)).toBe('0 h');
  });
});

describe('barLabel', () => {
  it('shows the name where it has room, initials on a narrow bar, nothing on a sliver', () => {
    expect(barLabel('Dana Wójcik', 200)).toBe('Dana Wójcik');
    expect(barLabel('Dana Wójcik', 40)).toBe('DW');
    expect(barLabel('Chiara Rossi-Bergmann', 40)).toBe('CR');
    expect(barLabel('Ops', 40)).toBe('Op');
    expect(barLabel('Dana Wójcik', 10)).toBe('');
  });
});
