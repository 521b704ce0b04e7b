import { sql } from 'kysely';
import { defineMigration } from '../migration.ts';

/** The tables ingest reads as configuration: any change to them bumps one counter. */
const CONFIG_TABLES = ['services', 'routes', 'silences', 'maintenance_windows', 'inhibition_rules'];

export const ALERTING_CONFIG_COUNTER = 'alerting.config';

/**
 * A version number for the alerting configuration, kept by the database itself: ingest reads one row per
 * transaction and reloads silences, windows, rules and services only when it changed — on every node, and no
 * code path that writes those tables can forget to say so.
 */
export const m0005 = defineMigration({
  id: '0005-alerting-config-version',
  async up(db, m) {
    await db.insertInto('counters').values({ name: ALERTING_CONFIG_COUNTER, value: 0 }).execute();
    if (m.dialect === 'postgres') {
      await sql`create function siaga_bump_alerting_config() returns trigger language plpgsql as $$
        begin update counters set value = value + 1 where name = 'alerting.config'; return null; end $$`.execute(
        db,
      );
      for (const table of CONFIG_TABLES)
        await sql`create trigger ${sql.ref(`${table}_config_version`)} after insert or update or delete on ${sql.table(table)}
          for each statement execute function siaga_bump_alerting_config()`.execute(db);
    } else {
      for (const table of CONFIG_TABLES)
        for (const op of ['insert', 'update', 'delete'])
          await sql`create trigger ${sql.ref(`${table}_config_version_${op}`)} after ${sql.raw(op)} on ${sql.table(table)}
            begin update counters set value = value + 1 where name = 'alerting.config'; end`.execute(db);
    }
  },
});
