import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MINUTE, epochMs } from '../../platform/clock.ts';
import { CHANNEL_KINDS, DELIVERY_EVENTS, DELIVERY_KINDS } from '../../storage/migrations/0006-response.ts';
import type { ChannelKind } from '../../storage/schema.ts';
import { runPipeline, STAGES } from './pipeline.ts';
import type { Outgoing, StageInput, StageResult, ThrottleLimit } from './pipeline-types.ts';
import { T0, ids, outgoing, stageInput } from './stages/outgoing-fixture.ts';
import { DEFAULT_THROTTLE_LIMITS, recentWindowMs } from './throttle-limits.ts';

/** Every input id lands in exactly one of keep / settle / defer; bundle members are exactly the `bundled` ones. */
function expectNothingLost(batch: readonly Outgoing[], r: StageResult): void {
  const out = [...ids(r.keep), ...ids(r.settle), ...ids(r.defer)];
  expect(out.toSorted()).toEqual(ids(batch).toSorted());
  const members = r.bundles.flatMap((b) => b.memberIds).toSorted();
  expect(members).toEqual(ids(r.settle.filter((s) => s.status === 'bundled')).toSorted());
}

describe('runPipeline', () => {
  it('turns 1,000 pages to one phone into 4 texts and one summary, losing none (R-NOT-8)', () => {
    const batch = Array.from({ length: 1000 }, (_, i) =>
      outgoing({
        id: `d${String(i).padStart(4, '0')}`,
        incidentId: `inc${i}`,
        createdAt: epochMs(T0 - MINUTE + i),
      }),
    );
    const r = runPipeline(batch, stageInput());
    expect(ids(r.keep)).toEqual(['d0000', 'd0001', 'd0002', 'd0003']);
    expect(r.bundles).toHaveLength(1);
    expect(r.bundles[0]?.memberIds).toHaveLength(996);
    expect(r.settle.every((s) => s.status === 'bundled' && s.reason === 'bundled with 995 others')).toBe(
      true,
    );
    expect(r.defer).toEqual([]);
    expectNothingLost(batch, r);
  });

  it('drops stale, muted and duplicate deliveries before they spend the allowance', () => {
    const batch = [
      outgoing({ id: 'stale', incidentId: 'inc-acked', incidentStatus: 'acknowledged' }),
      outgoing({ id: 'muted', incidentId: 'inc-maint', serviceId: 'svc-maint' }),
      outgoing({ id: 'dup-b', incidentId: 'inc-a' }),
      outgoing({ id: 'dup-a', incidentId: 'inc-a' }),
      ...['inc-b', 'inc-c', 'inc-d', 'inc-e'].map((inc) => outgoing({ id: `p-${inc}`, incidentId: inc })),
    ];
    const r = runPipeline(batch, stageInput({ mutedServiceIds: new Set(['svc-maint']) }));
    // Five real pages fit the SMS allowance exactly: nothing is bundled.
    expect(ids(r.keep)).toEqual(['dup-a', 'p-inc-b', 'p-inc-c', 'p-inc-d', 'p-inc-e']);
    expect(r.settle).toEqual([
      { id: 'stale', status: 'suppressed', reason: 'incident acknowledged' },
      { id: 'muted', status: 'suppressed', reason: 'maintenance window' },
      { id: 'dup-b', status: 'suppressed', reason: 'duplicate of dup-a' },
    ]);
    expect(r.bundles).toEqual([]);
  });

  it('sends triggered, acknowledged and resolved for an incident in that order (R-NOT-6)', () => {
    const batch = [
      outgoing({
        id: 'res',
        kind: 'status',
        event: 'resolved',
        incidentStatus: 'resolved',
        createdAt: epochMs(T0 - 1),
      }),
      outgoing({
        id: 'ack',
        kind: 'status',
        event: 'acknowledged',
        incidentStatus: 'resolved',
        createdAt: epochMs(T0 - 1),
      }),
      outgoing({ id: 'trig', kind: 'status', incidentStatus: 'resolved', createdAt: epochMs(T0 - 1) }),
    ];
    expect(ids(runPipeline(batch, stageInput()).keep)).toEqual(['trig', 'ack', 'res']);
  });

  it('stops once nothing is left to keep', () => {
    let calls = 0;
    const counting = STAGES.map((stage) => (b: readonly Outgoing[], i: StageInput) => {
      calls += 1;
      return stage(b, i);
    });
    const r = runPipeline([outgoing({ id: 'd1', incidentStatus: 'resolved' })], stageInput(), counting);
    expect(calls).toBe(1);
    expect(r.settle).toHaveLength(1);
    expect(runPipeline([], stageInput(), counting)).toEqual({ keep: [], settle: [], defer: [], bundles: [] });
    expect(calls).toBe(1);
  });

  it('never loses a delivery and never sends a destination more than its allowance', () => {
    const destinations = ['cm:a', 'cm:b', 'ch:c'] as const;
    const kindOf: Record<(typeof destinations)[number], ChannelKind> = {
      'cm:a': 'sms',
      'cm:b': 'voice',
      'ch:c': 'slack',
    };
    const limitArb = fc.record({
      count: fc.integer({ min: 0, max: 6 }),
      windowMs: fc.integer({ min: 1, max: 10 * MINUTE }),
    });
    const rowArb = fc.record({
      kind: fc.constantFrom(...DELIVERY_KINDS),
      event: fc.constantFrom(...DELIVERY_EVENTS),
      incidentId: fc.option(fc.constantFrom('i1', 'i2', 'i3'), { nil: null }),
      incidentStatus: fc.option(
        fc.constantFrom('triggered' as const, 'acknowledged' as const, 'resolved' as const),
        {
          nil: null,
        },
      ),
      serviceId: fc.option(fc.constantFrom('s1', 's2'), { nil: null }),
      userId: fc.option(fc.constantFrom('u1', 'u2'), { nil: null }),
      destination: fc.constantFrom(...destinations),
      step: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
      round: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }),
      age: fc.integer({ min: 0, max: 5000 }),
      attempts: fc.nat(3),
    });
    const arb = fc.record({
      rows: fc.array(rowArb, { maxLength: 40 }),
      limits: fc.record({ sms: limitArb, voice: limitArb, slack: limitArb }),
      sendsAgo: fc.record({
        'cm:a': fc.array(fc.integer({ min: 0, max: 12 * MINUTE }), { maxLength: 8 }),
        'cm:b': fc.array(fc.integer({ min: 0, max: 12 * MINUTE }), { maxLength: 8 }),
        'ch:c': fc.array(fc.integer({ min: 0, max: 12 * MINUTE }), { maxLength: 8 }),
      }),
      muted: fc.subarray(['s1', 's2']),
      expired: fc.subarray(['cm:a', 'cm:b']),
      sentKeys: fc.subarray(['i1|triggered|0|0', 'i2|acknowledged|null|null', 'i3|triggered|1|0']),
    });

    fc.assert(
      fc.property(arb, ({ rows, limits, sendsAgo, muted, expired, sentKeys }) => {
        const batch: Outgoing[] = rows.map((r, i) => ({
          ...r,
          id: `d${i}`,
          channelKind: kindOf[r.destination],
          createdAt: epochMs(T0 - r.age),
        }));
        const allLimits: Record<ChannelKind, ThrottleLimit> = { ...DEFAULT_THROTTLE_LIMITS, ...limits };
        const input = stageInput({
          limits: allLimits,
          mutedServiceIds: new Set(muted),
          expiredDestinations: new Set(expired),
          recentSends: new Map(destinations.map((d) => [d, sendsAgo[d].map((ago) => epochMs(T0 - ago))])),
          recentKeys: new Map([['cm:a', new Set(sentKeys)]]),
        });
        const r = runPipeline(batch, input);

        expectNothingLost(batch, r);
        for (const d of r.defer) expect(d.until).toBeGreaterThan(T0);
        for (const dest of destinations) {
          const limit = allLimits[kindOf[dest]];
          const used = sendsAgo[dest].filter((ago) => ago < limit.windowMs).length;
          const sends =
            r.keep.filter((o) => o.destination === dest && o.kind !== 'verification' && o.kind !== 'test')
              .length + r.bundles.filter((b) => b.destination === dest).length;
          expect(sends).toBeLessThanOrEqual(Math.max(0, limit.count - used));
        }
        for (const b of r.bundles) expect(b.memberIds.length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 500 },
    );
  });
});

describe('throttle limits', () => {
  it('loads recent sends as far back as the longest window (voice: 15 minutes)', () => {
    expect(recentWindowMs(DEFAULT_THROTTLE_LIMITS)).toBe(15 * MINUTE);
    expect(recentWindowMs({ ...DEFAULT_THROTTLE_LIMITS, webhook: { count: 1, windowMs: 60 * MINUTE } })).toBe(
      60 * MINUTE,
    );
    expect(Object.keys(DEFAULT_THROTTLE_LIMITS).toSorted()).toEqual([...CHANNEL_KINDS].toSorted());
  });
});
