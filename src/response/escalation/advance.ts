import type { PolicySnapshot } from '../policies/model.ts';

export interface Position {
  /** 0-based step index. */
  readonly index: number;
  /** 0-based round: 0 is the first pass, `repeat` the last. */
  readonly round: number;
}

/** The step after `current` (index -1 = not started), or 'exhausted' when the last round's last step has run. */
export function nextPosition(policy: PolicySnapshot, current: Position): Position | 'exhausted' {
  if (policy.steps.length === 0) return 'exhausted';
  const index = current.index + 1;
  if (index < policy.steps.length) return { index, round: current.round };
  if (current.round + 1 > policy.repeat) return 'exhausted';
  return { index: 0, round: current.round + 1 };
}

/** Round-robin: the one person of `people` whose turn it is, and the cursor for next time. */
export function takeTurn<T>(people: readonly T[], cursor: number): { chosen: T[]; cursor: number } {
  if (people.length === 0) return { chosen: [], cursor };
  const at = ((cursor % people.length) + people.length) % people.length;
  return { chosen: [people[at]!], cursor: at + 1 };
}
