import { describe, expect, it } from 'vitest';
import { MINUTE, epochMs, type EpochMs } from '../../../platform/clock.ts';
import type { Outgoing } from '../pipeline-types.ts';
import { T0, ids, outgoing, stageInput } from './outgoing-fixture.ts';
import { throttleStage } from './throttle.ts';

/** n triggered pages to one SMS number, oldest first (sms default: 5 per 5 min). */
const pages = (n: number, over: Partial<Outgoing> = {}): Outgoing[] =>
  Array.from({ length: n }, (_, i) =>
    outgoing({
      id: `d${String(i).padStart(3, '0')}`,
      incidentId: `inc${i}`,
      createdAt: epochMs(T0 - 60_000 + i),
      ...over,
    }),
  );
const sentAgo = (...minutes: number[]): EpochMs[] => minutes.map((m) => epochMs(T0 - m * MINUTE));
const recent = (destination: string, times: EpochMs[]) =>
  stageInput({ recentSends: new Map([[destination, times]]) });

describe('throttleStage', () => {
  it('sends everything that fits in the allowance', () => {
    const r = throttleStage(pages(5), stageInput());
    expect(ids(r.keep)).toEqual(ids(pages(5)));
    expect(r.settle).toEqual([]);
    expect(r.bundles).toEqual([]);
  });

  it('sends the earliest on their own and the rest as one summary in the last slot', () => {
    const batch = pages(8);
    const r = throttleStage(batch, recent('cm:sms1', sentAgo(1, 2)));
    // 5 - 2 sent = 3 slots: two single pages and one bundle of the other six.
    expect(ids(r.keep)).toEqual(['d000', 'd001']);
    expect(r.bundles).toEqual([
      {
        destination: 'cm:sms1',
        channelKind: 'sms',
        userId: 'usr1',
        memberIds: ['d002', 'd003', 'd004', 'd005', 'd006', 'd007'],
      },
    ]);
    expect(r.settle).toHaveLength(6);
    expect(r.settle[0]).toEqual({ id: 'd002', status: 'bundled', reason: 'bundled with 5 others' });
    expect(r.defer).toEqual([]);
  });

  it('bundles everything when one slot is left', () => {
    const r = throttleStage(pages(3), recent('cm:sms1', sentAgo(1, 2, 3, 4)));
    expect(r.keep).toEqual([]);
    expect(r.bundles.map((b) => b.memberIds)).toEqual([['d000', 'd001', 'd002']]);
    expect(r.settle.map((s) => s.reason)).toEqual(Array(3).fill('bundled with 2 others'));
  });

  it('sends a single delivery in the last slot as itself, not as a bundle of one', () => {
    const r = throttleStage(pages(1), recent('cm:sms1', sentAgo(1, 2, 3, 4)));
    expect(ids(r.keep)).toEqual(['d000']);
    expect(r.bundles).toEqual([]);
  });

  it('with no slot left, waits until the oldest send in the window leaves it', () => {
    const r = throttleStage(pages(3), recent('cm:sms1', sentAgo(0.5, 4, 1, 2, 3)));
    expect(r.keep).toEqual([]);
    expect(r.settle).toEqual([]);
    const until = epochMs(T0 - 4 * MINUTE + 5 * MINUTE);
    expect(r.defer).toEqual([
      { id: 'd000', until },
      { id: 'd001', until },
      { id: 'd002', until },
    ]);
  });

  it('with more sends in the window than the limit, waits until enough of them have left', () => {
    // 7 sends against a limit of 5: the third-oldest (3 min ago) must leave before a slot frees.
    const r = throttleStage(pages(1), recent('cm:sms1', sentAgo(4.5, 4, 3, 2, 1, 0.5, 0.1)));
    expect(r.defer).toEqual([{ id: 'd000', until: epochMs(T0 - 3 * MINUTE + 5 * MINUTE) }]);
  });

  it('counts only sends inside the sliding window (one exactly a window ago has left it)', () => {
    const r = throttleStage(pages(5), recent('cm:sms1', sentAgo(5, 6, 10, 60)));
    expect(r.keep).toHaveLength(5);
    expect(r.bundles).toEqual([]);
  });

  it('always sends verification codes and tests, without spending the allowance on them', () => {
    const batch = [
      outgoing({
        id: 'v1',
        kind: 'verification',
        event: 'notice',
        incidentId: null,
        createdAt: epochMs(T0 - 99_000),
      }),
      outgoing({
        id: 't1',
        kind: 'test',
        event: 'notice',
        incidentId: null,
        createdAt: epochMs(T0 - 98_000),
      }),
      ...pages(2),
    ];
    const full = throttleStage(batch, recent('cm:sms1', sentAgo(1, 2, 3, 4, 5 - 0.1)));
    expect(ids(full.keep)).toEqual(['v1', 't1']);
    expect(ids(full.defer)).toEqual(['d000', 'd001']);

    const twoLeft = throttleStage(batch, recent('cm:sms1', sentAgo(1, 2, 3)));
    expect(ids(twoLeft.keep)).toEqual(['v1', 't1', 'd000', 'd001']);
  });

  it('limits each destination on its own, by its channel kind', () => {
    const batch = [
      ...pages(4, { destination: 'cm:voice1', channelKind: 'voice' }).map((o) => ({ ...o, id: `v-${o.id}` })),
      ...pages(4, { destination: 'ch:slack1', channelKind: 'slack', userId: null }).map((o) => ({
        ...o,
        id: `s-${o.id}`,
      })),
    ];
    const r = throttleStage(batch, stageInput());
    // voice 3 per 15 min: two calls and one summary call; slack 20 per minute: all four.
    expect(ids(r.keep)).toEqual(['v-d000', 'v-d001', 's-d000', 's-d001', 's-d002', 's-d003']);
    expect(r.bundles).toEqual([
      { destination: 'cm:voice1', channelKind: 'voice', userId: 'usr1', memberIds: ['v-d002', 'v-d003'] },
    ]);
  });

  it('sends a retried summary as it is or makes it wait, never bundling it again', () => {
    const retry = outgoing({
      id: 'b1',
      kind: 'bundle',
      event: 'notice',
      incidentId: null,
      createdAt: epochMs(T0 - 120_000),
    });
    const oneLeft = throttleStage([retry, ...pages(3)], recent('cm:sms1', sentAgo(1, 2, 3, 4)));
    expect(ids(oneLeft.keep)).toEqual(['b1']);
    // The summary took the last slot now, so the pages wait for the oldest send to leave the window.
    expect(oneLeft.defer).toEqual(
      ['d000', 'd001', 'd002'].map((id) => ({ id, until: epochMs(T0 - 4 * MINUTE + 5 * MINUTE) })),
    );

    const none = throttleStage([retry], recent('cm:sms1', sentAgo(1, 2, 3, 4, 4.5)));
    expect(none.defer).toEqual([{ id: 'b1', until: epochMs(T0 - 4.5 * MINUTE + 5 * MINUTE) }]);
    expect(none.bundles).toEqual([]);
  });

  it('leaves the user off a summary that mixes people (a shared channel)', () => {
    const batch = pages(3, { destination: 'ch:slack1', channelKind: 'slack' }).map((o, i) => ({
      ...o,
      userId: `usr${i}`,
    }));
    const r = throttleStage(batch, recent('ch:slack1', Array(19).fill(epochMs(T0 - 1000))));
    expect(r.bundles).toEqual([
      {
        destination: 'ch:slack1',
        channelKind: 'slack',
        userId: null,
        memberIds: ['d000', 'd001', 'd002'],
      },
    ]);
  });

  it('never holds back webhooks: a machine receiver wants every event as it happens', () => {
    const batch = pages(1000, { destination: 'ch:hook', channelKind: 'webhook' });
    const r = throttleStage(batch, recent('ch:hook', Array(5000).fill(epochMs(T0 - 1000))));
    expect(r.keep).toHaveLength(1000);
    expect([r.settle, r.defer, r.bundles]).toEqual([[], [], []]);
  });
});
