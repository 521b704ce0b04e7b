import type { Kysely } from 'kysely';
import { afterEach, beforeEach } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { createEffectTables } from './jobs.ts';

/**
 * For a describe block: a fresh database with the effect tables before each test, dropped after it. Read the
 * fields inside tests (they change per test).
 */
export function useEffectDatabase(): { tdb: TestDatabase; anyDb: Kysely<any> } {
  const fixture = {} as { tdb: TestDatabase; anyDb: Kysely<any> };
  beforeEach(async () => {
    fixture.tdb = await createTestDatabase();
    fixture.anyDb = fixture.tdb.storage.db;
    await createEffectTables(fixture.anyDb, fixture.tdb.storage.dialect);
  });
  afterEach(async () => {
    await fixture.tdb.drop();
  });
  return fixture;
}
