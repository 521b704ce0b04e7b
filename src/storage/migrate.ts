import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration } from 'kysely/migration';
import type { Dialect } from './ctx.ts';
import { migrationCtx, type AppMigration } from './migration.ts';
import { MIGRATIONS } from './migrations/index.ts';

const MIGRATION_TABLE = 'siaga_migrations';
const MIGRATION_LOCK_TABLE = 'siaga_migrations_lock';

function migrator(db: Kysely<any>, dialect: Dialect, migrations: readonly AppMigration[]): Migrator {
  const m = migrationCtx(dialect);
  return new Migrator({
    db,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(
          migrations.map((mig): [string, Migration] => [mig.id, { up: (tx) => mig.up(tx, m) }]),
        ),
    },
    // The list order is the run order; ids sort the same way (code-point order, independent of the locale)
    // because they start with a sequence number.
    nameComparator: (a, b) => (a < b ? -1 : a > b ? 1 : 0),
  });
}

export interface MigrationReport {
  readonly applied: readonly string[];
  readonly pending: readonly string[];
  /** Applied in the database but unknown to this version: the database belongs to a newer Siaga. */
  readonly unknown: readonly string[];
}

export async function migrationStatus(
  db: Kysely<any>,
  dialect: Dialect,
  migrations: readonly AppMigration[] = MIGRATIONS,
): Promise<MigrationReport> {
  const known = new Set(migrations.map((m) => m.id));
  let appliedNames: string[] = [];
  if (await tableExists(db, dialect, MIGRATION_TABLE)) {
    const rows = await db.selectFrom(MIGRATION_TABLE).select('name').execute();
    appliedNames = rows.map((r: { name: string }) => r.name);
  }
  const applied = new Set(appliedNames);
  return {
    applied: migrations.filter((m) => applied.has(m.id)).map((m) => m.id),
    pending: migrations.filter((m) => !applied.has(m.id)).map((m) => m.id),
    unknown: appliedNames.filter((n) => !known.has(n)),
  };
}

/**
 * Asks the catalog about one table. Readiness probes call this every few seconds, so it must not read the whole
 * schema (Kysely's introspection lists every table and column).
 */
async function tableExists(db: Kysely<any>, dialect: Dialect, table: string): Promise<boolean> {
  const { rows } =
    dialect === 'postgres'
      ? await sql<{ found: boolean }>`select to_regclass(${table}) is not null as found`.execute(db)
      : await sql<{
          found: number;
        }>`select count(*) as found from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  return Boolean(rows[0]?.found);
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Applies every pending migration in one transaction (all or nothing), under Kysely's migration lock (an advisory
 * lock on PostgreSQL), so several nodes starting at once apply each migration exactly once.
 */
export async function migrateToLatest(
  db: Kysely<any>,
  dialect: Dialect,
  migrations: readonly AppMigration[] = MIGRATIONS,
): Promise<readonly string[]> {
  const before = await migrationStatus(db, dialect, migrations);
  if (before.unknown.length > 0) {
    throw new MigrationError(
      `the database was migrated by a newer Siaga (unknown migrations: ${before.unknown.join(', ')}); run that version or newer`,
    );
  }
  const { error, results } = await migrator(db, dialect, migrations).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(`migration ${failed} failed: ${(error as Error).message}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
