// Test-only builders shared by the pipeline's unit tests (plain arrays in, plain results out).
import { epochMs, MINUTE } from '../../../platform/clock.ts';
import type { Outgoing, StageInput } from '../pipeline-types.ts';
import { DEFAULT_THROTTLE_LIMITS } from '../throttle-limits.ts';

export const T0 = epochMs(Date.parse('2025-03-01T12:00:00Z'));

/** A triggered page for incident `inc1`, step 0 round 0, to `cm:sms1`, created at T0 - 1 min. */
export function outgoing(over: Partial<Outgoing> & { id: string }): Outgoing {
  return {
    kind: 'page',
    event: 'triggered',
    incidentId: 'inc1',
    incidentStatus: 'triggered',
    serviceId: 'svc1',
    userId: 'usr1',
    destination: 'cm:sms1',
    channelKind: 'sms',
    step: 0,
    round: 0,
    createdAt: epochMs(T0 - MINUTE),
    attempts: 0,
    ...over,
  };
}

export function stageInput(over: Partial<StageInput> = {}): StageInput {
  return {
    now: T0,
    mutedServiceIds: new Set(),
    expiredDestinations: new Set(),
    recentSends: new Map(),
    recentKeys: new Map(),
    limits: DEFAULT_THROTTLE_LIMITS,
    ...over,
  };
}

export const ids = (xs: readonly { id: string }[]): string[] => xs.map((x) => x.id);
