import path from 'node:path';
import { Kysely, sql } from 'kysely';
import type { DatabaseTarget } from '../platform/config/index.ts';
import { maskUrl } from '../platform/config/index.ts';
import { makeDirs } from '../platform/fs.ts';
import type { Dialect } from './ctx.ts';
import { NodeSqliteDialect } from './dialects/node-sqlite.ts';
import type { Database } from './schema.ts';

export interface Storage {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly target: DatabaseTarget;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  /** The database server's own clock (PostgreSQL), to measure this node's clock skew; undefined on SQLite. */
  serverTime(): Promise<number | undefined>;
  close(): Promise<void>;
}

export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
}

export async function openStorage(target: DatabaseTarget & { readonly poolSize?: number }): Promise<Storage> {
  const dialect = target.dialect;
  let db: Kysely<Database>;
  if (target.dialect === 'sqlite') {
    try {
      makeDirs(path.dirname(target.file));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
      throw new StorageUnavailableError(
        `cannot create the directory for SQLite database ${target.file} (${code})`,
        { cause: err },
      );
    }
    db = new Kysely<Database>({ dialect: new NodeSqliteDialect({ file: target.file }) });
  } else {
    // Loaded only for PostgreSQL: an embedded SQLite server never pays for the pg driver.
    const { createPgPool, createPostgresDialect } = await import('./dialects/postgres.ts');
    db = new Kysely<Database>({
      dialect: createPostgresDialect(createPgPool({ url: target.url, poolSize: target.poolSize ?? 10 })),
    });
  }
  const storage: Storage = {
    db,
    dialect,
    target,
    async ping() {
      await sql`select 1`.execute(db);
    },
    async serverTime() {
      if (dialect !== 'postgres') return undefined;
      const r = await sql<{
        ms: number;
      }>`select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms`.execute(db);
      return Number(r.rows[0]?.ms);
    },
    async close() {
      await db.destroy();
    },
  };
  try {
    await storage.ping();
  } catch (err) {
    await db.destroy().catch(() => {});
    throw new StorageUnavailableError(describeConnectError(target, err), { cause: err });
  }
  return storage;
}

function describeConnectError(target: DatabaseTarget, err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (target.dialect === 'sqlite') {
    return `cannot open SQLite database ${target.file}: ${e.message ?? String(err)}`;
  }
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused (is PostgreSQL running and listening there?)',
    ENOTFOUND: 'host not found',
    ETIMEDOUT: 'connection timed out',
    '3D000': 'the database does not exist',
    '28P01': 'password authentication failed',
    '28000': 'the server refused this user',
  };
  const reason = (e.code && reasons[e.code]) ?? e.message ?? String(err);
  return `cannot connect to PostgreSQL at ${maskUrl(target.url)}: ${reason}`;
}
