import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Dialect } from './ctx.ts';

/**
 * Migrations are written once for both dialects with these helpers. The only column types a migration may
 * use are the logical ones below, which is how the portable column rules hold on both databases.
 */
export interface ColumnTypes {
  /** `<prefix>_<ULID>` ids and references to them. */
  readonly id: 'text';
  readonly text: 'text';
  readonly int: 'integer';
  /** Instants as epoch milliseconds. */
  readonly epochMs: 'bigint' | 'integer';
  readonly bool: 'boolean' | 'integer';
  /** JSON documents, stored as text and parsed at the repository boundary. */
  readonly json: 'text';
}

export interface MigrationCtx {
  readonly dialect: Dialect;
  readonly t: ColumnTypes;
}

export interface AppMigration {
  /** `NNNN-short-name`; the order of the list in migrations/index.ts is the order they run in. */
  readonly id: string;
  up(db: Kysely<any>, m: MigrationCtx): Promise<void>;
}

export const defineMigration = (m: AppMigration): AppMigration => m;

export function migrationCtx(dialect: Dialect): MigrationCtx {
  return {
    dialect,
    t: {
      id: 'text',
      text: 'text',
      int: 'integer',
      epochMs: dialect === 'postgres' ? 'bigint' : 'integer',
      bool: dialect === 'postgres' ? 'boolean' : 'integer',
      json: 'text',
    },
  };
}

/** `CREATE TABLE`, STRICT on SQLite so both databases reject values of the wrong type. */
export function createTable(
  db: Kysely<any>,
  m: MigrationCtx,
  name: string,
): CreateTableBuilder<string, never> {
  const builder = db.schema.createTable(name);
  return m.dialect === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder;
}

/** A CHECK that a text column holds one of a closed set of values. */
export function oneOf(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}
