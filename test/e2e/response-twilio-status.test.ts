import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/platform/settings.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import {
  startFakeTwilio,
  twilioCallStatusCallback,
  twilioMessageStatusCallback,
  type FakeTwilio,
} from '../harness/providers/twilio.ts';
import { responseSettings, setupResponse, type Responder, type ResponseSetup } from '../harness/response.ts';

const SID = 'AC00000000000000000000000000000001';
const TOKEN = 'twilio-auth-token-for-tests';
const PUBLIC = 'https://siaga.example.com';
const STATUS_PATH = '/api/v1/callbacks/twilio/status';

interface DeliveryJson {
  id: string;
  channelKind: string;
  kind: string;
  status: string;
  reason: string | null;
  providerStatus: string | null;
  providerStatusAt: string | null;
}

/**
 * Twilio's delivery status callbacks: an SMS or call Twilio accepted and then could not deliver fails in the
 * delivery log and on the incident; the callback is signature-checked and may come any number of times.
 */
describe(`Twilio status callbacks (${TEST_DIALECT})`, () => {
  let s: ResponseSetup | undefined;
  let twilio: FakeTwilio | undefined;
  afterEach(async () => {
    await s?.t.close();
    await twilio?.close();
    s = twilio = undefined;
  });

  async function withTwilio(statusCallbacks = true): Promise<ResponseSetup> {
    twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
    const base = responseSettings();
    return setupResponse({
      settings: {
        ...base,
        publicUrl: PUBLIC,
        notify: {
          ...base.notify,
          providers: {
            ...DEFAULT_SETTINGS.notify.providers,
            twilio: {
              baseUrl: twilio.baseUrl,
              accountSid: SID,
              authToken: TOKEN,
              from: '+15550000000',
              statusCallbacks,
            },
          },
        },
      },
    });
  }

  /** A responder paged by SMS or voice only, verified through the code that reached the fake Twilio. */
  async function pagedBy(x: ResponseSetup, kind: 'sms' | 'voice', address: string): Promise<Responder> {
    const r = await x.responder(kind === 'sms' ? 'sam' : 'val');
    const created = await r.call('POST', '/api/v1/me/contact-methods', { kind, name: kind, address });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    await x.drain();
    const code =
      kind === 'sms'
        ? /(\d{6})/.exec(twilio!.messages.at(-1)!.body)![1]!
        : /code is[^<]*/i.exec(twilio!.calls.at(-1)!.twiml!)![0].replace(/\D/g, '').slice(0, 6);
    const ok = await r.call('POST', `/api/v1/me/contact-methods/${id}/verify`, { code });
    expect(ok.statusCode, ok.body).toBe(200);
    // The webhook contact method every test responder has gets no rule: only the phone is paged.
    const rule = await r.call('POST', '/api/v1/me/notification-rules', {
      contactMethodId: id,
      urgency: 'high',
      delayMinutes: 0,
    });
    expect(rule.statusCode, rule.body).toBe(201);
    await x.usePolicy([
      { escalateAfterMinutes: 30, targets: [{ type: 'user', id: r.id }], roundRobin: false },
    ]);
    return r;
  }

  async function deliveries(x: ResponseSetup, incidentId: string): Promise<DeliveryJson[]> {
    const res = await x.admin('GET', `/api/v1/incidents/${incidentId}/deliveries`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<DeliveryJson[]>();
  }

  async function pageOf(x: ResponseSetup, channel: 'sms' | 'voice') {
    const incidentId = await x.incidentId();
    const page = (await deliveries(x, incidentId)).find(
      (d) => d.kind === 'page' && d.channelKind === channel,
    );
    expect(page, JSON.stringify(await deliveries(x, incidentId))).toBeDefined();
    return { incidentId, page: page! };
  }

  /** The delivery's row and the incident's timeline: everything a callback may change. */
  async function snapshot(x: ResponseSetup, incidentId: string, deliveryId: string) {
    const row = await x.t.tdb.storage.db
      .selectFrom('deliveries')
      .selectAll()
      .where('id', '=', deliveryId)
      .executeTakeFirstOrThrow();
    return { row, timeline: await x.timeline(incidentId) };
  }

  it('an SMS Twilio reports undelivered fails in the delivery log and on the incident, once', async () => {
    s = await withTwilio();
    const x = s;
    await pagedBy(x, 'sms', '+15551230001');
    await x.fire('sms-undelivered');
    const { incidentId, page } = await pageOf(x, 'sms');
    expect(page).toMatchObject({ status: 'sent', providerStatus: null });
    const sms = twilio!.messages.at(-1)!;
    expect(sms.statusCallback).toBe(`${PUBLIC}${STATUS_PATH}?delivery=${page.id}`);

    const report = (status: string, errorCode?: string) =>
      twilioMessageStatusCallback({
        authToken: TOKEN,
        accountSid: SID,
        message: sms,
        status,
        ...(errorCode ? { errorCode } : {}),
      }).inject;

    const sent = await x.t.app.http.inject(report('sent'));
    expect(sent.statusCode, sent.body).toBe(204);
    expect(sent.body).toBe('');
    expect((await pageOf(x, 'sms')).page).toMatchObject({ status: 'sent', providerStatus: 'sent' });

    x.t.clock.advance(4000);
    const undelivered = await x.t.app.http.inject(report('undelivered', '30003'));
    expect(undelivered.statusCode, undelivered.body).toBe(204);
    const after = (await pageOf(x, 'sms')).page;
    expect(after).toMatchObject({
      status: 'failed',
      providerStatus: 'undelivered',
      providerStatusAt: new Date(x.t.clock.now()).toISOString(),
    });
    expect(after.reason).toBe(
      'Twilio reported undelivered: the carrier could not deliver the SMS (error 30003)',
    );
    const failed = (await x.timeline(incidentId)).filter((e) => e.type === 'notification.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.data).toMatchObject({
      deliveryId: page.id,
      channel: 'sms',
      final: true,
      providerStatus: 'undelivered',
      reason: after.reason,
    });

    // Twilio retries, and late or out-of-order reports arrive: none of them changes anything now.
    const before = await snapshot(x, incidentId, page.id);
    x.t.clock.advance(1000);
    for (const again of [
      report('undelivered', '30003'),
      report('sent'),
      report('delivered'),
      report('failed'),
    ]) {
      const res = await x.t.app.http.inject(again);
      expect(res.statusCode, res.body).toBe(204);
    }
    expect(await snapshot(x, incidentId, page.id)).toEqual(before);
  });

  it('refuses an unsigned or badly signed status callback with 403, changing nothing', async () => {
    s = await withTwilio();
    const x = s;
    await pagedBy(x, 'sms', '+15551230001');
    await x.fire('sms-forged');
    const { incidentId, page } = await pageOf(x, 'sms');
    const sms = twilio!.messages.at(-1)!;
    const before = await snapshot(x, incidentId, page.id);

    const forged = [
      twilioMessageStatusCallback({
        authToken: TOKEN,
        accountSid: SID,
        message: sms,
        status: 'failed',
        signature: '',
      }),
      twilioMessageStatusCallback({
        authToken: 'not-the-token',
        accountSid: SID,
        message: sms,
        status: 'failed',
      }),
    ];
    // Signed for other parameters than the ones posted: the signature covers the whole form.
    const swapped = twilioMessageStatusCallback({
      authToken: TOKEN,
      accountSid: SID,
      message: sms,
      status: 'sent',
    });
    const tampered = {
      ...swapped.inject,
      payload: new URLSearchParams({
        ...swapped.params,
        MessageStatus: 'failed',
        SmsStatus: 'failed',
      }).toString(),
    };
    for (const req of [...forged.map((f) => f.inject), tampered]) {
      const res = await x.t.app.http.inject(req);
      expect(res.statusCode, res.body).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<{ detail: string }>().detail).toMatch(/X-Twilio-Signature/);
    }
    expect(await snapshot(x, incidentId, page.id)).toEqual(before);
  });

  it('keeps a delivered SMS sent, with what Twilio reported, whatever arrives after', async () => {
    s = await withTwilio();
    const x = s;
    await pagedBy(x, 'sms', '+15551230001');
    await x.fire('sms-delivered');
    const sms = twilio!.messages.at(-1)!;
    const report = async (status: string) => {
      const res = await x.t.app.http.inject(
        twilioMessageStatusCallback({ authToken: TOKEN, accountSid: SID, message: sms, status }).inject,
      );
      expect(res.statusCode, res.body).toBe(204);
    };
    // Out of order: `delivered` overtakes `sent`, which then arrives late and is old news.
    await report('delivered');
    const { incidentId, page } = await pageOf(x, 'sms');
    expect(page).toMatchObject({ status: 'sent', providerStatus: 'delivered', reason: null });
    const before = await snapshot(x, incidentId, page.id);
    x.t.clock.advance(1000);
    for (const status of ['sent', 'queued', 'delivered', 'undelivered']) await report(status);
    expect(await snapshot(x, incidentId, page.id)).toEqual(before);
    expect((await x.timeline(incidentId)).some((e) => e.type === 'notification.failed')).toBe(false);
  });

  it('fails a call nobody answered, also when the callback URL names no delivery (matched by the call SID)', async () => {
    s = await withTwilio();
    const x = s;
    await pagedBy(x, 'voice', '+15551230002');
    await x.fire('voice-no-answer');
    const { incidentId, page } = await pageOf(x, 'voice');
    const call = twilio!.calls.at(-1)!;
    expect(call.statusCallback).toBe(`${PUBLIC}${STATUS_PATH}?delivery=${page.id}`);

    // As if the operator had set the status callback URL in the Twilio console: no query string.
    const res = await x.t.app.http.inject(
      twilioCallStatusCallback({
        authToken: TOKEN,
        accountSid: SID,
        call: { ...call, statusCallback: `${PUBLIC}${STATUS_PATH}` },
        status: 'no-answer',
      }).inject,
    );
    expect(res.statusCode, res.body).toBe(204);
    const after = (await pageOf(x, 'voice')).page;
    expect(after).toMatchObject({ status: 'failed', providerStatus: 'no-answer' });
    expect(after.reason).toBe('Twilio reported no-answer: nobody answered the call');
    const failed = (await x.timeline(incidentId)).filter((e) => e.type === 'notification.failed');
    expect(failed.map((e) => e.data)).toMatchObject([
      { channel: 'voice', final: true, providerStatus: 'no-answer' },
    ]);
  });

  it('ignores reports about a message it did not send, and sends no StatusCallback when switched off', async () => {
    s = await withTwilio(false);
    const x = s;
    await pagedBy(x, 'sms', '+15551230001');
    await x.fire('sms-off');
    const sms = twilio!.messages.at(-1)!;
    expect(sms.statusCallback).toBeUndefined();
    const { incidentId, page } = await pageOf(x, 'sms');
    const before = await snapshot(x, incidentId, page.id);
    // A signed report naming this delivery but another message, and one about an unknown message.
    const other = { ...sms, sid: `SM${'f'.repeat(32)}` };
    for (const statusCallback of [`${PUBLIC}${STATUS_PATH}?delivery=${page.id}`, `${PUBLIC}${STATUS_PATH}`]) {
      const res = await x.t.app.http.inject(
        twilioMessageStatusCallback({
          authToken: TOKEN,
          accountSid: SID,
          message: { ...other, statusCallback },
          status: 'undelivered',
        }).inject,
      );
      expect(res.statusCode, res.body).toBe(204);
    }
    expect(await snapshot(x, incidentId, page.id)).toEqual(before);
  });
});
