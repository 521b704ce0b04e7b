export {
  defineJobType,
  handleJob,
  handleJobsInBatches,
  PermanentJobError,
  type JobType,
  type JobHandler,
  type JobBatch,
  type HandlerOptions,
  type JobMeta,
} from './define.ts';
export { enqueue, type EnqueueOptions } from './enqueue.ts';
export {
  JobRunner,
  type JobRunnerOptions,
  type JobObserver,
  type JobOutcome,
  type RunnerLoop,
} from './runner.ts';
export { tryAcquireLease, releaseLease, releaseAllLeases, leaseHolder } from './leases.ts';
export { listenForWakeups, WAKE_CHANNEL, type WakeListener } from './wake.ts';
export { defaultBackoffMs } from './backoff.ts';
export { countUnfinishedJobs, type JobRow } from './store.ts';
