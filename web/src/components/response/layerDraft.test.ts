import { describe, expect, it } from 'vitest';
import { describeDays, describeRestriction } from './layerDraft.ts';

describe('describeDays', () => {
  it('shows three or more days in a row as a range, in week order', () => {
    expect(describeDays(['fri', 'mon', 'tue', 'wed', 'thu'])).toBe('Mon–Fri');
    expect(describeDays(['sat', 'sun'])).toBe('Sat, Sun');
    expect(describeDays(['mon', 'wed', 'thu', 'fri'])).toBe('Mon, Wed–Fri');
  });

  it('says every day for none or all seven', () => {
    expect(describeDays([])).toBe('Every day');
    expect(describeDays(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).toBe('Every day');
  });
});

describe('describeRestriction', () => {
  it('names the days and the window on the wall clock', () => {
    expect(
      describeRestriction({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }),
    ).toBe('Mon–Fri 09:00–17:00');
    expect(describeRestriction({ from: '22:00', to: '06:00' })).toBe('Every day 22:00–06:00');
  });
});
