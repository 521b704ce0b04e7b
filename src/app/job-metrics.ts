import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { countUnfinishedJobs, type JobObserver } from '../jobs/index.ts';
import type { Storage } from '../storage/index.ts';

/** Job throughput and outcomes, plus the queue depth per state read from the database at scrape time. */
export function createJobMetrics(registry: Registry, storage: Storage): JobObserver {
  const finished = new Counter({
    name: 'siaga_jobs_finished_total',
    help: 'Job runs by kind and outcome (done, retry, failed).',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'siaga_job_duration_seconds',
    help: 'Time a job handler took.',
    labelNames: ['kind'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'siaga_jobs',
    help: 'Unfinished jobs in the database by state (queued, running).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const counts = await countUnfinishedJobs(storage.db).catch(() => ({ queued: 0, running: 0 }));
      this.reset();
      for (const state of ['queued', 'running'] as const) this.set({ state }, counts[state]);
    },
  });
  return {
    jobFinished(kind, outcome, seconds) {
      finished.inc({ kind, outcome });
      duration.observe({ kind }, seconds);
    },
  };
}
