import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../api/alerting.ts';
import type { Escalation } from '../../api/response.ts';
import { describeResponseData, escalationState, escalationWarnings } from './responseTimeline.ts';

const entry = (type: string, at: string, data: Record<string, unknown> = {}): TimelineEntry => ({
  id: `${type}-${at}`,
  at,
  type,
  actor: { kind: 'system', reason: 'escalation' },
  data,
});

describe('escalation entries on an incident', () => {
  it('puts the warnings that mean nobody was reached first, once each', () => {
    const warnings = escalationWarnings([
      entry('escalation.started', '2026-01-01T00:00:00Z', { policy: 'Payments' }),
      entry('escalation.no_one_on_call', '2026-01-01T00:00:01Z', {
        step: 1,
        round: 1,
        warning: 'step 1 has nobody to page; escalating to the next step at once',
      }),
      entry('notification.failed', '2026-01-01T00:00:02Z', {
        channel: 'webhook',
        kind: 'page',
        event: 'triggered',
        to: 'Ana',
        reason: 'HTTP 500',
        final: false,
      }),
      entry('escalation.exhausted', '2026-01-01T00:30:00Z', { warning: 'paging has stopped' }),
      entry('escalation.no_one_on_call', '2026-01-01T00:45:00Z', {
        step: 1,
        round: 1,
        warning: 'step 1 has nobody to page; escalating to the next step at once',
      }),
    ]);
    expect(warnings.map((w) => [w.level, w.title, w.count])).toEqual([
      ['red', 'Escalation ran out', 1],
      ['yellow', 'Nobody to page at this step', 2],
    ]);
    expect(warnings[1]!.at).toBe('2026-01-01T00:45:00Z');
  });

  it('treats a failed notification as a warning only when no retry is left', () => {
    const failed = entry('notification.failed', '2026-01-01T00:00:02Z', {
      channel: 'webhook',
      kind: 'page',
      event: 'triggered',
      to: 'Ana',
      reason: 'HTTP 404',
      final: true,
    });
    expect(escalationWarnings([failed])).toMatchObject([{ level: 'red', title: 'Notification failed' }]);
    expect(describeResponseData(failed)).toBe('triggered page · Webhook to Ana · HTTP 404 · no more retries');
  });

  it('says when a failure expired the contact method, and whether the person is still paged elsewhere', () => {
    const failed = entry('notification.failed', '2026-01-01T00:00:02Z', {
      channel: 'push',
      kind: 'page',
      event: 'triggered',
      to: 'Ana',
      reason: 'push subscription expired or unsubscribed (HTTP 410)',
      final: true,
      contactMethod: { id: 'cm_1', name: 'Laptop', expired: true },
      warning:
        'Ana’s “Laptop” stopped accepting notifications; Ana has no other contact method that pages them',
    });
    expect(escalationWarnings([failed])).toMatchObject([{ level: 'red', title: 'Notification failed' }]);
    expect(describeResponseData(failed)).toBe(
      'triggered page · Web push to Ana · push subscription expired or unsubscribed (HTTP 410) · no more retries · ' +
        'Ana’s “Laptop” stopped accepting notifications; Ana has no other contact method that pages them',
    );
  });

  const view = (over: Partial<Escalation> = {}): Escalation => ({
    policyId: 'pol_1',
    policyName: 'Payments',
    policyVersion: 3,
    state: 'active',
    step: 2,
    steps: 3,
    round: 1,
    rounds: 1,
    nextStepAt: '2026-01-01T00:15:00Z',
    startedAt: '2026-01-01T00:00:00Z',
    ...over,
  });
  const at = (iso: string) => Date.parse(iso);

  it('says which step is paging and when the next one runs', () => {
    expect(escalationState(view(), [], at('2026-01-01T00:10:30Z'))).toEqual({
      policy: 'Payments',
      status: 'Paging: step 2 of 3',
      color: 'orange',
      next: { label: 'Next step at', at: '2026-01-01T00:15:00Z', in: 'in 5 min' },
    });
    // With repeats the round is named; the last step of the last round is when paging runs out.
    const last = escalationState(
      view({ step: 3, round: 2, rounds: 2, nextStepAt: '2026-01-01T02:00:00Z' }),
      [],
      at('2026-01-01T00:40:00Z'),
    );
    expect(last?.status).toBe('Paging: step 3 of 3, round 2 of 2');
    expect(last?.next).toMatchObject({ label: 'Paging runs out at', in: 'in 1 h 20 min' });
    // A step whose time has come is about to run (the job is due), not in the past.
    expect(escalationState(view(), [], at('2026-01-01T00:16:00Z'))?.next?.in).toBe('due now');
  });

  it('says why paging stopped, or that it ran out, from the escalation rather than the last entry', () => {
    const stopped = entry('escalation.stopped', '2026-01-01T00:05:00Z', { reason: 'incident acknowledged' });
    // A later step entry does not make a stopped escalation look active again.
    const later = entry('escalation.step_started', '2026-01-01T00:06:00Z', { step: 3 });
    expect(
      escalationState(
        view({ state: 'stopped', nextStepAt: null }),
        [stopped, later],
        at('2026-01-01T00:07:00Z'),
      ),
    ).toEqual({ policy: 'Payments', status: 'Stopped: the incident was acknowledged', color: 'gray' });
    expect(escalationState(view({ state: 'stopped', nextStepAt: null }), [], 0)?.status).toBe('Stopped');
    expect(escalationState(view({ state: 'exhausted', rounds: 3, nextStepAt: null }), [], 0)).toEqual({
      policy: 'Payments',
      status: 'Exhausted after 3 rounds: nobody acknowledged',
      color: 'red',
    });
    expect(escalationState(view({ state: 'exhausted', nextStepAt: null }), [], 0)?.status).toBe(
      'Exhausted after 1 round: nobody acknowledged',
    );
  });

  it('says nobody is paged when the service has no policy, and nothing while the state is loading', () => {
    const noPolicy = entry('escalation.no_policy', '2026-01-01T00:00:00Z', { warning: 'no policy' });
    expect(escalationState(null, [noPolicy], 0)).toMatchObject({
      status: 'Nobody is paged: the service has no escalation policy',
      color: 'red',
    });
    expect(escalationState(null, [], 0)).toBeUndefined();
    expect(escalationState(undefined, [noPolicy], 0)).toBeUndefined();
  });
});
