export { openStorage, StorageUnavailableError, type Storage } from './db.ts';
export {
  inTx,
  afterCommit,
  afterRollback,
  assertInTransaction,
  isRetryableTxError,
  isUniqueViolation,
  isStorageUnavailable,
  type Ctx,
  type Db,
  type Dialect,
  type LocalJobs,
  type JobReservation,
} from './ctx.ts';
export { groupCommit, type GroupCommitOptions } from './group-commit.ts';
export { migrateToLatest, migrationStatus, MigrationError, type MigrationReport } from './migrate.ts';
export { acquireProcessLock, AlreadyRunningError, type ProcessLock } from './process-lock.ts';
export type { Database, JobsTable, LeasesTable, JobState } from './schema.ts';
export { JOB_STATES } from './schema.ts';
export { queryTemplate, type QueryTarget, type QueryTemplate } from './templates.ts';
export { literal } from './literal.ts';
export { hitRateLimit, peekRateLimit, resetRateLimit, type RateDecision } from './rate-limits.ts';
