import { describe, expect, it } from 'vitest';
import { muteStage } from './mute.ts';
import { ids, outgoing, stageInput } from './outgoing-fixture.ts';

describe('muteStage', () => {
  const input = stageInput({ mutedServiceIds: new Set(['svc-maint']) });

  it('drops pages and status updates of a service under maintenance', () => {
    const batch = [
      outgoing({ id: 'p1', serviceId: 'svc-maint' }),
      outgoing({ id: 's1', kind: 'status', event: 'resolved', serviceId: 'svc-maint' }),
      outgoing({ id: 'p2', serviceId: 'svc-live' }),
    ];
    const r = muteStage(batch, input);
    expect(ids(r.keep)).toEqual(['p2']);
    expect(r.settle).toEqual([
      { id: 'p1', status: 'suppressed', reason: 'maintenance window' },
      { id: 's1', status: 'suppressed', reason: 'maintenance window' },
    ]);
  });

  it('never mutes what a person asked for or needs: tests, verification codes, hand-offs', () => {
    const batch = [
      outgoing({ id: 't1', kind: 'test', event: 'notice', serviceId: 'svc-maint' }),
      outgoing({ id: 'v1', kind: 'verification', event: 'notice', serviceId: 'svc-maint' }),
      outgoing({ id: 'h1', kind: 'handoff', event: 'notice', serviceId: 'svc-maint' }),
      outgoing({ id: 'p1', serviceId: null }),
    ];
    expect(ids(muteStage(batch, input).keep)).toEqual(['t1', 'v1', 'h1', 'p1']);
  });
});
