import { sql } from 'kysely';
import { defineMigration } from '../migration.ts';

/**
 * The job indexes that only queued (or finished) jobs need now hold only those. A job's life is an insert, a claim
 * and a completion; with full indexes each of the three moved it within `jobs_due_idx` and `jobs_next_due_idx`
 * (both lead with `state`) and the completion added it to `jobs_finished_idx`: every move a dirty page to write at
 * commit. Partial indexes drop those writes (measured on node:sqlite, one commit per step: 90 → 64 µs per job).
 * The queries that use them name the state as a literal, which both databases need to match a partial index.
 */
export const m0008 = defineMigration({
  id: '0008-jobs-partial-indexes',
  async up(db) {
    for (const name of ['jobs_due_idx', 'jobs_next_due_idx', 'jobs_finished_idx'])
      await db.schema.dropIndex(name).execute();
    await db.schema
      .createIndex('jobs_due_idx')
      .on('jobs')
      .columns(['priority', 'run_at'])
      .where(sql.ref('state'), '=', 'queued')
      .execute();
    await db.schema
      .createIndex('jobs_next_due_idx')
      .on('jobs')
      .column('run_at')
      .where(sql.ref('state'), '=', 'queued')
      .execute();
    await db.schema
      .createIndex('jobs_finished_idx')
      .on('jobs')
      .column('finished_at')
      .where(sql.ref('finished_at'), 'is not', null)
      .execute();
  },
});
