import { performance } from 'node:perf_hooks';
import {
  compactHeap,
  eventLoopBusyFraction,
  IdleCompactor,
  type Compaction,
} from '../platform/heap-compaction.ts';

/** The sampling window: an idle one is half a second without work. */
const SAMPLE_EVERY_MS = 500;

/**
 * The server's idle compaction loop (the decision and why are in platform/heap-compaction.ts); the timer does not
 * keep the process alive.
 */
export function startIdleCompaction(onCompaction: (c: Compaction & { ms: number }) => void): {
  stop(): void;
} {
  const compactor = new IdleCompactor({
    busyFraction: eventLoopBusyFraction(),
    residentBytes: () => process.memoryUsage.rss(),
    compact: compactHeap,
  });
  const timer = setInterval(() => {
    const started = performance.now();
    const done = compactor.tick();
    if (done) onCompaction({ ...done, ms: performance.now() - started });
  }, SAMPLE_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
