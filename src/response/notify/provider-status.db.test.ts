import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness/app.ts';
import { TEST_DIALECT } from '../../../test/harness/db.ts';
import { insertDelivery } from '../../../test/harness/deliveries.ts';
import type { ChannelKind, DeliveriesTable, DeliveryStatus } from '../../storage/schema.ts';
import type { Notifier } from '../channels/notifier.ts';
import { recordTwilioStatus } from './provider-status.ts';
import { recordOutcome } from './record.ts';

const SMS: Notifier = {
  kind: 'sms',
  capabilities: { statusUpdates: false, interactiveAck: true, resendWhenUnknown: false },
  secretKeys: [],
  check: () => [],
  send: () => Promise.resolve({ status: 'sent' }),
};
const NOTIFIERS = new Map<ChannelKind, Notifier>([['sms', SMS]]);
const MESSAGE = `SM${'a'.repeat(32)}`;

/** Status reports that meet a delivery in a state other than plain `sent`: still sending, or of unknown outcome. */
describe(`Twilio status reports and the send's own record (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const insert = (id: string, status: DeliveryStatus) => insertDelivery(t!, id, 'sms', status);

  const row = (id: string) =>
    t!.tdb.storage.db
      .selectFrom('deliveries')
      .select(['status', 'reason', 'provider_message_id', 'provider_status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  const report = (deliveryId: string, status: string, errorCode?: string) =>
    recordTwilioStatus(t!.app.ctx(), {
      deliveryId,
      report: { channel: 'sms', sid: MESSAGE, status, ...(errorCode ? { errorCode } : {}) },
    });

  const sent = (d: DeliveriesTable) =>
    recordOutcome(t!.app.ctx(), NOTIFIERS, d, {
      outcome: { status: 'sent', providerMessageId: MESSAGE, statusCode: 201 },
      startedAt: t!.clock.now(),
      latencyMs: 80,
    });

  it('a failure reported before the send was recorded fails the delivery once it is', async () => {
    t = await createTestApp();
    const d = await insert('dlv_01RACE000000000000000000', 'sending');
    expect(await report(d.id, 'failed', '30008')).toBe('recorded');
    expect(await row(d.id)).toMatchObject({ status: 'sending', provider_status: 'failed' });
    await sent(d);
    expect(await row(d.id)).toEqual({
      status: 'failed',
      reason: 'Twilio reported failed: Twilio could not send the SMS',
      provider_message_id: MESSAGE,
      provider_status: 'failed',
    });
  });

  it('progress reported before the send was recorded leaves it sent', async () => {
    t = await createTestApp();
    const d = await insert('dlv_01RACE000000000000000001', 'sending');
    expect(await report(d.id, 'queued')).toBe('recorded');
    await sent(d);
    expect(await row(d.id)).toMatchObject({ status: 'sent', reason: null, provider_status: 'queued' });
    expect(await report(d.id, 'delivered')).toBe('recorded');
    expect(await report(d.id, 'queued')).toBe('ignored');
    expect(await row(d.id)).toMatchObject({ status: 'sent', provider_status: 'delivered' });
  });

  it('a send of unknown outcome learns its message from the report, and fails when it was not delivered', async () => {
    t = await createTestApp();
    const d = await insert('dlv_01UNKN000000000000000000', 'unknown');
    expect(await report(d.id, 'sent')).toBe('recorded');
    expect(await row(d.id)).toMatchObject({
      status: 'unknown',
      provider_message_id: MESSAGE,
      provider_status: 'sent',
    });
    expect(await report(d.id, 'undelivered', '30005')).toBe('recorded');
    expect(await row(d.id)).toEqual({
      status: 'failed',
      reason: 'Twilio reported undelivered: the carrier could not deliver the SMS (error 30005)',
      provider_message_id: MESSAGE,
      provider_status: 'undelivered',
    });
    expect(await report(d.id, 'undelivered', '30005')).toBe('ignored');
  });

  it('a paging drill that passed fails when its test SMS is later reported undelivered', async () => {
    t = await createTestApp();
    const drillId = 'drl_01LATE000000000000000000';
    const db = t.tdb.storage.db;
    await db
      .insertInto('paging_drills')
      .values({
        id: drillId,
        user_id: null,
        policy_id: null,
        started_by: 'test',
        started_at: t.clock.now(),
        finished_at: null,
        outcome: 'running',
        summary: JSON.stringify({ steps: [], warnings: [] }),
      })
      .execute();
    const outcome = async () =>
      (
        await db
          .selectFrom('paging_drills')
          .select('outcome')
          .where('id', '=', drillId)
          .executeTakeFirstOrThrow()
      ).outcome;
    // Two test SMSes (two phones); Twilio accepts both, so the drill passes when both sends are recorded.
    const d = await insertDelivery(t, 'dlv_01DRIL000000000000000000', 'sms', 'sending', drillId);
    const e = await insertDelivery(t, 'dlv_01DRIL000000000000000001', 'sms', 'sending', drillId);
    await sent(d);
    expect(await outcome()).toBe('running');
    await sent(e);
    expect(await outcome()).toBe('passed');
    expect(await report(d.id, 'delivered')).toBe('recorded');
    expect(await outcome()).toBe('passed');
    // The carrier then reports that the second one never arrived.
    expect(await report(e.id, 'undelivered', '30005')).toBe('recorded');
    expect(await outcome()).toBe('failed');
    expect(await row(e.id)).toMatchObject({ status: 'failed', provider_status: 'undelivered' });
    // Operators see providers' final word in /metrics.
    const metrics = (await t.app.http.inject({ url: '/metrics' })).body;
    expect(metrics).toContain('siaga_notification_reports_total{channel="sms",status="delivered"} 1');
    expect(metrics).toContain('siaga_notification_reports_total{channel="sms",status="failed"} 1');
  });

  it('ignores reports on deliveries that were never sent, and statuses it does not know', async () => {
    t = await createTestApp();
    const pending = await insert('dlv_01PEND000000000000000000', 'pending');
    expect(await report(pending.id, 'undelivered')).toBe('ignored');
    expect(await row(pending.id)).toMatchObject({ status: 'pending', provider_status: null });
    const d = await insert('dlv_01SENT000000000000000000', 'sending');
    await sent(d);
    expect(await report(d.id, 'teleported')).toBe('ignored');
    expect(await report('dlv_01NONE000000000000000000', 'delivered')).toBe('ignored');
    expect(await row(d.id)).toMatchObject({ status: 'sent', provider_status: null });
  });
});
