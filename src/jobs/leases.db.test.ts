import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../../test/harness/db.ts';
import { testServices } from '../../test/harness/services.ts';
import { SECOND } from '../platform/clock.ts';
import { leaseHolder, releaseLease, tryAcquireLease } from './leases.ts';

describe(`leases for singleton loops (${TEST_DIALECT})`, () => {
  let tdb: TestDatabase;
  beforeEach(async () => {
    tdb = await createTestDatabase();
  });
  afterEach(async () => tdb.drop());

  it('has one holder at a time, renewable by it, taken over only once it lapses', async () => {
    const { clock } = testServices();
    const db = tdb.storage.db;
    const lease = (owner: string) =>
      tryAcquireLease(db, { name: 'dispatcher', owner, ttlMs: 30 * SECOND, now: clock.now() });

    expect(await lease('node-a')).toBe(true);
    expect(await lease('node-b')).toBe(false);
    clock.advance(20 * SECOND);
    expect(await lease('node-a')).toBe(true); // renewal moves the expiry forward
    clock.advance(20 * SECOND);
    expect(await lease('node-b')).toBe(false);
    expect(await leaseHolder(db, 'dispatcher', clock.now())).toBe('node-a');
    clock.advance(10 * SECOND + 1);
    expect(await leaseHolder(db, 'dispatcher', clock.now())).toBeUndefined();
    expect(await lease('node-b')).toBe(true);
    expect(await lease('node-a')).toBe(false);
  });

  it('is free at once when its holder releases it', async () => {
    const { clock } = testServices();
    const db = tdb.storage.db;
    expect(
      await tryAcquireLease(db, { name: 'scan', owner: 'a', ttlMs: 60 * SECOND, now: clock.now() }),
    ).toBe(true);
    await releaseLease(db, { name: 'scan', owner: 'b' }); // not the holder: nothing happens
    expect(
      await tryAcquireLease(db, { name: 'scan', owner: 'b', ttlMs: 60 * SECOND, now: clock.now() }),
    ).toBe(false);
    await releaseLease(db, { name: 'scan', owner: 'a' });
    expect(
      await tryAcquireLease(db, { name: 'scan', owner: 'b', ttlMs: 60 * SECOND, now: clock.now() }),
    ).toBe(true);
  });

  it('gives a contested lease to exactly one of many concurrent contenders', async () => {
    const { clock } = testServices();
    const other = await tdb.openAnother();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        tryAcquireLease(i % 2 ? other.db : tdb.storage.db, {
          name: 'race',
          owner: `n${i}`,
          ttlMs: 60 * SECOND,
          now: clock.now(),
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
