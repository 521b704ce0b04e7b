import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../../test/harness/db.ts';

describe(`storage (${TEST_DIALECT})`, () => {
  let tdb: TestDatabase;
  afterEach(async () => tdb.drop());

  it('reads the database server’s clock on PostgreSQL (to measure skew), and has none on SQLite', async () => {
    tdb = await createTestDatabase();
    const before = performance.timeOrigin + performance.now();
    const serverTime = await tdb.storage.serverTime();
    const after = performance.timeOrigin + performance.now();
    if (TEST_DIALECT === 'sqlite') {
      expect(serverTime).toBeUndefined();
    } else {
      // Same machine, same clock: within the round trip plus a little.
      expect(serverTime).toBeGreaterThan(before - 1000);
      expect(serverTime).toBeLessThan(after + 1000);
    }
  });
});
