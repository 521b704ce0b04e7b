import { sql } from 'kysely';
import { createTable, defineMigration, oneOf } from '../migration.ts';

export const m0001 = defineMigration({
  id: '0001-jobs-and-leases',
  async up(db, m) {
    const { t } = m;
    await createTable(db, m, 'jobs')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('payload', t.json, (c) => c.notNull())
      .addColumn('state', t.text, (c) =>
        c.notNull().check(oneOf('state', ['queued', 'running', 'done', 'failed', 'cancelled'])),
      )
      .addColumn('priority', t.int, (c) => c.notNull())
      .addColumn('run_at', t.epochMs, (c) => c.notNull())
      .addColumn('attempts', t.int, (c) => c.notNull())
      .addColumn('max_attempts', t.int, (c) => c.notNull().check(sql`max_attempts >= 1`))
      .addColumn('lease_owner', t.text)
      .addColumn('lease_expires_at', t.epochMs)
      .addColumn('dedup_key', t.text)
      .addColumn('last_error', t.text)
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .addColumn('finished_at', t.epochMs)
      // A running job always has a lease; a finished one always has a finish time.
      .addCheckConstraint(
        'jobs_running_has_lease',
        sql`state <> 'running' or (lease_owner is not null and lease_expires_at is not null)`,
      )
      .addCheckConstraint(
        'jobs_finished_at',
        sql`(state in ('done', 'failed', 'cancelled')) = (finished_at is not null)`,
      )
      .execute();
    // Matches the claim: WHERE state = 'queued' AND run_at <= now ORDER BY priority, run_at.
    await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['state', 'priority', 'run_at']).execute();
    await db.schema
      .createIndex('jobs_lease_idx')
      .on('jobs')
      .column('lease_expires_at')
      .where(sql.ref('state'), '=', 'running')
      .execute();
    await db.schema
      .createIndex('jobs_dedup_key_uq')
      .on('jobs')
      .column('dedup_key')
      .unique()
      .where(sql.ref('finished_at'), 'is', null)
      .execute();
    await db.schema.createIndex('jobs_finished_idx').on('jobs').column('finished_at').execute();

    await createTable(db, m, 'leases')
      .addColumn('name', t.text, (c) => c.primaryKey())
      .addColumn('owner', t.text)
      .addColumn('expires_at', t.epochMs, (c) => c.notNull())
      .addColumn('acquired_at', t.epochMs)
      .execute();
  },
});
