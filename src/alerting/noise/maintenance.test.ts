import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { DAY, MINUTE, epochMs, type EpochMs } from '../../platform/clock.ts';
import { strictValidator } from '../../platform/json-schema.ts';
import {
  MaintenanceScheduleSchema,
  WEEKDAYS,
  isInMaintenance,
  occurrences,
  validateMaintenanceSchedule,
  type MaintenanceOccurrence,
  type WeeklySchedule,
} from './maintenance.ts';

const at = (iso: string): EpochMs => epochMs(Date.parse(iso));
const iso = (w: MaintenanceOccurrence) => ({
  startsAt: new Date(w.startsAt).toISOString(),
  endsAt: new Date(w.endsAt).toISOString(),
});
const weekly = (over: Partial<WeeklySchedule> = {}): WeeklySchedule => ({
  kind: 'weekly',
  days: ['sun'],
  start: '02:00',
  durationMinutes: 120,
  timeZone: 'Europe/Berlin',
  ...over,
});

describe('validateMaintenanceSchedule', () => {
  it('accepts a one-off window and a recurring one', () => {
    expect(validateMaintenanceSchedule({ kind: 'once', startsAt: 1_000, endsAt: 2_000 })).toEqual([]);
    expect(validateMaintenanceSchedule(weekly({ from: at('2025-01-01T00:00:00Z') }))).toEqual([]);
    expect(validateMaintenanceSchedule(weekly({ timeZone: 'UTC', days: [...WEEKDAYS] }))).toEqual([]);
  });

  it('refuses a one-off window that ends before it starts', () => {
    expect(validateMaintenanceSchedule({ kind: 'once', startsAt: 2_000, endsAt: 2_000 })).toEqual([
      { pointer: '/endsAt', detail: 'must be after startsAt' },
    ]);
    expect(validateMaintenanceSchedule({ kind: 'once', startsAt: -5, endsAt: 'soon' })).toEqual([
      { pointer: '/startsAt', detail: expect.stringMatching(/epoch milliseconds/) },
      { pointer: '/endsAt', detail: expect.stringMatching(/epoch milliseconds/) },
    ]);
  });

  it('names the unknown time zone and suggests an IANA name', () => {
    expect(validateMaintenanceSchedule(weekly({ timeZone: 'Mars/Olympus_Mons' }))).toEqual([
      {
        pointer: '/timeZone',
        detail:
          '"Mars/Olympus_Mons" is not a known time zone: use an IANA time zone name such as "Europe/Berlin" or "UTC"',
      },
    ]);
  });

  it('refuses a fixed offset, which would be an hour off for half the year', () => {
    const [error] = validateMaintenanceSchedule(weekly({ timeZone: '+01:00' }));
    expect(error).toEqual({
      pointer: '/timeZone',
      detail: expect.stringMatching(/fixed offset.*daylight saving/),
    });
  });

  it.each(['2:00', '24:00', '02:60', '0200', '02:00:00', ''])('refuses the start time %j', (start) => {
    expect(validateMaintenanceSchedule(weekly({ start }))).toEqual([
      { pointer: '/start', detail: 'must be a 24-hour time HH:MM, e.g. "02:00" or "23:30"' },
    ]);
  });

  it('refuses no days, unknown days and a day listed twice', () => {
    expect(validateMaintenanceSchedule(weekly({ days: [] }))).toEqual([
      { pointer: '/days', detail: 'must name at least one weekday' },
    ]);
    const bad = weekly({ days: ['sun', 'sunday', 'sun'] as unknown as WeeklySchedule['days'] });
    expect(validateMaintenanceSchedule(bad)).toEqual([
      { pointer: '/days/1', detail: 'must be one of mon, tue, wed, thu, fri, sat, sun' },
      { pointer: '/days/2', detail: 'lists "sun" twice' },
    ]);
  });

  it.each([0, 10_081, 1.5])('refuses a duration of %j minutes', (durationMinutes) => {
    expect(validateMaintenanceSchedule(weekly({ durationMinutes }))).toEqual([
      { pointer: '/durationMinutes', detail: 'must be a whole number of minutes from 1 to 10080 (7 days)' },
    ]);
  });

  it('refuses an until that is not after from, unknown properties and unknown kinds', () => {
    const t = at('2025-06-01T00:00:00Z');
    expect(validateMaintenanceSchedule(weekly({ from: t, until: t }))).toEqual([
      { pointer: '/until', detail: 'must be after from' },
    ]);
    expect(validateMaintenanceSchedule({ ...weekly(), every: 'week' })).toEqual([
      { pointer: '/every', detail: 'is not a property of this kind of schedule' },
    ]);
    expect(validateMaintenanceSchedule({ kind: 'daily' })).toEqual([
      { pointer: '/kind', detail: 'must be "once" or "weekly"' },
    ]);
    expect(validateMaintenanceSchedule(null)).toEqual([
      { pointer: '/', detail: 'must be an object with kind "once" or "weekly"' },
    ]);
  });

  it('prefixes pointers for a schedule nested in a request body', () => {
    expect(validateMaintenanceSchedule(weekly({ start: 'noon' }), '/schedule')).toEqual([
      { pointer: '/schedule/start', detail: expect.any(String) },
    ]);
  });

  it('agrees with the JSON schema on shape; only the validator knows time zones and instant order', () => {
    const schema = strictValidator().compile(MaintenanceScheduleSchema);
    const valid = [
      weekly(),
      weekly({ days: ['sat', 'sun'], from: 0 as EpochMs }),
      { kind: 'once', startsAt: 1, endsAt: 2 },
    ];
    for (const s of valid) expect([schema(s), validateMaintenanceSchedule(s)]).toEqual([true, []]);
    const malformed = [
      weekly({ start: '2:00' }),
      weekly({ days: [] }),
      weekly({ days: ['sun', 'sun'] }),
      weekly({ durationMinutes: 10_081 }),
      { ...weekly(), extra: 1 },
      { kind: 'once', startsAt: 1 },
    ];
    for (const s of malformed) {
      expect(schema(s)).toBe(false);
      expect(validateMaintenanceSchedule(s)).not.toEqual([]);
    }
    const shapeOnly = [weekly({ timeZone: 'Europe/Berlinn' }), { kind: 'once', startsAt: 2, endsAt: 1 }];
    for (const s of shapeOnly) {
      expect(schema(s)).toBe(true);
      expect(validateMaintenanceSchedule(s)).not.toEqual([]);
    }
  });
});

describe('isInMaintenance', () => {
  it('mutes a one-off window from its start up to, not including, its end', () => {
    const s = {
      kind: 'once',
      startsAt: at('2025-05-01T10:00:00Z'),
      endsAt: at('2025-05-01T12:00:00Z'),
    } as const;
    expect(isInMaintenance(s, at('2025-05-01T09:59:59.999Z'))).toBe(false);
    expect(isInMaintenance(s, at('2025-05-01T10:00:00Z'))).toBe(true);
    expect(isInMaintenance(s, at('2025-05-01T11:59:59.999Z'))).toBe(true);
    expect(isInMaintenance(s, at('2025-05-01T12:00:00Z'))).toBe(false);
  });

  it('mutes "every Sunday 02:00-04:00 Europe/Berlin" in local time, winter and summer', () => {
    const s = weekly();
    // Winter (CET, UTC+1): 02:00 local is 01:00Z.
    expect(isInMaintenance(s, at('2025-01-05T00:59:59.999Z'))).toBe(false);
    expect(isInMaintenance(s, at('2025-01-05T01:00:00Z'))).toBe(true);
    expect(isInMaintenance(s, at('2025-01-05T02:59:59.999Z'))).toBe(true);
    expect(isInMaintenance(s, at('2025-01-05T03:00:00Z'))).toBe(false);
    // Summer (CEST, UTC+2): the same wall-clock window is 00:00Z-02:00Z.
    expect(isInMaintenance(s, at('2025-07-06T00:00:00Z'))).toBe(true);
    expect(isInMaintenance(s, at('2025-07-06T02:00:00Z'))).toBe(false);
    // Saturday and Monday at the same hour are not muted.
    expect(isInMaintenance(s, at('2025-01-04T01:30:00Z'))).toBe(false);
    expect(isInMaintenance(s, at('2025-01-06T01:30:00Z'))).toBe(false);
  });

  it('keeps muting after midnight for a window that started the day before (Sat 23:00 + 3 h)', () => {
    const s = weekly({ days: ['sat'], start: '23:00', durationMinutes: 180 });
    expect(isInMaintenance(s, at('2025-01-04T21:59:00Z'))).toBe(false); // Sat 22:59 Berlin
    expect(isInMaintenance(s, at('2025-01-04T22:00:00Z'))).toBe(true); // Sat 23:00
    expect(isInMaintenance(s, at('2025-01-05T00:00:00Z'))).toBe(true); // Sun 01:00
    expect(isInMaintenance(s, at('2025-01-05T00:59:59.999Z'))).toBe(true); // Sun 01:59:59
    expect(isInMaintenance(s, at('2025-01-05T01:00:00Z'))).toBe(false); // Sun 02:00
    expect(isInMaintenance(s, at('2025-01-05T22:30:00Z'))).toBe(false); // Sun 23:30: Sunday is not listed
  });

  it('covers a whole week with a 7-day window that starts on Friday', () => {
    const s = weekly({ days: ['fri'], start: '18:00', durationMinutes: 10_080, timeZone: 'UTC' });
    expect(isInMaintenance(s, at('2025-01-09T17:59:00Z'))).toBe(true); // Thu, 6 days 23:59 after Fri 18:00
    expect(isInMaintenance(s, at('2025-01-10T17:59:59.999Z'))).toBe(true); // Fri, the last ms of last week's
    expect(isInMaintenance(s, at('2025-01-10T18:00:00Z'))).toBe(true); // ...and the next one starts
  });

  it('moves a start that does not exist on the spring-forward Sunday in Berlin forward by the gap', () => {
    // 2025-03-30: clocks jump from 02:00 CET to 03:00 CEST; 02:30 does not exist and becomes 03:30 CEST (01:30Z).
    const s = weekly({ start: '02:30', durationMinutes: 60 });
    expect(isInMaintenance(s, at('2025-03-30T01:29:59.999Z'))).toBe(false); // 03:29 CEST
    expect(isInMaintenance(s, at('2025-03-30T01:30:00Z'))).toBe(true); // 03:30 CEST
    expect(isInMaintenance(s, at('2025-03-30T02:29:59.999Z'))).toBe(true); // 04:29 CEST
    expect(isInMaintenance(s, at('2025-03-30T02:30:00Z'))).toBe(false);
    // The Sunday after, the window is back at 02:30 local (00:30Z in summer time).
    expect(isInMaintenance(s, at('2025-04-06T00:30:00Z'))).toBe(true);
  });

  it('runs a window for its duration in real time over the fall-back night in Berlin', () => {
    // 2025-10-26: 03:00 CEST becomes 02:00 CET. "02:00 + 120 min" starts at 02:00 CEST (00:00Z) and ends two real
    // hours later, at 03:00 CET (02:00Z) on the wall clock, not at 04:00.
    const s = weekly();
    expect(isInMaintenance(s, at('2025-10-25T23:59:59.999Z'))).toBe(false);
    expect(isInMaintenance(s, at('2025-10-26T00:00:00Z'))).toBe(true);
    expect(isInMaintenance(s, at('2025-10-26T01:59:59.999Z'))).toBe(true);
    expect(isInMaintenance(s, at('2025-10-26T02:30:00Z'))).toBe(false); // 03:30 CET
  });

  it('handles both DST weekends in America/New_York, using the first of a repeated hour', () => {
    const ny = (over: Partial<WeeklySchedule>) => weekly({ timeZone: 'America/New_York', ...over });
    // 2025-03-09: 02:00 EST jumps to 03:00 EDT; a 02:30 start becomes 03:30 EDT (07:30Z).
    const spring = ny({ start: '02:30', durationMinutes: 30 });
    expect(isInMaintenance(spring, at('2025-03-09T07:29:59.999Z'))).toBe(false);
    expect(isInMaintenance(spring, at('2025-03-09T07:30:00Z'))).toBe(true);
    expect(isInMaintenance(spring, at('2025-03-09T08:00:00Z'))).toBe(false);
    // 2025-11-02: 02:00 EDT falls back to 01:00 EST, so 01:30 happens twice; the window is the first (05:30Z EDT).
    const fall = ny({ start: '01:30', durationMinutes: 30 });
    expect(isInMaintenance(fall, at('2025-11-02T05:30:00Z'))).toBe(true); // 01:30 EDT
    expect(isInMaintenance(fall, at('2025-11-02T05:59:59.999Z'))).toBe(true);
    expect(isInMaintenance(fall, at('2025-11-02T06:45:00Z'))).toBe(false); // 01:45 EST, the second time round
  });

  it('mutes nothing once until has passed, and cuts short the occurrence running at until', () => {
    const past = weekly({ until: at('2024-01-01T00:00:00Z') });
    expect(isInMaintenance(past, at('2025-01-05T01:30:00Z'))).toBe(false);
    expect(occurrences(past, at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z'))).toEqual([]);

    const cut = weekly({ until: at('2025-01-05T02:00:00Z') }); // an hour into the 01:00Z-03:00Z window
    expect(isInMaintenance(cut, at('2025-01-05T01:59:59.999Z'))).toBe(true);
    expect(isInMaintenance(cut, at('2025-01-05T02:00:00Z'))).toBe(false);
  });

  it('mutes nothing before from, even inside an occurrence', () => {
    const s = weekly({ from: at('2025-01-05T02:00:00Z') });
    expect(isInMaintenance(s, at('2025-01-05T01:30:00Z'))).toBe(false);
    expect(isInMaintenance(s, at('2025-01-05T02:00:00Z'))).toBe(true);
    expect(isInMaintenance(s, at('2024-12-29T01:30:00Z'))).toBe(false);
  });
});

describe('occurrences', () => {
  it('lists the next Sundays across the spring-forward weekend at their real instants', () => {
    const windows = occurrences(weekly(), at('2025-03-19T12:00:00Z'), at('2025-04-09T00:00:00Z'));
    expect(windows.map(iso)).toEqual([
      { startsAt: '2025-03-23T01:00:00.000Z', endsAt: '2025-03-23T03:00:00.000Z' }, // 02:00 CET
      { startsAt: '2025-03-30T01:00:00.000Z', endsAt: '2025-03-30T03:00:00.000Z' }, // 02:00 missing: 03:00 CEST
      { startsAt: '2025-04-06T00:00:00.000Z', endsAt: '2025-04-06T02:00:00.000Z' }, // 02:00 CEST
    ]);
  });

  it('includes the window already running, with its real start, and stops at the limit', () => {
    const s = weekly({ days: ['mon', 'wed', 'fri'], start: '22:00', durationMinutes: 240, timeZone: 'UTC' });
    const windows = occurrences(s, at('2025-01-09T00:30:00Z'), at('2025-02-01T00:00:00Z'), 3);
    expect(windows.map(iso)).toEqual([
      { startsAt: '2025-01-08T22:00:00.000Z', endsAt: '2025-01-09T02:00:00.000Z' }, // Wed, still running
      { startsAt: '2025-01-10T22:00:00.000Z', endsAt: '2025-01-11T02:00:00.000Z' }, // Fri
      { startsAt: '2025-01-13T22:00:00.000Z', endsAt: '2025-01-14T02:00:00.000Z' }, // Mon
    ]);
    expect(occurrences(s, at('2025-01-09T00:30:00Z'), at('2025-02-01T00:00:00Z'), 0)).toEqual([]);
  });

  it('clips occurrences to from and until', () => {
    const s = weekly({ from: at('2025-01-05T02:00:00Z'), until: at('2025-01-12T02:00:00Z') });
    expect(occurrences(s, at('2025-01-01T00:00:00Z'), at('2025-02-01T00:00:00Z')).map(iso)).toEqual([
      { startsAt: '2025-01-05T02:00:00.000Z', endsAt: '2025-01-05T03:00:00.000Z' },
      { startsAt: '2025-01-12T01:00:00.000Z', endsAt: '2025-01-12T02:00:00.000Z' },
    ]);
  });

  it('lists a one-off window when it overlaps the range', () => {
    const s = {
      kind: 'once',
      startsAt: at('2025-05-01T10:00:00Z'),
      endsAt: at('2025-05-01T12:00:00Z'),
    } as const;
    expect(occurrences(s, at('2025-05-01T11:00:00Z'), at('2025-05-02T00:00:00Z'))).toEqual([
      { startsAt: s.startsAt, endsAt: s.endsAt },
    ]);
    expect(occurrences(s, at('2025-05-01T12:00:00Z'), at('2025-05-02T00:00:00Z'))).toEqual([]);
    expect(occurrences(s, at('2025-04-01T00:00:00Z'), at('2025-05-01T10:00:00Z'))).toEqual([]);
  });

  it('starts every occurrence on a listed day at the wall-clock start (unless skipped by DST), in any zone', () => {
    const zones = [
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
      'America/Santiago',
      'Asia/Kolkata',
    ];
    const schedule = fc.record({
      kind: fc.constant('weekly' as const),
      days: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 7 }),
      start: fc
        .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
        .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
      durationMinutes: fc.integer({ min: 1, max: 10_080 }),
      timeZone: fc.constantFrom(...zones),
    });
    const instant = fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2030-01-01') }).map(epochMs);
    fc.assert(
      fc.property(schedule, instant, (s, t) => {
        const windows = occurrences(s, t, t + 21 * DAY);
        const [hour, minute] = s.start.split(':').map(Number) as [number, number];
        for (const w of windows) {
          expect(w.endsAt - w.startsAt).toBe(s.durationMinutes * MINUTE);
          const local = Temporal.Instant.fromEpochMilliseconds(w.startsAt).toZonedDateTimeISO(s.timeZone);
          expect(s.days).toContain(WEEKDAYS[local.dayOfWeek - 1]);
          const wall = {
            timeZone: s.timeZone,
            year: local.year,
            month: local.month,
            day: local.day,
            hour,
            minute,
          };
          const skipped = (() => {
            try {
              Temporal.ZonedDateTime.from(wall, { disambiguation: 'reject' });
              return false;
            } catch {
              return true;
            }
          })();
          if (!skipped) expect([local.hour, local.minute]).toEqual([hour, minute]);
          expect(isInMaintenance(s, w.startsAt)).toBe(true);
          expect(isInMaintenance(s, epochMs(w.endsAt - 1))).toBe(true);
        }
        // isInMaintenance looks back far enough: it agrees with a scan started well before t.
        const covering = occurrences(s, t - 9 * DAY, t + 1, 1_000).some(
          (w) => w.startsAt <= t && t < w.endsAt,
        );
        expect(isInMaintenance(s, t)).toBe(covering);
      }),
      { numRuns: 200 },
    );
  });
});
