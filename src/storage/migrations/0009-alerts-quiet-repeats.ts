import { sql } from 'kysely';
import { defineMigration } from '../migration.ts';

/**
 * A repeat of an open alert (Prometheus re-sends every firing alert on every evaluation) now changes only
 * columns that no index holds, so it rewrites one table page and nothing else. Before, it moved the alert in three
 * indexes (last seen, end, payload expiry): three more random pages written to the WAL at every commit, about
 * 40 % of the statement's cost on node:sqlite.
 *
 * - The list's order by last occurrence is served by an index of resolved alerts only, whose `last_seen_at` no
 *   longer changes; the open ones are few enough to sort (src/alerting/alerts/query.ts).
 * - The sweep finds alerts past their end through `ends_check_at`, a lower bound of `ends_at` that the sweep
 *   itself moves forward (src/alerting/sweep.ts): an alert's index entry moves about once per resolve timeout,
 *   not at every repeat.
 * - The raw payload kept is the one that opened the alert, so repeats leave `raw_expires_at` alone.
 */
export const m0009 = defineMigration({
  id: '0009-alerts-quiet-repeats',
  async up(db, m) {
    await db.schema.dropIndex('alerts_status_idx').execute();
    await db.schema
      .createIndex('alerts_resolved_seen_idx')
      .on('alerts')
      .column('last_seen_at')
      .where(sql.ref('status'), '=', 'resolved')
      .execute();
    await db.schema.alterTable('alerts').addColumn('ends_check_at', m.t.epochMs).execute();
    await db
      .updateTable('alerts')
      .set({ ends_check_at: sql.ref('ends_at') })
      .where('status', '<>', 'resolved')
      .execute();
    await db.schema.dropIndex('alerts_ends_idx').execute();
    await db.schema
      .createIndex('alerts_ends_check_idx')
      .on('alerts')
      .column('ends_check_at')
      .where(sql.ref('status'), '<>', 'resolved')
      .execute();
  },
});
