import { performance } from 'node:perf_hooks';
import {
  compactHeap,
  DEFAULT_IDLE_COMPACTION,
  eventLoopBusyFraction,
  IdleCompactor,
  type Compaction,
  type IdleCompactionOptions,
} from '../platform/heap-compaction.ts';

/**
 * The server's idle compaction loop (the decision and why are in platform/heap-compaction.ts): samples every
 * `intervalMs`; the timer does not keep the process alive.
 */
export function startIdleCompaction(
  onCompaction: (c: Compaction & { ms: number }) => void,
  intervalMs = 500,
  options: IdleCompactionOptions = DEFAULT_IDLE_COMPACTION,
): { stop(): void } {
  const compactor = new IdleCompactor(
    {
      busyFraction: eventLoopBusyFraction(),
      residentBytes: () => process.memoryUsage.rss(),
      compact: compactHeap,
    },
    options,
  );
  const timer = setInterval(() => {
    const started = performance.now();
    const done = compactor.tick();
    if (done) onCompaction({ ...done, ms: performance.now() - started });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
