import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../api/alerting.ts';
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

  it('says where escalation stands', () => {
    expect(
      escalationState([
        entry('escalation.started', '2026-01-01T00:00:00Z', { policy: 'Payments' }),
        entry('escalation.step_started', '2026-01-01T00:00:00Z', {
          step: 2,
          people: [{ id: 'u', name: 'Ana' }],
        }),
      ]),
    ).toEqual({ policy: 'Payments', status: 'Paging: step 2', color: 'orange' });
    const stopped = entry('escalation.stopped', '2026-01-01T00:05:00Z', { reason: 'incident acknowledged' });
    expect(escalationState([stopped])?.status).toBe('The incident was acknowledged');
    expect(escalationState([entry('incident.opened', '2026-01-01T00:00:00Z')])).toBeUndefined();
  });
});
