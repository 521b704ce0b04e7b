/**
 * An escalation policy: ordered steps, each paging its targets and then waiting `escalateAfterMinutes` before the
 * next step; after the last step the whole policy runs again `repeat` more times, then escalation stops and says so.
 * An incident pages from a snapshot of the policy taken when it opened, so later edits never change paging in
 * flight.
 */
export type PolicyTarget =
  | { readonly type: 'user'; readonly id: string }
  /** Whoever is on call in that schedule at the moment the step runs. */
  | { readonly type: 'schedule'; readonly id: string }
  /** Whoever is on call in any schedule of that team at the moment the step runs. */
  | { readonly type: 'team'; readonly id: string }
  /** A shared destination (chat channel, webhook...). */
  | { readonly type: 'channel'; readonly id: string };

export interface PolicyStep {
  readonly escalateAfterMinutes: number;
  readonly targets: readonly PolicyTarget[];
  /** Page one of the step's people per round, in turn, instead of all of them. */
  readonly roundRobin: boolean;
}

export interface PolicySnapshot {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  readonly steps: readonly PolicyStep[];
  /** How many times the whole policy runs again after its last step (0 = once). */
  readonly repeat: number;
}

export const MAX_STEPS = 20;
export const MAX_TARGETS_PER_STEP = 20;
export const MAX_REPEAT = 9;
