import { describe, expect, it } from 'vitest';
import { epochMs } from '../../../platform/clock.ts';
import { orderStage } from './order.ts';
import { T0, ids, outgoing, stageInput } from './outgoing-fixture.ts';

describe('orderStage', () => {
  it('puts triggered before acknowledged before resolved, by creation time', () => {
    const batch = [
      outgoing({ id: 'res', kind: 'status', event: 'resolved', createdAt: epochMs(T0 - 1000) }),
      outgoing({ id: 'trig', createdAt: epochMs(T0 - 3000) }),
      outgoing({ id: 'ack', kind: 'status', event: 'acknowledged', createdAt: epochMs(T0 - 2000) }),
    ];
    expect(ids(orderStage(batch, stageInput()).keep)).toEqual(['trig', 'ack', 'res']);
  });

  it('orders events written in the same millisecond by their rank, then by id', () => {
    const batch = [
      outgoing({ id: 'n1', kind: 'handoff', event: 'notice', incidentId: null }),
      outgoing({ id: 'r1', kind: 'status', event: 'resolved' }),
      outgoing({ id: 'a1', kind: 'status', event: 'acknowledged' }),
      outgoing({ id: 't2' }),
      outgoing({ id: 't1' }),
    ];
    const r = orderStage(batch, stageInput());
    expect(ids(r.keep)).toEqual(['t1', 't2', 'a1', 'r1', 'n1']);
    expect(r.settle).toEqual([]);
    expect(r.defer).toEqual([]);
  });
});
