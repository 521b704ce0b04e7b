import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Kysely, sql, type Generated } from 'kysely';
import { NodeSqliteDialect, openSqlite } from './node-sqlite.ts';

describe('the SQLite connection', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('checkpoints every 200 WAL pages, so no commit copies more than that (a short stall)', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'siaga-wal-'));
    const file = path.join(dir, 'siaga.db');
    const db = openSqlite(file);
    db.exec('create table t (id integer primary key, body text not null)');
    const insert = db.prepare('insert into t (body) values (?)');
    const page = 'x'.repeat(4000); // about one 4 KiB page per row
    // 2,000 pages in 100 commits: with SQLite's default of 1,000 the WAL would reach about 4 MiB.
    for (let commit = 0; commit < 100; commit++) {
      db.exec('begin');
      for (let i = 0; i < 20; i++) insert.run(page);
      db.exec('commit');
    }
    const walPages = statSync(`${file}-wal`).size / 4096;
    expect(walPages).toBeGreaterThan(150);
    expect(walPages).toBeLessThan(260);
    expect((db.prepare('select count(*) as n from t').get() as { n: number }).n).toBe(2000);
    db.close();
  });

  it('writes whole-number limits into the SQL (a bound LIMIT sends ORDER BY through the slow general sorter)', async () => {
    const db = new Kysely<{ t: { id: Generated<number>; v: string } }>({
      dialect: new NodeSqliteDialect({ file: ':memory:' }),
    });
    await sql`create table t (id integer primary key, v text not null)`.execute(db);
    await db
      .insertInto('t')
      .values([{ v: 'c' }, { v: 'a' }, { v: 'b' }])
      .execute();
    const firstTwo = db.selectFrom('t').select('v').orderBy('v').limit(2);
    expect(firstTwo.compile().sql).toMatch(/limit 2$/);
    expect(firstTwo.compile().parameters).toEqual([]);
    expect((await firstTwo.execute()).map((r) => r.v)).toEqual(['a', 'b']);
    // Anything but a whole number stays a parameter, so SQLite reports it, as before.
    const odd = db.selectFrom('t').select('v').orderBy('v').limit(1.5);
    expect(odd.compile().sql).toMatch(/limit \?$/);
    await db.destroy();
  });
});
