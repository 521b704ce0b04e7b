import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { HOUR, epochMs, type EpochMs } from '../../platform/clock.ts';
import type { Layer, Rotation, Segment } from './model.ts';
import { layerSegments, restrictionWindows, rotationShifts } from './rotation.ts';

const at = (iso: string): EpochMs => epochMs(Date.parse(iso));
/** An instant as local wall time in a zone, with its offset: `2026-03-29 09:00 +02:00`. */
const wall = (ms: number, tz: string): string => {
  const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz);
  return `${z.toPlainDate().toString()} ${z.toPlainTime().toString().slice(0, 5)} ${z.offset}`;
};
const rotation = (over: Partial<Rotation> = {}): Rotation => ({
  shiftLength: { unit: 'days', count: 1 },
  handoffTime: '09:00',
  startDate: '2026-03-27',
  timeZone: 'Europe/Berlin',
  ...over,
});
const show = (segments: readonly Segment[], tz: string) =>
  segments.map((s) => ({ userId: s.userId, start: wall(s.start, tz), end: wall(s.end, tz) }));
const lengthsInHours = (segments: readonly Segment[]) => segments.map((s) => (s.end - s.start) / HOUR);

describe('daily and weekly hand-offs follow local wall time across DST', () => {
  it('Europe/Berlin spring forward (2026-03-29): a daily 09:00 hand-off stays at 09:00, that shift lasts 23 h', () => {
    const tz = 'Europe/Berlin';
    const shifts = rotationShifts(
      rotation(),
      ['ana', 'ben'],
      at('2026-03-27T00:00:00Z'),
      at('2026-03-31T00:00:00Z'),
    );
    expect(show(shifts, tz)).toEqual([
      { userId: 'ana', start: '2026-03-27 09:00 +01:00', end: '2026-03-28 09:00 +01:00' },
      { userId: 'ben', start: '2026-03-28 09:00 +01:00', end: '2026-03-29 09:00 +02:00' },
      { userId: 'ana', start: '2026-03-29 09:00 +02:00', end: '2026-03-30 09:00 +02:00' },
      { userId: 'ben', start: '2026-03-30 09:00 +02:00', end: '2026-03-31 02:00 +02:00' },
    ]);
    expect(lengthsInHours(shifts)).toEqual([24, 23, 24, 17]);
  });

  it('Europe/Berlin fall back (2026-10-25): the 09:00 hand-off stays at 09:00, that shift lasts 25 h', () => {
    const tz = 'Europe/Berlin';
    const shifts = rotationShifts(
      rotation({ startDate: '2026-10-01' }),
      ['ana', 'ben', 'cem'],
      at('2026-10-24T07:00:00Z'),
      at('2026-10-26T08:00:00Z'),
    );
    expect(show(shifts, tz)).toEqual([
      { userId: 'cem', start: '2026-10-24 09:00 +02:00', end: '2026-10-25 09:00 +01:00' },
      { userId: 'ana', start: '2026-10-25 09:00 +01:00', end: '2026-10-26 09:00 +01:00' },
    ]);
    expect(lengthsInHours(shifts)).toEqual([25, 24]);
  });

  it('a 24-hour rotation is elapsed time: after the Berlin spring change it hands off at 10:00 local', () => {
    const tz = 'Europe/Berlin';
    const shifts = rotationShifts(
      rotation({ shiftLength: { unit: 'hours', count: 24 } }),
      ['ana', 'ben'],
      at('2026-03-27T08:00:00Z'),
      at('2026-03-30T08:00:00Z'),
    );
    expect(show(shifts, tz).map((s) => s.start)).toEqual([
      '2026-03-27 09:00 +01:00',
      '2026-03-28 09:00 +01:00',
      '2026-03-29 10:00 +02:00',
    ]);
    expect(lengthsInHours(shifts)).toEqual([24, 24, 24]);
  });

  it('a hand-off in the spring-forward gap moves forward by the gap; one in the repeated hour is the first', () => {
    const tz = 'Europe/Berlin';
    const spring = rotationShifts(
      rotation({ handoffTime: '02:30', startDate: '2026-03-28' }),
      ['ana', 'ben', 'cem'],
      at('2026-03-28T00:00:00Z'),
      at('2026-03-31T00:00:00Z'),
    );
    // 02:30 does not exist on 29 March: the hand-off is at 03:30 summer time, 24 real hours after the one before.
    expect(show(spring, tz).map((s) => s.start)).toEqual([
      '2026-03-28 02:30 +01:00',
      '2026-03-29 03:30 +02:00',
      '2026-03-30 02:30 +02:00',
    ]);
    expect(lengthsInHours(spring)).toEqual([24, 23, expect.any(Number)]);

    const autumn = rotationShifts(
      rotation({ handoffTime: '02:30', startDate: '2026-10-24' }),
      ['ana', 'ben'],
      at('2026-10-24T00:00:00Z'),
      at('2026-10-26T12:00:00Z'),
    );
    // 02:30 happens twice on 25 October: the first (summer time, +02:00) is the hand-off.
    expect(show(autumn, tz).map((s) => s.start)).toEqual([
      '2026-10-24 02:30 +02:00',
      '2026-10-25 02:30 +02:00',
      '2026-10-26 02:30 +01:00',
    ]);
    expect(lengthsInHours(autumn).slice(0, 2)).toEqual([24, 25]);
  });

  it('America/New_York (2026-03-08 and 2026-11-01): a weekly Sunday 09:00 hand-off stays at 09:00 local', () => {
    const tz = 'America/New_York';
    const r = rotation({ shiftLength: { unit: 'weeks', count: 1 }, startDate: '2026-03-01', timeZone: tz });
    const march = rotationShifts(r, ['ana', 'ben'], at('2026-03-01T14:00:00Z'), at('2026-03-15T13:00:00Z'));
    expect(show(march, tz)).toEqual([
      { userId: 'ana', start: '2026-03-01 09:00 -05:00', end: '2026-03-08 09:00 -04:00' },
      { userId: 'ben', start: '2026-03-08 09:00 -04:00', end: '2026-03-15 09:00 -04:00' },
    ]);
    expect(lengthsInHours(march)).toEqual([167, 168]);

    const november = rotationShifts(
      r,
      ['ana', 'ben'],
      at('2026-10-25T13:00:00Z'),
      at('2026-11-08T14:00:00Z'),
    );
    expect(show(november, tz)).toEqual([
      { userId: 'ana', start: '2026-10-25 09:00 -04:00', end: '2026-11-01 09:00 -05:00' },
      { userId: 'ben', start: '2026-11-01 09:00 -05:00', end: '2026-11-08 09:00 -05:00' },
    ]);
    expect(lengthsInHours(november)).toEqual([169, 168]);
  });

  it('America/New_York: a 12-hour rotation keeps 12 real hours, so its hand-offs drift from 09:00/21:00 to 10:00/22:00', () => {
    const tz = 'America/New_York';
    const shifts = rotationShifts(
      rotation({ shiftLength: { unit: 'hours', count: 12 }, startDate: '2026-03-07', timeZone: tz }),
      ['day', 'night'],
      at('2026-03-07T14:00:00Z'),
      at('2026-03-09T14:00:00Z'),
    );
    expect(show(shifts, tz).map((s) => `${s.userId} ${s.start}`)).toEqual([
      'day 2026-03-07 09:00 -05:00',
      'night 2026-03-07 21:00 -05:00',
      'day 2026-03-08 10:00 -04:00',
      'night 2026-03-08 22:00 -04:00',
    ]);
  });

  it('Australia/Lord_Howe (30-minute DST): daily shifts of 24.5 h on 2026-04-05 and 23.5 h on 2026-10-04', () => {
    const tz = 'Australia/Lord_Howe';
    const r = rotation({ startDate: '2026-04-01', timeZone: tz });
    const april = rotationShifts(r, ['ana', 'ben'], at('2026-04-03T22:00:00Z'), at('2026-04-05T22:00:00Z'));
    expect(show(april, tz).map((s) => s.start)).toEqual([
      '2026-04-04 09:00 +11:00',
      '2026-04-05 09:00 +10:30',
    ]);
    expect(lengthsInHours(april)[0]).toBe(24.5);

    const october = rotationShifts(r, ['ana', 'ben'], at('2026-10-02T22:30:00Z'), at('2026-10-04T22:00:00Z'));
    expect(show(october, tz).map((s) => s.start)).toEqual([
      '2026-10-03 09:00 +10:30',
      '2026-10-04 09:00 +11:00',
    ]);
    expect(lengthsInHours(october)[0]).toBe(23.5);

    // 02:15 does not exist on 4 October (02:00 → 02:30): the hand-off moves forward by the 30-minute gap.
    const gap = rotationShifts(
      rotation({ handoffTime: '02:15', startDate: '2026-10-03', timeZone: tz }),
      ['ana', 'ben'],
      at('2026-10-02T00:00:00Z'),
      at('2026-10-04T12:00:00Z'),
    );
    expect(show(gap, tz).map((s) => s.start)).toEqual(['2026-10-03 02:15 +10:30', '2026-10-04 02:45 +11:00']);
  });

  it('Asia/Jakarta (no DST): a daily 09:00 hand-off is 02:00 UTC every day of the year', () => {
    const shifts = rotationShifts(
      rotation({ startDate: '2026-01-01', timeZone: 'Asia/Jakarta' }),
      ['ana', 'ben', 'cem'],
      at('2026-01-01T02:00:00Z'),
      at('2027-01-01T02:00:00Z'),
    );
    expect(shifts).toHaveLength(365);
    expect(shifts.every((s) => s.end - s.start === 24 * HOUR)).toBe(true);
    expect(shifts.every((s) => new Date(s.start).toISOString().endsWith('T02:00:00.000Z'))).toBe(true);
    expect(shifts.slice(0, 4).map((s) => s.userId)).toEqual(['ana', 'ben', 'cem', 'ana']);
  });
});

describe('calendar edges', () => {
  it('daily shifts cross month ends and the end of February without skipping or doubling a day', () => {
    const tz = 'UTC';
    const shifts = rotationShifts(
      rotation({ startDate: '2026-01-30', timeZone: tz }),
      ['ana', 'ben'],
      at('2026-01-30T09:00:00Z'),
      at('2026-03-02T09:00:00Z'),
    );
    expect(shifts).toHaveLength(31);
    expect(show(shifts, tz).map((s) => s.start.slice(0, 10))).toContain('2026-02-28');
    expect(show(shifts.slice(29), tz)).toEqual([
      { userId: 'ben', start: '2026-02-28 09:00 +00:00', end: '2026-03-01 09:00 +00:00' },
      { userId: 'ana', start: '2026-03-01 09:00 +00:00', end: '2026-03-02 09:00 +00:00' },
    ]);
  });

  it('a rotation starting on 29 February 2028 hands off every 7 days: 7 March, 14 March …, and on 28 February 2029', () => {
    const tz = 'Europe/Berlin';
    const r = rotation({ shiftLength: { unit: 'weeks', count: 1 }, startDate: '2028-02-29', timeZone: tz });
    const shifts = rotationShifts(r, ['ana', 'ben'], at('2028-02-29T00:00:00Z'), at('2028-03-21T00:00:00Z'));
    expect(show(shifts, tz).map((s) => `${s.userId} ${s.start}`)).toEqual([
      'ana 2028-02-29 09:00 +01:00',
      'ben 2028-03-07 09:00 +01:00',
      'ana 2028-03-14 09:00 +01:00',
    ]);
    // 52 weeks (364 days) on is 27 February 2029; the rotation does not look for a 29th that year.
    const year = rotationShifts(r, ['ana', 'ben'], at('2029-02-27T08:00:00Z'), at('2029-03-07T00:00:00Z'));
    expect(show(year, tz).map((s) => `${s.userId} ${s.start}`)).toEqual([
      'ana 2029-02-27 09:00 +01:00',
      'ben 2029-03-06 09:00 +01:00',
    ]);
  });

  it('puts nobody on call before the first hand-off', () => {
    const r = rotation({ startDate: '2026-05-04' });
    expect(rotationShifts(r, ['ana'], at('2026-05-01T00:00:00Z'), at('2026-05-04T07:00:00Z'))).toEqual([]);
    const first = rotationShifts(r, ['ana'], at('2026-05-01T00:00:00Z'), at('2026-05-05T00:00:00Z'));
    expect(first[0]?.start).toBe(at('2026-05-04T07:00:00Z'));
  });
});

describe('restrictions', () => {
  const layer = (over: Partial<Layer> = {}): Layer => ({
    id: 'nights',
    name: 'Nights',
    rotation: rotation({ shiftLength: { unit: 'weeks', count: 1 }, startDate: '2026-03-02' }),
    participants: ['ana'],
    restrictions: [],
    ...over,
  });

  it('a window that wraps past midnight (22:00–06:00) runs into the next day, DST night included', () => {
    const tz = 'Europe/Berlin';
    const segments = layerSegments(
      layer({ restrictions: [{ days: ['fri', 'sat'], from: '22:00', to: '06:00' }] }),
      at('2026-03-26T00:00:00Z'),
      at('2026-04-01T00:00:00Z'),
    );
    expect(show(segments, tz)).toEqual([
      { userId: 'ana', start: '2026-03-27 22:00 +01:00', end: '2026-03-28 06:00 +01:00' },
      { userId: 'ana', start: '2026-03-28 22:00 +01:00', end: '2026-03-29 06:00 +02:00' },
    ]);
    // The spring-forward night is an hour shorter.
    expect(lengthsInHours(segments)).toEqual([8, 7]);
  });

  it('a window that began the evening before the range counts for its part inside the range', () => {
    const windows = restrictionWindows(
      [{ from: '22:00', to: '06:00' }],
      'UTC',
      at('2026-06-10T03:00:00Z'),
      at('2026-06-10T23:00:00Z'),
    );
    expect(windows).toEqual([
      { start: at('2026-06-10T03:00:00Z'), end: at('2026-06-10T06:00:00Z') },
      { start: at('2026-06-10T22:00:00Z'), end: at('2026-06-10T23:00:00Z') },
    ]);
  });

  it('business hours on weekdays leave the evenings and the weekend uncovered; from == to is a whole day', () => {
    const tz = 'UTC';
    const office = layerSegments(
      layer({
        rotation: rotation({ timeZone: tz, startDate: '2026-06-01' }),
        participants: ['ana', 'ben'],
        restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
      }),
      at('2026-06-05T00:00:00Z'),
      at('2026-06-09T00:00:00Z'),
    );
    expect(show(office, tz)).toEqual([
      { userId: 'ana', start: '2026-06-05 09:00 +00:00', end: '2026-06-05 17:00 +00:00' },
      { userId: 'ben', start: '2026-06-08 09:00 +00:00', end: '2026-06-08 17:00 +00:00' },
    ]);
    const sundays = restrictionWindows(
      [{ days: ['sun'], from: '00:00', to: '00:00' }],
      tz,
      at('2026-06-05T00:00:00Z'),
      at('2026-06-09T00:00:00Z'),
    );
    expect(sundays).toEqual([{ start: at('2026-06-07T00:00:00Z'), end: at('2026-06-08T00:00:00Z') }]);
  });

  it('a window starting in the spring-forward gap moves forward by the gap, like a hand-off', () => {
    const windows = restrictionWindows(
      [{ from: '02:00', to: '02:30' }],
      'Europe/Berlin',
      at('2026-03-28T00:00:00Z'),
      at('2026-03-30T00:00:00Z'),
    );
    // 28 March: 02:00–02:30 winter time; 29 March: neither time exists, so the window is 03:00–03:30 summer time.
    expect(windows).toEqual([
      { start: at('2026-03-28T01:00:00Z'), end: at('2026-03-28T01:30:00Z') },
      { start: at('2026-03-29T01:00:00Z'), end: at('2026-03-29T01:30:00Z') },
    ]);
  });
});
