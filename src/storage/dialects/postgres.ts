import pg from 'pg';
import { PostgresDialect, type Dialect } from 'kysely';

/**
 * PostgreSQL through `pg`. Times are epoch milliseconds in BIGINT columns; `pg` returns int8 as strings by
 * default because it may exceed 2^53, which epoch milliseconds never do, so this pool parses them as numbers.
 * The parser is set per pool, not globally, so nothing else in the process is affected.
 */
const INT8_OID = 20;

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  readonly url: string;
  readonly poolSize: number;
  readonly applicationName?: string;
}

export function createPgPool(options: PostgresOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    types,
    application_name: options.applicationName ?? 'siaga',
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
  });
  // A client losing its connection must not crash the process: an idle one is reported on the pool, a checked-out
  // one on itself (its query fails and the caller answers 503); the pool then replaces it.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

export function createPostgresDialect(pool: pg.Pool): Dialect {
  return new PostgresDialect({ pool });
}

/** A single dedicated client (for LISTEN), with the same type parsing as the pool. */
export function createPgClient(url: string): pg.Client {
  return new pg.Client({ connectionString: url, types, application_name: 'siaga-listen' });
}
