import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness/app.ts';
import { TEST_DIALECT } from '../../../test/harness/db.ts';
import { insertDelivery } from '../../../test/harness/deliveries.ts';
import type { ChannelKind } from '../../storage/schema.ts';
import type { Notifier } from '../channels/notifier.ts';
import { recordOutcome, recoverOrphans, retryDelayMs } from './record.ts';

const notifier = (kind: ChannelKind, resendWhenUnknown: boolean): Notifier => ({
  kind,
  capabilities: { statusUpdates: true, interactiveAck: true, resendWhenUnknown },
  secretKeys: [],
  check: () => [],
  send: () => Promise.resolve({ status: 'sent' }),
});
const NOTIFIERS = new Map<ChannelKind, Notifier>([
  ['sms', notifier('sms', false)],
  ['webhook', notifier('webhook', true)],
]);

/** What happens to a send whose outcome is unknown: SMS and voice are never sent twice; webhooks are, same id. */
describe(`unknown outcomes (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const sending = (kind: ChannelKind, id: string) => insertDelivery(t!, id, kind, 'sending');

  const status = async (id: string) =>
    await t!.tdb.storage.db
      .selectFrom('deliveries')
      .select(['status', 'reason'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('a timed-out SMS is marked unknown and not re-sent; a timed-out webhook is retried', async () => {
    t = await createTestApp();
    const ctx = t.app.ctx();
    const timeout = {
      status: 'failed_temporary' as const,
      reason: 'timed out after 10 s',
      maybeDelivered: true,
    };
    await recordOutcome(ctx, NOTIFIERS, await sending('sms', 'dlv_01SMS0000000000000000000'), {
      outcome: timeout,
      startedAt: t.clock.now(),
      latencyMs: 10_000,
    });
    await recordOutcome(ctx, NOTIFIERS, await sending('webhook', 'dlv_01HOOK000000000000000000'), {
      outcome: timeout,
      startedAt: t.clock.now(),
      latencyMs: 10_000,
    });
    expect(await status('dlv_01SMS0000000000000000000')).toMatchObject({ status: 'unknown' });
    expect((await status('dlv_01SMS0000000000000000000')).reason).toMatch(/not re-sent/);
    expect(await status('dlv_01HOOK000000000000000000')).toMatchObject({ status: 'pending' });
  });

  it('after a crash, orphaned sends are settled the same way', async () => {
    t = await createTestApp();
    await sending('sms', 'dlv_01SMS0000000000000000001');
    await sending('webhook', 'dlv_01HOOK000000000000000001');
    expect(await recoverOrphans(t.app.ctx(), NOTIFIERS, { all: true, exclude: new Set() })).toBe(2);
    expect((await status('dlv_01SMS0000000000000000001')).status).toBe('unknown');
    expect((await status('dlv_01HOOK000000000000000001')).status).toBe('pending');
  });

  it('backs off exponentially from 5 s to at most 5 min, with ±20 % jitter', () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(5000);
    expect(retryDelayMs(2, () => 0.5)).toBe(10_000);
    expect(retryDelayMs(20, () => 0.5)).toBe(300_000);
    expect(retryDelayMs(1, () => 0)).toBe(4000);
    expect(retryDelayMs(1, () => 1)).toBe(6000);
  });
});
