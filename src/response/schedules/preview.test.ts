import { describe, expect, it } from 'vitest';
import { DAY, epochMs, type EpochMs } from '../../platform/clock.ts';
import type { Layer, ScheduleSpec } from './model.ts';
import { dstTransitions, previewScheduleChange } from './preview.ts';

const at = (iso: string): EpochMs => epochMs(Date.parse(iso));
const iso = (ms: number) => new Date(ms).toISOString();

const layer = (participants: string[], over: Partial<Layer> = {}): Layer => ({
  id: 'primary',
  name: 'Primary',
  rotation: {
    shiftLength: { unit: 'weeks', count: 1 },
    handoffTime: '09:00',
    startDate: '2026-03-02',
    timeZone: 'Europe/Berlin',
  },
  participants,
  restrictions: [],
  ...over,
});

describe('preview of an edit', () => {
  const from = at('2026-03-02T08:00:00Z'); // Monday 2 March 09:00 Berlin
  const to = at('2026-03-30T07:00:00Z'); // four weekly shifts; the fourth is 167 h (DST)

  it('shows who gains and loses hours, and the DST change inside the range', () => {
    const before: ScheduleSpec = { layers: [layer(['ana', 'ben'])], overrides: [] };
    const after: ScheduleSpec = { layers: [layer(['ana', 'ben', 'cem'])], overrides: [] };
    const p = previewScheduleChange(before, after, from, to, ['Europe/Berlin']);
    // Before: ana, ben, ana, ben (the 4th week is 1 h short: 29 March). After: ana, ben, cem, ana.
    expect(p.hoursByUser).toEqual([
      { userId: 'cem', beforeHours: 0, afterHours: 168, deltaHours: 168 },
      { userId: 'ben', beforeHours: 335, afterHours: 168, deltaHours: -167 },
      { userId: 'ana', beforeHours: 336, afterHours: 335, deltaHours: -1 },
    ]);
    expect(p.gapsAdded).toEqual([]);
    expect(p.gapsRemoved).toEqual([]);
    expect(p.dstTransitions).toEqual([
      {
        at: at('2026-03-29T01:00:00Z'),
        timeZone: 'Europe/Berlin',
        offsetBefore: '+01:00',
        offsetAfter: '+02:00',
      },
    ]);
  });

  it('shows the gaps a restriction opens and the ones an override closes', () => {
    const before: ScheduleSpec = { layers: [layer(['ana'])], overrides: [] };
    const after: ScheduleSpec = {
      layers: [layer(['ana'], { restrictions: [{ days: ['sat', 'sun'], from: '10:00', to: '18:00' }] })],
      overrides: [],
    };
    const week = epochMs(from + 7 * DAY);
    const p = previewScheduleChange(before, after, from, week, ['Europe/Berlin']);
    expect(p.gapsAdded.map((g) => [iso(g.start), iso(g.end)])).toEqual([
      ['2026-03-02T08:00:00.000Z', '2026-03-07T09:00:00.000Z'],
      ['2026-03-07T17:00:00.000Z', '2026-03-08T09:00:00.000Z'],
      ['2026-03-08T17:00:00.000Z', '2026-03-09T08:00:00.000Z'],
    ]);
    expect(p.hoursByUser).toEqual([{ userId: 'ana', beforeHours: 168, afterHours: 16, deltaHours: -152 }]);

    const covered: ScheduleSpec = {
      ...after,
      overrides: [
        {
          id: 'ovr_1',
          userId: 'ben',
          replacesUserId: null,
          start: at('2026-03-07T17:00:00Z'),
          end: at('2026-03-08T09:00:00Z'),
        },
      ],
    };
    const q = previewScheduleChange(after, covered, from, week, ['Europe/Berlin']);
    expect(q.gapsRemoved.map((g) => [iso(g.start), iso(g.end)])).toEqual([
      ['2026-03-07T17:00:00.000Z', '2026-03-08T09:00:00.000Z'],
    ]);
    expect(q.gapsAdded).toEqual([]);
  });
});

describe('DST transitions', () => {
  it('lists each zone’s offset changes, including Lord Howe’s half hour, and none for Jakarta', () => {
    const transitions = dstTransitions(
      ['Australia/Lord_Howe', 'America/New_York', 'Asia/Jakarta', 'Europe/Berlin', 'Europe/Berlin'],
      at('2026-01-01T00:00:00Z'),
      at('2027-01-01T00:00:00Z'),
    );
    expect(transitions.map((t) => `${iso(t.at)} ${t.timeZone} ${t.offsetBefore} → ${t.offsetAfter}`)).toEqual(
      [
        '2026-03-08T07:00:00.000Z America/New_York -05:00 → -04:00',
        '2026-03-29T01:00:00.000Z Europe/Berlin +01:00 → +02:00',
        '2026-04-04T15:00:00.000Z Australia/Lord_Howe +11:00 → +10:30',
        '2026-10-03T15:30:00.000Z Australia/Lord_Howe +10:30 → +11:00',
        '2026-10-25T01:00:00.000Z Europe/Berlin +02:00 → +01:00',
        '2026-11-01T06:00:00.000Z America/New_York -04:00 → -05:00',
      ],
    );
  });
});
