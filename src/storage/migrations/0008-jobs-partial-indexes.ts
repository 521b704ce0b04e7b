import { sql } from 'kysely';
import { defineMigration } from '../migration.ts';

/**
 * The job indexes that only queued (or finished) jobs need now hold only those. A job's life is an insert, a claim
 * and a completion; with full indexes each of the three moved it within `jobs_due_idx` and `jobs_next_due_idx`
 * (both lead with `state`) and the completion added it to `jobs_finished_idx`: every move a dirty page to write at
 * commit. Partial indexes drop those writes (measured on node:sqlite, one commit per step: 90 → 64 µs per job).
 * The queries that use them name the state as a literal, which both databases need to match a partial index.
 */
/** Each index: its columns, and the rows it holds. */
const PARTIAL_INDEXES = [
  { name: 'jobs_due_idx', columns: ['priority', 'run_at'], where: ['state', '=', 'queued'] },
  { name: 'jobs_next_due_idx', columns: ['run_at'], where: ['state', '=', 'queued'] },
  { name: 'jobs_finished_idx', columns: ['finished_at'], where: ['finished_at', 'is not', null] },
] as const;

export const m0008 = defineMigration({
  id: '0008-jobs-partial-indexes',
  async up(db) {
    for (const { name, columns, where } of PARTIAL_INDEXES) {
      const [column, op, value] = where;
      await db.schema.dropIndex(name).execute();
      await db.schema
        .createIndex(name)
        .on('jobs')
        .columns([...columns])
        .where(sql.ref(column), op, value)
        .execute();
    }
  },
});
