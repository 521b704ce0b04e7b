import { describe, expect, it } from 'vitest';
import { isAppError } from '../../platform/errors.ts';
import { MAX_STEPS, MAX_TARGETS_PER_STEP } from './model.ts';
import { checkRepeat, checkSteps, type PolicyStepInput } from './policy-checks.ts';

/** Pointers of the validation error `fn` throws (every problem at once), or [] when it passes. */
function pointers(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (isAppError(e) && e.code === 'validation') return (e.errors ?? []).map((x) => x.pointer);
    throw e;
  }
  return [];
}

const user = (id: string) => ({ type: 'user' as const, id });

describe('policy step checks', () => {
  it('keeps the steps as given, round-robin off unless asked, extra fields dropped', () => {
    const input = [
      { escalateAfterMinutes: 5, targets: [user('usr_a'), { type: 'schedule' as const, id: 'sch_b', x: 1 }] },
      { escalateAfterMinutes: 1440, targets: [{ type: 'channel' as const, id: 'chn_c' }], roundRobin: true },
    ];
    expect(checkSteps(input)).toEqual([
      {
        escalateAfterMinutes: 5,
        targets: [user('usr_a'), { type: 'schedule', id: 'sch_b' }],
        roundRobin: false,
      },
      { escalateAfterMinutes: 1440, targets: [{ type: 'channel', id: 'chn_c' }], roundRobin: true },
    ]);
  });

  it('names every problem by its place: counts, minutes, target kinds and duplicates', () => {
    expect(pointers(() => checkSteps([]))).toEqual(['/steps']);
    const many = Array.from({ length: MAX_STEPS + 1 }, () => ({
      escalateAfterMinutes: 1,
      targets: [user('u')],
    }));
    expect(pointers(() => checkSteps(many))).toEqual(['/steps']);
    const crowded = Array.from({ length: MAX_TARGETS_PER_STEP + 1 }, (_, i) => user(`usr_${i}`));
    const steps: PolicyStepInput[] = [
      { escalateAfterMinutes: 0, targets: [user('usr_a')] },
      { escalateAfterMinutes: 1.5, targets: [] },
      { escalateAfterMinutes: 1441, targets: crowded },
      { escalateAfterMinutes: 5, targets: [user('usr_a'), user('usr_b'), user('usr_a')] },
      { escalateAfterMinutes: 5, targets: [{ type: 'group', id: 'x' } as never, user('')] },
    ];
    expect(pointers(() => checkSteps(steps))).toEqual([
      '/steps/0/escalateAfterMinutes',
      '/steps/1/escalateAfterMinutes',
      '/steps/1/targets',
      '/steps/2/escalateAfterMinutes',
      '/steps/2/targets',
      '/steps/3/targets/2',
      '/steps/4/targets/0',
      '/steps/4/targets/1',
    ]);
    // The same id as two different kinds of target is no duplicate.
    expect(
      pointers(() =>
        checkSteps([{ escalateAfterMinutes: 5, targets: [user('x_1'), { type: 'team', id: 'x_1' }] }]),
      ),
    ).toEqual([]);
  });

  it('repeats a policy 0 to 9 more times', () => {
    expect(checkRepeat(0)).toBe(0);
    expect(checkRepeat(9)).toBe(9);
    for (const bad of [-1, 10, 1.5]) expect(pointers(() => checkRepeat(bad))).toEqual(['/repeat']);
  });
});
