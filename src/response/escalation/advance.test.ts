import { describe, expect, it } from 'vitest';
import type { PolicySnapshot } from '../policies/model.ts';
import { nextPosition, takeTurn } from './advance.ts';

const policy = (steps: number, repeat: number): PolicySnapshot => ({
  id: 'pol_1',
  name: 'p',
  version: 1,
  repeat,
  steps: Array.from({ length: steps }, () => ({ escalateAfterMinutes: 5, targets: [], roundRobin: false })),
});

describe('nextPosition', () => {
  it('walks the steps, then repeats the policy `repeat` times, then is exhausted', () => {
    const p = policy(2, 1);
    const seen: string[] = [];
    let pos = { index: -1, round: 0 };
    for (;;) {
      const next = nextPosition(p, pos);
      if (next === 'exhausted') break;
      seen.push(`${next.round}:${next.index}`);
      pos = next;
    }
    expect(seen).toEqual(['0:0', '0:1', '1:0', '1:1']);
  });

  it('is exhausted at once for a policy without steps', () => {
    expect(nextPosition(policy(0, 3), { index: -1, round: 0 })).toBe('exhausted');
  });
});

describe('takeTurn', () => {
  it('pages one person per round, in turn, wrapping around', () => {
    const order: string[] = [];
    let cursor = 0;
    for (let i = 0; i < 5; i++) {
      const t = takeTurn(['ana', 'bo', 'cy'], cursor);
      order.push(...t.chosen);
      cursor = t.cursor;
    }
    expect(order).toEqual(['ana', 'bo', 'cy', 'ana', 'bo']);
  });

  it('chooses nobody from nobody', () => {
    expect(takeTurn([], 4)).toEqual({ chosen: [], cursor: 4 });
  });
});
