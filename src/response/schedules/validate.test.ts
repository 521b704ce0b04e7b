import { describe, expect, it } from 'vitest';
import { checkLayers, checkTimeZone } from './validate.ts';

const layer = (over: Record<string, unknown> = {}) => ({
  name: 'Primary',
  rotation: {
    shiftLength: { unit: 'weeks', count: 1 },
    handoffTime: '09:00',
    startDate: '2026-03-02',
    timeZone: 'Europe/Berlin',
  },
  participants: ['usr_a', 'usr_b', 'usr_a'],
  ...over,
});

describe('checking layers', () => {
  it('accepts a valid layer, names it when unnamed, and canonicalises the zone', () => {
    const { value, errors } = checkLayers([
      layer({ name: undefined, rotation: { ...layer().rotation, timeZone: 'europe/berlin' } }),
    ]);
    expect(errors).toEqual([]);
    expect(value).toEqual([
      {
        name: 'Layer 1',
        rotation: {
          shiftLength: { unit: 'weeks', count: 1 },
          handoffTime: '09:00',
          startDate: '2026-03-02',
          timeZone: 'Europe/Berlin',
        },
        participants: ['usr_a', 'usr_b', 'usr_a'],
        restrictions: [],
      },
    ]);
  });

  it('points at every bad field', () => {
    const { value, errors } = checkLayers([
      layer({
        rotation: {
          shiftLength: { unit: 'days', count: 0 },
          handoffTime: '24:00',
          startDate: '2027-02-29',
          timeZone: 'Mars/Base',
        },
        participants: [],
        restrictions: [
          { days: ['mon', 'funday', 'mon'], from: '9:00', to: '17:00' },
          { days: [], from: '09:00', to: '10:00' },
        ],
      }),
      layer({ id: 'x' }),
      layer({ id: 'x', colour: 'red' }),
    ]);
    expect(value).toBeUndefined();
    expect(errors.map((e) => e.pointer)).toEqual([
      '/layers/0/rotation/shiftLength/count',
      '/layers/0/rotation/handoffTime',
      '/layers/0/rotation/startDate',
      '/layers/0/rotation/timeZone',
      '/layers/0/participants',
      '/layers/0/restrictions/0/days/1',
      '/layers/0/restrictions/0/days/2',
      '/layers/0/restrictions/0/from',
      '/layers/0/restrictions/1/days',
      '/layers/2/colour',
      '/layers/2/id',
    ]);
    expect(errors.find((e) => e.pointer.endsWith('/count'))?.detail).toBe(
      'must be a whole number from 1 to 366 (days)',
    );
    expect(errors.find((e) => e.pointer.endsWith('/startDate'))?.detail).toMatch(/calendar date/);
  });

  it('accepts 29 February in a leap year only', () => {
    expect(
      checkLayers([layer({ rotation: { ...layer().rotation, startDate: '2028-02-29' } })]).errors,
    ).toEqual([]);
    expect(
      checkLayers([layer({ rotation: { ...layer().rotation, startDate: '2026-02-29' } })]).errors,
    ).toHaveLength(1);
  });

  it('refuses fixed offsets and unknown zones, and accepts zones without DST', () => {
    expect(checkTimeZone('+02:00').problem).toMatch(/fixed offset/);
    expect(checkTimeZone('Not/AZone').problem).toMatch(/not a known time zone/);
    expect(checkTimeZone('Asia/Jakarta')).toEqual({ zone: 'Asia/Jakarta' });
    expect(checkTimeZone('Australia/Lord_Howe')).toEqual({ zone: 'Australia/Lord_Howe' });
  });
});
