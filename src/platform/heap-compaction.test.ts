import { describe, expect, it } from 'vitest';
import { compactHeap, IdleCompactor, type IdleCompactionProbe } from './heap-compaction.ts';

const MiB = 1024 * 1024;

/** A probe whose load and memory the test sets; compacting drops resident memory to `afterCompaction`. */
function fakeProbe(state: { busy: number; resident: number; afterCompaction: number }) {
  const calls: number[] = [];
  const probe: IdleCompactionProbe = {
    busyFraction: () => state.busy,
    residentBytes: () => state.resident,
    compact: () => {
      calls.push(state.resident);
      state.resident = state.afterCompaction;
    },
  };
  return { probe, calls };
}

describe('idle heap compaction', () => {
  it('compacts in the first idle window after start, then only once memory has grown again', () => {
    const state = { busy: 0.01, resident: 120 * MiB, afterCompaction: 95 * MiB };
    const { probe, calls } = fakeProbe(state);
    const compactor = new IdleCompactor(probe, { idleBelow: 0.05, growthBytes: 16 * MiB });

    expect(compactor.tick()).toEqual({ residentBefore: 120 * MiB, residentAfter: 95 * MiB });
    expect(compactor.tick()).toBeUndefined(); // nothing grew

    state.resident = 110 * MiB; // grew 15 MiB: not enough
    expect(compactor.tick()).toBeUndefined();
    state.resident = 112 * MiB;
    state.afterCompaction = 97 * MiB;
    expect(compactor.tick()).toEqual({ residentBefore: 112 * MiB, residentAfter: 97 * MiB });
    expect(calls).toEqual([120 * MiB, 112 * MiB]);
  });

  it('never compacts while the event loop is busy, however much memory grew', () => {
    const state = { busy: 0.4, resident: 330 * MiB, afterCompaction: 150 * MiB };
    const { probe, calls } = fakeProbe(state);
    const compactor = new IdleCompactor(probe, { idleBelow: 0.05, growthBytes: 16 * MiB });
    for (let i = 0; i < 5; i++) expect(compactor.tick()).toBeUndefined();
    state.busy = 0.05; // at the threshold still counts as busy
    expect(compactor.tick()).toBeUndefined();
    state.busy = 0.049;
    expect(compactor.tick()).toEqual({ residentBefore: 330 * MiB, residentAfter: 150 * MiB });
    expect(calls).toHaveLength(1);
  });

  it('compacts at once when asked (start-up), busy or not, and still compacts in the first idle window', () => {
    const state = { busy: 0.9, resident: 118 * MiB, afterCompaction: 90 * MiB };
    const { probe, calls } = fakeProbe(state);
    const compactor = new IdleCompactor(probe, { idleBelow: 0.05, growthBytes: 16 * MiB });
    expect(compactor.compactNow()).toEqual({ residentBefore: 118 * MiB, residentAfter: 90 * MiB });
    expect(compactor.tick()).toBeUndefined(); // busy
    state.busy = 0.01;
    state.resident = 93 * MiB;
    state.afterCompaction = 88 * MiB;
    expect(compactor.tick()).toEqual({ residentBefore: 93 * MiB, residentAfter: 88 * MiB });
    expect(compactor.tick()).toBeUndefined(); // from here on, only after growth
    expect(calls).toEqual([118 * MiB, 93 * MiB]);
  });

  it('gives V8 heap pages back after a burst of garbage, without leaving a global gc behind', () => {
    let keep: { id: number; text: string }[] | undefined = [];
    for (let i = 0; i < 400_000; i++) keep.push({ id: i, text: `alert ${i}` });
    const grown = process.memoryUsage().heapTotal;
    keep = undefined;
    compactHeap();
    const after = process.memoryUsage().heapTotal;
    expect(keep).toBeUndefined();
    expect(grown - after).toBeGreaterThan(20 * MiB);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
