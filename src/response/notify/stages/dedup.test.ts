import { describe, expect, it } from 'vitest';
import { epochMs } from '../../../platform/clock.ts';
import { dedupKey, dedupStage } from './dedup.ts';
import { T0, ids, outgoing, stageInput } from './outgoing-fixture.ts';

// GoAlert's TestDedupAlerts style: plain rows in, which survive and why out.
describe('dedupStage', () => {
  it('sends one message when a person is reached twice in a step on the same contact method', () => {
    const batch = [
      outgoing({ id: 'd-schedule', createdAt: epochMs(T0 - 1000) }),
      outgoing({ id: 'd-user', createdAt: epochMs(T0 - 2000) }),
    ];
    const r = dedupStage(batch, stageInput());
    expect(ids(r.keep)).toEqual(['d-user']);
    expect(r.settle).toEqual([{ id: 'd-schedule', status: 'suppressed', reason: 'duplicate of d-user' }]);
  });

  it('breaks a tie in creation time by id, whatever order the rows were loaded in', () => {
    const a = outgoing({ id: 'd1' });
    const b = outgoing({ id: 'd2' });
    const c = outgoing({ id: 'd3' });
    for (const batch of [
      [a, b, c],
      [c, b, a],
      [b, c, a],
    ]) {
      const r = dedupStage(batch, stageInput());
      expect(ids(r.keep)).toEqual(['d1']);
      expect(r.settle.map((s) => s.reason)).toEqual(['duplicate of d1', 'duplicate of d1']);
    }
  });

  it('keeps messages that differ in destination, event, step, round or incident', () => {
    const batch = [
      outgoing({ id: 'd1' }),
      outgoing({ id: 'd2', destination: 'cm:email1', channelKind: 'email' }),
      outgoing({ id: 'd3', kind: 'status', event: 'acknowledged' }),
      outgoing({ id: 'd4', step: 1 }),
      outgoing({ id: 'd5', round: 1 }),
      outgoing({ id: 'd6', incidentId: 'inc2' }),
    ];
    const r = dedupStage(batch, stageInput());
    expect(ids(r.keep)).toEqual(['d1', 'd2', 'd3', 'd4', 'd5', 'd6']);
    expect(r.settle).toEqual([]);
  });

  it('never merges deliveries without an incident (two tests are two tests)', () => {
    const batch = [
      outgoing({ id: 't1', kind: 'test', event: 'notice', incidentId: null, step: null, round: null }),
      outgoing({ id: 't2', kind: 'test', event: 'notice', incidentId: null, step: null, round: null }),
    ];
    expect(ids(dedupStage(batch, stageInput()).keep)).toEqual(['t1', 't2']);
  });

  it('does not resend what the destination already received in an earlier batch', () => {
    const sent = outgoing({ id: 'earlier' });
    const key = dedupKey(sent);
    expect(key).toBe('inc1|triggered|0|0');
    const input = stageInput({ recentKeys: new Map([['cm:sms1', new Set([key ?? ''])]]) });
    const batch = [
      outgoing({ id: 'd1' }),
      outgoing({ id: 'd2' }),
      outgoing({ id: 'other-dest', destination: 'cm:sms2' }),
    ];
    const r = dedupStage(batch, input);
    expect(ids(r.keep)).toEqual(['other-dest']);
    expect(r.settle).toEqual([
      { id: 'd1', status: 'suppressed', reason: 'already sent' },
      { id: 'd2', status: 'suppressed', reason: 'already sent' },
    ]);
  });
});
