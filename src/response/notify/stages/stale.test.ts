import { describe, expect, it } from 'vitest';
import { ids, outgoing, stageInput } from './outgoing-fixture.ts';
import { staleStage } from './stale.ts';

describe('staleStage', () => {
  it('drops pages for incidents someone already acknowledged or resolved, and says why', () => {
    const batch = [
      outgoing({ id: 'd1', incidentStatus: 'triggered' }),
      outgoing({ id: 'd2', incidentStatus: 'acknowledged' }),
      outgoing({ id: 'd3', incidentStatus: 'resolved' }),
    ];
    const r = staleStage(batch, stageInput());
    expect(ids(r.keep)).toEqual(['d1']);
    expect(r.settle).toEqual([
      { id: 'd2', status: 'suppressed', reason: 'incident acknowledged' },
      { id: 'd3', status: 'suppressed', reason: 'incident resolved' },
    ]);
  });

  it('still sends status updates, tests, verification codes and hand-off notices', () => {
    const batch = [
      outgoing({ id: 's1', kind: 'status', event: 'acknowledged', incidentStatus: 'acknowledged' }),
      outgoing({ id: 's2', kind: 'status', event: 'resolved', incidentStatus: 'resolved' }),
      outgoing({ id: 't1', kind: 'test', event: 'notice', incidentId: null, incidentStatus: null }),
      outgoing({ id: 'v1', kind: 'verification', event: 'notice', incidentId: null, incidentStatus: null }),
      outgoing({ id: 'h1', kind: 'handoff', event: 'notice', incidentId: null, incidentStatus: null }),
    ];
    const r = staleStage(batch, stageInput());
    expect(ids(r.keep)).toEqual(['s1', 's2', 't1', 'v1', 'h1']);
    expect(r.settle).toEqual([]);
  });
});
