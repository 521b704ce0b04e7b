import { afterEach, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../src/platform/crypto/webhook-signature.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { setupResponse, type ResponseSetup } from '../harness/response.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Delivery to a webhook target: retries, classification, ordering, idempotency ids (reliability R-NOT-1..6, 9). */
describe(`notification delivery (${TEST_DIALECT})`, () => {
  let s: ResponseSetup | undefined;
  afterEach(async () => {
    await s?.t.close();
    s = undefined;
  });

  /** A shared webhook channel on the receiver, as the only target of the service's policy. */
  async function channelPolicy(x: ResponseSetup, names: string[], secrets?: Record<string, string>) {
    const ids: string[] = [];
    for (const name of names) {
      const r = await x.admin('POST', '/api/v1/channels', {
        name,
        teamId: x.teamId,
        kind: 'webhook',
        config: { address: `${x.receiver.origin}/ch/${name}` },
        ...(secrets ? { secrets } : {}),
      });
      if (r.statusCode !== 201) throw new Error(`channel: ${r.statusCode} ${r.body}`);
      ids.push(r.json<{ id: string }>().id);
    }
    await x.usePolicy([
      { escalateAfterMinutes: 30, targets: ids.map((id) => ({ type: 'channel', id })), roundRobin: false },
    ]);
  }

  async function deliveryLog(x: ResponseSetup) {
    const r = await x.admin('GET', `/api/v1/incidents/${await x.incidentId()}/deliveries`);
    expect(r.statusCode).toBe(200);
    return r.json<
      {
        status: string;
        event: string;
        attempts: number;
        nextAttemptAt: string | null;
        reason: string | null;
        history: { attempt: number; outcome: string; statusCode: number | null; startedAt: string }[];
      }[]
    >();
  }

  it('a target answering 500 for 2 minutes gets the message exactly once after it recovers, every failure logged', async () => {
    s = await setupResponse();
    const x = s;
    await channelPolicy(x, ['ops']);
    const start = x.t.clock.now();
    x.receiver.respondWith(() => (x.t.clock.now() < start + 2 * MINUTE ? { status: 500 } : { status: 200 }));
    await x.fire('api-500');
    await x.advance(10 * MINUTE, 5 * SECOND);

    const requests = x.received('/ch/ops');
    const ids = new Set(requests.map((r) => r.req.headers['x-webhook-id']));
    expect(ids.size).toBe(1); // one message, the same id on every attempt
    expect(requests.at(-1)!.req.headers['idempotency-key']).toBe([...ids][0]);
    const [log] = await deliveryLog(x);
    expect(log!.status).toBe('sent');
    const failures = log!.history.filter((h) => h.outcome === 'failed_temporary');
    expect(failures.length).toBe(requests.length - 1);
    expect(failures.every((h) => h.statusCode === 500)).toBe(true);
    expect(log!.history.at(-1)!.outcome).toBe('sent');
    // Back-off: the gaps between attempts never shrink, the first is at most 10 s, none above 5 min.
    const times = log!.history.map((h) => Date.parse(h.startedAt));
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps[0]).toBeLessThanOrEqual(10 * SECOND);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1]! - 5 * SECOND);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(5 * MINUTE);
  });

  it('400 and 404 are not retried: one attempt, the failure shown on the incident', async () => {
    s = await setupResponse();
    await channelPolicy(s, ['gone']);
    s.receiver.respondWith({ status: 404, body: 'no such hook' });
    await s.fire('api-404');
    await s.advance(30 * MINUTE, MINUTE);
    expect(s.received('/ch/gone')).toHaveLength(1);
    const [log] = await deliveryLog(s);
    expect(log).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null });
    const failed = (await s.timeline(await s.incidentId())).find((e) => e.type === 'notification.failed');
    expect(failed?.data).toMatchObject({ final: true });
    expect(String(failed?.data.reason)).toMatch(/404/);
  });

  it('429 with Retry-After: 30 is not retried before 30 s', async () => {
    s = await setupResponse();
    await channelPolicy(s, ['busy']);
    s.receiver.script({ status: 429, headers: { 'retry-after': '30' } });
    await s.fire('api-429');
    expect(s.received('/ch/busy')).toHaveLength(1);
    await s.advance(29 * SECOND, SECOND);
    expect(s.received('/ch/busy')).toHaveLength(1);
    await s.advance(2 * SECOND, SECOND);
    expect(s.received('/ch/busy')).toHaveLength(2);
    expect((await deliveryLog(s))[0]!.status).toBe('sent');
  });

  it('a target that never answers times out and does not hold up the others', async () => {
    s = await setupResponse();
    const x = s;
    await channelPolicy(x, ['dead', 'alive']);
    x.receiver.respondWith((req) => (req.path === '/ch/dead' ? { never: true } : { status: 200 }));
    await x.fire('api-dead');
    expect(x.received('/ch/alive')).toHaveLength(1);
    const log = await deliveryLog(x);
    const dead = log.find((d) => d.history[0]?.outcome === 'failed_temporary');
    expect(dead?.status).toBe('pending');
    expect(dead?.reason).toMatch(/time/i);
    expect(log.filter((d) => d.status === 'sent')).toHaveLength(1);
  });

  it('triggered → acknowledged → resolved reach one target in that order, even with a retry in between', async () => {
    s = await setupResponse();
    await channelPolicy(s, ['order']);
    s.receiver.script({ status: 503 });
    await s.fire('api-order');
    const incidentId = await s.incidentId();
    await s.admin('POST', `/api/v1/incidents/${incidentId}/acknowledge`);
    await s.drain();
    await s.admin('POST', `/api/v1/incidents/${incidentId}/resolve`);
    await s.advance(2 * MINUTE, 5 * SECOND);
    const delivered = s.received('/ch/order').slice(1); // the first attempt got 503
    expect(delivered.map((m) => m.event)).toEqual(['triggered', 'acknowledged', 'resolved']);
  });

  it('signs every webhook with t=…,v1=… over the raw body, with two v1 values during a secret rotation', async () => {
    s = await setupResponse();
    await channelPolicy(s, ['signed'], {
      signingSecret: 'new-secret-0123456789',
      previousSigningSecret: 'old-secret-0123456789',
    });
    await s.fire('api-signed');
    const [msg] = s.received('/ch/signed');
    const header = msg!.req.headers['x-siaga-signature']!;
    expect(header.match(/v1=/g)).toHaveLength(2);
    for (const secret of ['new-secret-0123456789', 'old-secret-0123456789'])
      expect(
        verifyWebhookSignature({ header, secrets: [secret], rawBody: msg!.req.rawBody, now: s.t.clock.now() })
          .ok,
      ).toBe(true);
    expect(
      verifyWebhookSignature({ header, secrets: ['other'], rawBody: msg!.req.rawBody, now: s.t.clock.now() })
        .ok,
    ).toBe(false);
  });

  it('1,000 alerts for one person in a minute are throttled and bundled, and every incident says what happened', async () => {
    s = await setupResponse();
    const x = s;
    // ntfy on the local receiver: a person's phone, throttled to 20 a minute (webhooks are not throttled).
    const ana = await x.responder('ana');
    const created = await ana.call('POST', '/api/v1/me/contact-methods', {
      kind: 'ntfy',
      name: 'phone',
      address: `${x.receiver.origin}/ana-phone`,
    });
    expect(created.statusCode, created.body).toBe(201);
    const methodId = created.json<{ id: string }>().id;
    await x.drain();
    const published = () =>
      x.receiver.requests
        .filter((r) => (r.json as { topic?: string } | undefined)?.topic === 'ana-phone')
        .map((r) => r.json as { title: string; message: string });
    const code = /(\d{6})/.exec(published()[0]!.title)![1]!;
    expect(
      (await ana.call('POST', `/api/v1/me/contact-methods/${methodId}/verify`, { code })).statusCode,
    ).toBe(200);
    await ana.call('DELETE', `/api/v1/me/contact-methods/${ana.methodId}`);
    const rule = await ana.call('POST', '/api/v1/me/notification-rules', {
      contactMethodId: methodId,
      urgency: 'high',
      delayMinutes: 0,
    });
    expect(rule.statusCode, rule.body).toBe(201);
    await x.usePolicy([
      { escalateAfterMinutes: 30, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
    ]);
    const key = (await x.integration('alertmanager')).key;
    const alerts = Array.from({ length: 1000 }, (_, i) => ({
      labels: { alertname: 'Storm', instance: `i${i}` },
    }));
    for (let i = 0; i < alerts.length; i += 250) {
      const r = await x.t.app.http.inject({
        method: 'POST',
        url: '/api/v2/alerts',
        headers: { authorization: `Bearer ${key}` },
        payload: alerts.slice(i, i + 250),
      });
      expect(r.statusCode).toBe(200);
      x.t.clock.advance(10 * SECOND);
    }
    await x.drain();
    await x.advance(2 * MINUTE, 10 * SECOND);
    const db = x.t.tdb.storage.db;
    const sent = await db
      .selectFrom('deliveries')
      .select(['sent_at', 'kind'])
      .where('destination', '=', `cm:${methodId}`)
      .where('kind', '<>', 'verification')
      .where('status', '=', 'sent')
      .orderBy('sent_at')
      .execute();
    expect(sent.length).toBe(published().length - 1);
    expect(sent.filter((d) => d.kind === 'bundle').length).toBeGreaterThanOrEqual(1);
    // Never more than the limit (20 a minute, a bundle counting as one) in any sliding minute.
    const times = sent.map((d) => Number(d.sent_at));
    for (let i = 0; i < times.length; i++)
      expect(times.filter((t) => t >= times[i]! && t < times[i]! + MINUTE).length).toBeLessThanOrEqual(20);
    // Nothing missing: each of the 1,000 incidents has its page sent or bundled on its timeline.
    const incidents = await db.selectFrom('incidents').select('id').execute();
    expect(incidents).toHaveLength(1000);
    const told = await db
      .selectFrom('timeline_events')
      .select('incident_id')
      .distinct()
      .where('type', 'in', ['notification.sent', 'notification.bundled'])
      .execute();
    expect(told).toHaveLength(1000);
  });
});
