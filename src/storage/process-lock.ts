import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { DatabaseSync } from 'node:sqlite';
import { openSqlite } from './dialects/node-sqlite.ts';

/**
 * One server per SQLite file. The lock is an exclusive SQLite lock on a small sidecar database, held for the
 * life of the process: the operating system releases it when the process ends, even on kill -9, so a crashed
 * server never blocks its own restart. The main database stays shareable for `siaga migrate` and backups.
 */
export interface ProcessLock {
  release(): void;
}

export class AlreadyRunningError extends Error {
  override readonly name = 'AlreadyRunningError';
}

interface OwnerInfo {
  pid: number;
  host: string;
  startedAt: string;
  url?: string;
}

export function acquireProcessLock(
  databaseFile: string,
  info: { url?: string; startedAt: string },
): ProcessLock {
  const lockFile = `${databaseFile}.server-lock`;
  const ownerFile = `${databaseFile}.server-owner.json`;
  let db: DatabaseSync | undefined;
  try {
    db = openSqlite(lockFile, 0);
    db.exec('PRAGMA journal_mode = DELETE');
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    // The first write in EXCLUSIVE locking mode takes the exclusive lock and keeps it until close.
    db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS lock (id INTEGER PRIMARY KEY); COMMIT;');
  } catch (err) {
    db?.close();
    const e = err as { errcode?: number };
    if (e.errcode === 5 || e.errcode === 6)
      throw new AlreadyRunningError(describeOwner(databaseFile, ownerFile));
    throw err;
  }
  const owner: OwnerInfo = {
    pid: process.pid,
    host: os.hostname(),
    startedAt: info.startedAt,
    ...(info.url ? { url: info.url } : {}),
  };
  writeFileSync(ownerFile, `${JSON.stringify(owner)}\n`);
  const held = db;
  return {
    release() {
      rmSync(ownerFile, { force: true });
      if (held.isOpen) held.close();
    },
  };
}

function describeOwner(databaseFile: string, ownerFile: string): string {
  let who = 'another Siaga server';
  try {
    const o = JSON.parse(readFileSync(ownerFile, 'utf8')) as OwnerInfo;
    who = `another Siaga server (pid ${o.pid} on ${o.host}, started ${o.startedAt}${o.url ? `, ${o.url}` : ''})`;
  } catch {
    // owner file missing or unreadable: the generic wording is still right
  }
  return `${who} is already using ${databaseFile}; stop it first, or give this one its own SIAGA_DATA_DIR (or use PostgreSQL to run several nodes)`;
}
