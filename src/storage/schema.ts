import type { EpochMs } from '../platform/clock.ts';

/**
 * Row types exactly as stored, one interface per table; domain types and the mapping live in each module's
 * repository. Column rules (enforced by the migration helpers and test/e2e/schema-rules.db.test.ts):
 * ids are TEXT `<prefix>_<ULID>`; times are epoch milliseconds (`*_at`, BIGINT / INTEGER); JSON is TEXT parsed
 * at the repository boundary; booleans are BOOLEAN / INTEGER 0-1 read with `Boolean()`.
 */

export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobsTable {
  id: string;
  kind: string;
  /** JSON: ids and fencing tokens, never entity snapshots. */
  payload: string;
  state: JobState;
  /** Lower runs first. */
  priority: number;
  run_at: EpochMs;
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: EpochMs | null;
  dedup_key: string | null;
  last_error: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  finished_at: EpochMs | null;
}

export interface LeasesTable {
  name: string;
  owner: string | null;
  expires_at: EpochMs;
  acquired_at: EpochMs | null;
}

export interface Database {
  jobs: JobsTable;
  leases: LeasesTable;
}
