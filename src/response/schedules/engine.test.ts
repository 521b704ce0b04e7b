import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, epochMs, type EpochMs } from '../../platform/clock.ts';
import { coverageGaps, finalSchedule, onCallAt, scheduleTimeline, segmentAt } from './engine.ts';
import type { Layer, Override, Rotation, ScheduleSpec, Segment } from './model.ts';
import { rotationClock, rotationShifts } from './rotation.ts';
import { complement, stack } from './segments.ts';

const at = (iso: string): EpochMs => epochMs(Date.parse(iso));
const iso = (ms: number) => new Date(ms).toISOString().replace(':00.000Z', 'Z');
const show = (segments: readonly { userId?: string; start: number; end: number }[]) =>
  segments.map((s) => `${s.userId ?? 'gap'} ${iso(s.start)} → ${iso(s.end)}`);

const rotation = (over: Partial<Rotation> = {}): Rotation => ({
  shiftLength: { unit: 'weeks', count: 1 },
  handoffTime: '09:00',
  startDate: '2026-06-01',
  timeZone: 'UTC',
  ...over,
});
const layer = (id: string, participants: string[], over: Partial<Layer> = {}): Layer => ({
  id,
  name: id,
  rotation: rotation(),
  participants,
  restrictions: [],
  ...over,
});
const override = (over: Partial<Override> & Pick<Override, 'userId' | 'start' | 'end'>): Override => ({
  id: `ovr_${over.userId}`,
  replacesUserId: null,
  ...over,
});

describe('final schedule', () => {
  // Weekly primary (ana, ben) from Monday 1 June 09:00 UTC, and a business-hours layer (cem) on top.
  const primary = layer('primary', ['ana', 'ben']);
  const office = layer('office', ['cem'], {
    restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
  });

  it('a higher layer wins where it has someone; the lower one shows through its gaps', () => {
    const spec: ScheduleSpec = { layers: [primary, office], overrides: [] };
    expect(show(finalSchedule(spec, at('2026-06-05T00:00:00Z'), at('2026-06-09T00:00:00Z')))).toEqual([
      'ana 2026-06-05T00:00Z → 2026-06-05T09:00Z',
      'cem 2026-06-05T09:00Z → 2026-06-05T17:00Z',
      'ana 2026-06-05T17:00Z → 2026-06-08T09:00Z',
      'cem 2026-06-08T09:00Z → 2026-06-08T17:00Z',
      'ben 2026-06-08T17:00Z → 2026-06-09T00:00Z',
    ]);
    // Layer order matters: with the office layer below, the full-time rotation hides it completely.
    const swapped: ScheduleSpec = { layers: [office, primary], overrides: [] };
    expect(show(finalSchedule(swapped, at('2026-06-05T00:00:00Z'), at('2026-06-09T00:00:00Z')))).toEqual([
      'ana 2026-06-05T00:00Z → 2026-06-08T09:00Z',
      'ben 2026-06-08T09:00Z → 2026-06-09T00:00Z',
    ]);
  });

  it('a cover override replaces whoever is on call in its range and fills gaps; a newer override wins', () => {
    const spec: ScheduleSpec = {
      layers: [office],
      overrides: [
        override({ userId: 'dan', start: at('2026-06-05T16:00:00Z'), end: at('2026-06-05T20:00:00Z') }),
        override({ userId: 'eve', start: at('2026-06-05T19:00:00Z'), end: at('2026-06-05T21:00:00Z') }),
      ],
    };
    expect(show(finalSchedule(spec, at('2026-06-05T00:00:00Z'), at('2026-06-06T00:00:00Z')))).toEqual([
      'cem 2026-06-05T09:00Z → 2026-06-05T16:00Z',
      'dan 2026-06-05T16:00Z → 2026-06-05T19:00Z',
      'eve 2026-06-05T19:00Z → 2026-06-05T21:00Z',
    ]);
    expect(onCallAt(spec, at('2026-06-05T18:00:00Z'))).toEqual(['dan']);
    expect(onCallAt(spec, at('2026-06-05T22:00:00Z'))).toEqual([]);
  });

  it('a swap replaces only the named person’s hours inside its range', () => {
    const spec: ScheduleSpec = {
      layers: [primary, office],
      overrides: [
        // Ana is away Friday 6:00 to Saturday 12:00; Dan takes her hours, not Cem's office hours.
        override({
          userId: 'dan',
          replacesUserId: 'ana',
          start: at('2026-06-05T06:00:00Z'),
          end: at('2026-06-06T12:00:00Z'),
        }),
      ],
    };
    expect(show(finalSchedule(spec, at('2026-06-05T00:00:00Z'), at('2026-06-07T00:00:00Z')))).toEqual([
      'ana 2026-06-05T00:00Z → 2026-06-05T06:00Z',
      'dan 2026-06-05T06:00Z → 2026-06-05T09:00Z',
      'cem 2026-06-05T09:00Z → 2026-06-05T17:00Z',
      'dan 2026-06-05T17:00Z → 2026-06-06T12:00Z',
      'ana 2026-06-06T12:00Z → 2026-06-07T00:00Z',
    ]);
    // A swap for someone who is not on call in its range changes nothing.
    const idle: ScheduleSpec = {
      layers: [primary],
      overrides: [
        override({
          userId: 'dan',
          replacesUserId: 'ben',
          start: at('2026-06-05T00:00:00Z'),
          end: at('2026-06-06T00:00:00Z'),
        }),
      ],
    };
    expect(show(finalSchedule(idle, at('2026-06-05T00:00:00Z'), at('2026-06-06T00:00:00Z')))).toEqual([
      'ana 2026-06-05T00:00Z → 2026-06-06T00:00Z',
    ]);
  });

  it('reports gaps, layers and final segments for the timeline', () => {
    const spec: ScheduleSpec = { layers: [office], overrides: [] };
    const t = scheduleTimeline(spec, at('2026-06-05T00:00:00Z'), at('2026-06-06T00:00:00Z'));
    expect(show(t.layers[0]!.segments)).toEqual(['cem 2026-06-05T09:00Z → 2026-06-05T17:00Z']);
    expect(show(t.final)).toEqual(['cem 2026-06-05T09:00Z → 2026-06-05T17:00Z']);
    expect(show(t.gaps)).toEqual([
      'gap 2026-06-05T00:00Z → 2026-06-05T09:00Z',
      'gap 2026-06-05T17:00Z → 2026-06-06T00:00Z',
    ]);
    expect(coverageGaps(spec, at('2026-06-05T00:00:00Z'), at('2026-06-06T00:00:00Z'))).toEqual(t.gaps);
    // Before the first hand-off nobody is on call.
    expect(
      show(
        coverageGaps(
          { layers: [primary], overrides: [] },
          at('2026-05-31T00:00:00Z'),
          at('2026-06-02T00:00:00Z'),
        ),
      ),
    ).toEqual(['gap 2026-05-31T00:00Z → 2026-06-01T09:00Z']);
  });

  it('a deactivated person’s hours go to the layer below, or become a gap; a swap for them still applies', () => {
    const spec: ScheduleSpec = {
      layers: [primary, office],
      overrides: [
        override({
          userId: 'dan',
          replacesUserId: 'cem',
          start: at('2026-06-08T09:00:00Z'),
          end: at('2026-06-08T12:00:00Z'),
        }),
      ],
      absent: new Set(['cem', 'ben']),
    };
    expect(show(finalSchedule(spec, at('2026-06-05T00:00:00Z'), at('2026-06-09T00:00:00Z')))).toEqual([
      'ana 2026-06-05T00:00Z → 2026-06-08T09:00Z',
      'dan 2026-06-08T09:00Z → 2026-06-08T12:00Z',
    ]);
  });

  it('finds the whole current shift, however long ago it started', () => {
    const spec: ScheduleSpec = {
      layers: [
        layer('long', ['ana', 'ben'], { rotation: rotation({ shiftLength: { unit: 'weeks', count: 4 } }) }),
      ],
      overrides: [],
    };
    expect(segmentAt(spec, at('2026-07-20T00:00:00Z'))).toEqual({
      userId: 'ben',
      start: at('2026-06-29T09:00:00Z'),
      end: at('2026-07-27T09:00:00Z'),
    });
    expect(segmentAt(spec, at('2026-05-01T00:00:00Z'))).toBeNull();
  });

  it('a daily Berlin rotation has one person on call at every instant of the DST weekend', () => {
    const spec: ScheduleSpec = {
      layers: [
        layer('daily', ['ana', 'ben'], {
          rotation: rotation({
            shiftLength: { unit: 'days', count: 1 },
            startDate: '2026-03-27',
            timeZone: 'Europe/Berlin',
          }),
        }),
      ],
      overrides: [],
    };
    // 29 March 08:59 summer time is still Ben (his shift began 28 March 09:00 winter time); 09:00 is Ana.
    expect(onCallAt(spec, at('2026-03-29T06:59:00Z'))).toEqual(['ben']);
    expect(onCallAt(spec, at('2026-03-29T07:00:00Z'))).toEqual(['ana']);
    expect(coverageGaps(spec, at('2026-03-28T00:00:00Z'), at('2026-03-31T00:00:00Z'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Jakarta',
  'Asia/Kolkata',
  'America/St_Johns',
  'Pacific/Chatham',
];
const twoDigits = (n: number) => String(n).padStart(2, '0');

const rotationArb: fc.Arbitrary<Rotation> = fc.record({
  shiftLength: fc.oneof(
    fc.record({ unit: fc.constant('hours' as const), count: fc.integer({ min: 1, max: 72 }) }),
    fc.record({ unit: fc.constant('days' as const), count: fc.integer({ min: 1, max: 10 }) }),
    fc.record({ unit: fc.constant('weeks' as const), count: fc.integer({ min: 1, max: 3 }) }),
  ),
  handoffTime: fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
    .map(([h, m]) => `${twoDigits(h)}:${twoDigits(m)}`),
  startDate: fc
    .date({
      min: new Date('2024-01-01T00:00:00Z'),
      max: new Date('2028-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10)),
  timeZone: fc.constantFrom(...ZONES),
});
const participantsArb = fc.array(fc.constantFrom('ana', 'ben', 'cem', 'dan'), { minLength: 1, maxLength: 5 });
/** A range after the rotation's first hand-off: up to 120 days long, starting up to 3 years later. */
const rangeAfter = (anchor: number) =>
  fc
    .tuple(fc.integer({ min: 0, max: 3 * 365 * DAY }), fc.integer({ min: 1, max: 120 * DAY }))
    .map(([offset, length]) => ({ from: epochMs(anchor + offset), to: epochMs(anchor + offset + length) }));

const contiguous = (segments: readonly Segment[], from: number, to: number) =>
  segments.length > 0 &&
  segments[0]!.start === from &&
  segments[segments.length - 1]!.end === to &&
  segments.every((s, i) => s.end > s.start && (i === 0 || segments[i - 1]!.end === s.start));

describe('properties', () => {
  it('a rotation with at least one participant and no restrictions has no gaps and no overlaps after its start', () => {
    fc.assert(
      fc.property(
        rotationArb.chain((r) =>
          fc.tuple(fc.constant(r), participantsArb, rangeAfter(rotationClock(r).anchor)),
        ),
        ([r, participants, { from, to }]) => {
          const shifts = rotationShifts(r, participants, from, to);
          expect(contiguous(shifts, from, to)).toBe(true);
          const spec: ScheduleSpec = { layers: [layer('l', participants, { rotation: r })], overrides: [] };
          const final = finalSchedule(spec, from, to);
          expect(contiguous(final, from, to)).toBe(true);
          expect(complement(final, from, to)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('shifts are ordered, hand over in participant order, and last the rotation’s length (hours: exactly)', () => {
    fc.assert(
      fc.property(
        rotationArb.chain((r) =>
          fc.tuple(fc.constant(r), participantsArb, rangeAfter(rotationClock(r).anchor)),
        ),
        ([r, participants, { from, to }]) => {
          const clock = rotationClock(r);
          const shifts = rotationShifts(r, participants, from, to);
          const first = clock.indexAt(from);
          shifts.forEach((s, k) => {
            expect(s.userId).toBe(participants[(first + k) % participants.length]);
            const whole = { start: clock.startOf(first + k), end: clock.startOf(first + k + 1) };
            if (r.shiftLength.unit === 'hours')
              expect(whole.end - whole.start).toBe(r.shiftLength.count * HOUR);
            else {
              const days = r.shiftLength.count * (r.shiftLength.unit === 'weeks' ? 7 : 1);
              // A DST change moves a local hand-off by at most its size (1 h, 30 min on Lord Howe).
              expect(Math.abs(whole.end - whole.start - days * DAY)).toBeLessThanOrEqual(HOUR);
            }
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('who is on call at an instant agrees with the shifts listed over any range holding it', () => {
    fc.assert(
      fc.property(
        rotationArb.chain((r) =>
          fc.tuple(
            fc.constant(r),
            participantsArb,
            rangeAfter(rotationClock(r).anchor),
            fc.double({ min: 0, max: 1, noNaN: true }),
          ),
        ),
        ([r, participants, { from, to }, f]) => {
          const t = epochMs(Math.min(to - 1, Math.floor(from + f * (to - from))));
          const spec: ScheduleSpec = { layers: [layer('l', participants, { rotation: r })], overrides: [] };
          const holder = finalSchedule(spec, from, to).find((s) => s.start <= t && t < s.end);
          expect(onCallAt(spec, t)).toEqual([holder!.userId]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stacking keeps the top layer intact and covers exactly the union of the layers', () => {
    const timeline = fc
      .array(
        fc.tuple(
          fc.integer({ min: 0, max: 100 }),
          fc.integer({ min: 1, max: 20 }),
          fc.constantFrom('a', 'b'),
        ),
        {
          maxLength: 8,
        },
      )
      .map((parts) => {
        const out: Segment[] = [];
        let cursor = 0;
        for (const [gap, length, userId] of parts) {
          const start = cursor + gap;
          out.push({ userId, start: epochMs(start), end: epochMs(start + length) });
          cursor = start + length;
        }
        return out;
      });
    fc.assert(
      fc.property(fc.array(timeline, { minLength: 1, maxLength: 4 }), (layers) => {
        const stacked = stack(layers);
        const top = layers[layers.length - 1]!;
        for (const s of top)
          for (let t = s.start; t < s.end; t++)
            expect(stacked.find((x) => x.start <= t && t < x.end)?.userId).toBe(s.userId);
        const covered = (segs: readonly Segment[], t: number) => segs.some((x) => x.start <= t && t < x.end);
        for (let t = 0; t < 1000; t += 7) expect(covered(stacked, t)).toBe(layers.some((l) => covered(l, t)));
      }),
    );
  });
});
