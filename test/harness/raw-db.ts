import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { TestDatabase } from './db.ts';

/**
 * The bytes a database holds, to prove that no secret sits in them in the clear: for SQLite the file, its WAL and
 * its shared memory while open, then the file again once closed (the connection is closed); for PostgreSQL a
 * pg_dump of the database.
 */
export async function rawDatabase(tdb: TestDatabase): Promise<string[]> {
  if (tdb.target.dialect === 'postgres') {
    const { stdout } = await promisify(execFile)(
      '/usr/bin/pg_dump',
      [`--dbname=${tdb.target.url}`, '--no-owner'],
      {
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'latin1',
      },
    );
    return [stdout];
  }
  const file = tdb.target.file;
  const whileOpen = ['', '-wal', '-shm']
    .map((suffix) => `${file}${suffix}`)
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f).toString('latin1'))
    .join('\n');
  await tdb.storage.close();
  return [whileOpen, readFileSync(file).toString('latin1')];
}

/** The ways a secret could sit in bytes: as UTF-8, UTF-16, hex, base64 and base64url. */
function encodings(text: string): string[] {
  const utf8 = Buffer.from(text, 'utf8');
  return [
    text,
    Buffer.from(text, 'utf16le').toString('latin1'),
    utf8.toString('hex'),
    utf8.toString('base64').replace(/=+$/, ''),
    utf8.toString('base64url'),
  ];
}

/** The encodings of `text` found in `haystack` (empty when it is not there in any form). */
export const foundIn = (haystack: string, text: string): string[] =>
  encodings(text).filter((e) => haystack.includes(e));
