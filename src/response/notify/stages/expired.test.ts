import { describe, expect, it } from 'vitest';
import { expiredStage } from './expired.ts';
import { ids, outgoing, stageInput } from './outgoing-fixture.ts';

describe('expiredStage', () => {
  const input = stageInput({ expiredDestinations: new Set(['cm:push-gone']) });

  it('drops pages, status updates and hand-off notices to an expired contact method', () => {
    const batch = [
      outgoing({ id: 'p1', destination: 'cm:push-gone', channelKind: 'push' }),
      outgoing({
        id: 's1',
        kind: 'status',
        event: 'resolved',
        destination: 'cm:push-gone',
        channelKind: 'push',
      }),
      outgoing({
        id: 'h1',
        kind: 'handoff',
        event: 'notice',
        destination: 'cm:push-gone',
        channelKind: 'push',
      }),
      outgoing({ id: 'p2', destination: 'cm:sms1' }),
    ];
    const r = expiredStage(batch, input);
    expect(ids(r.keep)).toEqual(['p2']);
    expect(r.settle).toEqual([
      { id: 'p1', status: 'suppressed', reason: 'push subscription expired' },
      { id: 's1', status: 'suppressed', reason: 'push subscription expired' },
      { id: 'h1', status: 'suppressed', reason: 'push subscription expired' },
    ]);
  });

  it('lets what a person asked for go out: a drill’s test message and a verification code', () => {
    const batch = [
      outgoing({ id: 't1', kind: 'test', event: 'notice', destination: 'cm:push-gone', channelKind: 'push' }),
      outgoing({
        id: 'v1',
        kind: 'verification',
        event: 'notice',
        destination: 'cm:push-gone',
        channelKind: 'push',
      }),
    ];
    expect(ids(expiredStage(batch, input).keep)).toEqual(['t1', 'v1']);
  });
});
