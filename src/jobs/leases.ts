import type { EpochMs } from '../platform/clock.ts';
import type { Db } from '../storage/index.ts';

/**
 * Leases make singleton loops (the delivery dispatcher, the monitor scan) efficient across nodes: one holder at a
 * time, renewed every ttl/3, taken over when it lapses. Correctness never depends on them; the work they guard is
 * itself compare-and-set, so two overlapping holders cannot both act on the same row.
 */
export async function tryAcquireLease(
  db: Db,
  opts: { name: string; owner: string; ttlMs: number; now: EpochMs },
): Promise<boolean> {
  const { name, owner, ttlMs, now } = opts;
  await db
    .insertInto('leases')
    .values({ name, owner: null, expires_at: 0 as EpochMs, acquired_at: null })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const r = await db
    .updateTable('leases')
    .set((eb) => ({
      owner,
      expires_at: (now + ttlMs) as EpochMs,
      acquired_at: eb.case().when('owner', '=', owner).then(eb.ref('acquired_at')).else(now).end(),
    }))
    .where('name', '=', name)
    .where((eb) => eb.or([eb('owner', '=', owner), eb('owner', 'is', null), eb('expires_at', '<', now)]))
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

export async function releaseLease(db: Db, opts: { name: string; owner: string }): Promise<void> {
  await db
    .updateTable('leases')
    .set({ owner: null, expires_at: 0 as EpochMs, acquired_at: null })
    .where('name', '=', opts.name)
    .where('owner', '=', opts.owner)
    .execute();
}

export async function leaseHolder(db: Db, name: string, now: EpochMs): Promise<string | undefined> {
  const row = await db
    .selectFrom('leases')
    .select(['owner', 'expires_at'])
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.owner && row.expires_at >= now ? row.owner : undefined;
}

/** Frees every lease: only for a process that knows it is the only one (SQLite's single server, at start). */
export async function releaseAllLeases(db: Db): Promise<void> {
  await db
    .updateTable('leases')
    .set({ owner: null, expires_at: 0 as EpochMs, acquired_at: null })
    .execute();
}
