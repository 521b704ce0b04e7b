import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseTarget } from '../../src/platform/config/index.ts';
import { migrateToLatest, openStorage, type Dialect, type Storage } from '../../src/storage/index.ts';

/** The dialect this Vitest project runs on: `db-sqlite` and `db-postgres` run the same files. */
export const TEST_DIALECT: Dialect = process.env.TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';

export interface TestDatabase {
  readonly target: DatabaseTarget;
  readonly storage: Storage;
  /** Opens another, independent connection (pool) to the same database, as a second node would. */
  openAnother(): Promise<Storage>;
  /** Closes every connection opened here and deletes the database. */
  drop(): Promise<void>;
}

/** A fresh database of the current dialect, migrated unless `migrated: false`. */
export async function createTestDatabase(opts: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const target = TEST_DIALECT === 'postgres' ? await createPgDatabase() : createSqliteFile();
  const opened: Storage[] = [];
  const open = async () => {
    const s = await openStorage({ ...target.target, poolSize: 10 });
    opened.push(s);
    return s;
  };
  const storage = await open();
  if (opts.migrated !== false) await migrateToLatest(storage.db, storage.dialect);
  return {
    target: target.target,
    storage,
    openAnother: open,
    async drop() {
      for (const s of opened) await s.close().catch(() => {});
      await target.drop();
    },
  };
}

function createSqliteFile(): { target: DatabaseTarget; drop(): Promise<void> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'siaga-test-'));
  return {
    target: { dialect: 'sqlite', file: path.join(dir, 'siaga.db') },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPgDatabase(): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL must be set for the PostgreSQL test project');
  const name = `siaga_t_${inject('pgRunId')}_${randomBytes(5).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`create database "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    target: { dialect: 'postgres', url: url.toString() },
    drop: () =>
      withAdmin(adminUrl, (c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => {}),
  };
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
