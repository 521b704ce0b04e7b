import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type WebhookReceiver,
  startWebhookReceiver,
} from '../../../test/harness/providers/webhook-receiver.ts';
import { SECOND, epochMs } from '../../platform/clock.ts';
import { createHttpSender } from '../../platform/net/http-sender.ts';
import type { Destination, OutboundMessage, SendContext } from './notifier.ts';
import { checkWebhookDestination, createWebhookNotifier } from './webhook.ts';

const T0 = epochMs(Date.parse('2026-03-01T09:00:00Z'));

const message: OutboundMessage = {
  id: 'dlv_01HZX',
  kind: 'page',
  event: 'triggered',
  subject: '[#42] Checkout API down',
  text: 'Checkout API returns 502 for 5 minutes.',
  incident: {
    id: 'inc_1',
    number: 42,
    title: 'Checkout API down',
    severity: 'critical',
    urgency: 'high',
    status: 'triggered',
    serviceName: 'checkout',
    url: 'https://siaga.example/incidents/inc_1',
    openedAt: epochMs(T0 - 60 * SECOND),
    alertCount: 3,
  },
  actions: {
    acknowledge: { url: 'https://siaga.example/a/ack-token', token: 'ack-token' },
    resolve: { url: 'https://siaga.example/a/res-token', token: 'res-token' },
  },
  recipient: { userId: 'usr_1', name: 'Alice' },
  createdAt: T0,
};

let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await receiver.close();
});

const notifier = createWebhookNotifier();
const dest = (over: Partial<Destination> = {}): Destination => ({
  kind: 'webhook',
  address: receiver.url,
  config: {},
  secrets: {},
  ...over,
});
const ctx = (over: Partial<SendContext> = {}): SendContext => ({
  http: createHttpSender({ allowPrivate: false, allow: [`127.0.0.1:${receiver.port}`] }),
  signal: new AbortController().signal,
  timeoutMs: 5_000,
  now: T0,
  ...over,
});

/** The receiver-side check exactly as docs/operations/channels.md tells a receiver to do it. */
function documentedVerify(header: string, rawBody: Buffer, secret: string): boolean {
  const parts = header.split(',').map((p) => p.split('=') as [string, string]);
  const t = parts.find(([k]) => k === 't')?.[1];
  const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
  return parts.some(([k, v]) => k === 'v1' && v === expected);
}

describe('webhook channel', () => {
  it('posts the documented JSON body with the documented headers', async () => {
    const outcome = await notifier.send(
      message,
      dest({ config: { headers: { 'X-Team': 'payments' } } }),
      ctx(),
    );
    expect(outcome).toEqual({ status: 'sent', statusCode: 200 });
    const [req] = receiver.requests;
    expect(req?.method).toBe('POST');
    expect(req?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Siaga',
      'idempotency-key': 'dlv_01HZX',
      'x-webhook-id': 'dlv_01HZX',
      'x-siaga-event': 'triggered',
      'x-team': 'payments',
    });
    expect(req?.headers['x-siaga-signature']).toBeUndefined();
    expect(req?.json).toEqual({
      id: 'dlv_01HZX',
      event: 'triggered',
      kind: 'page',
      subject: '[#42] Checkout API down',
      text: 'Checkout API returns 502 for 5 minutes.',
      incident: {
        id: 'inc_1',
        number: 42,
        title: 'Checkout API down',
        severity: 'critical',
        urgency: 'high',
        status: 'triggered',
        serviceName: 'checkout',
        url: 'https://siaga.example/incidents/inc_1',
        openedAt: '2026-03-01T08:59:00.000Z',
        alertCount: 3,
      },
      actions: {
        acknowledge: { url: 'https://siaga.example/a/ack-token' },
        resolve: { url: 'https://siaga.example/a/res-token' },
      },
      recipient: { userId: 'usr_1', name: 'Alice' },
      createdAt: '2026-03-01T09:00:00.000Z',
    });
  });

  it('signs each attempt over its timestamp and the raw body, with the same idempotency id every time', async () => {
    const secret = 'whsec_0123456789abcdef';
    const d = dest({ secrets: { signingSecret: secret } });
    await notifier.send(message, d, ctx());
    await notifier.send(message, d, ctx({ now: epochMs(T0 + 30 * SECOND) }));
    const [first, second] = receiver.requests;
    expect(first?.headers['idempotency-key']).toBe(second?.headers['idempotency-key']);
    expect(first?.headers['x-webhook-id']).toBe(second?.headers['x-webhook-id']);
    expect(first?.headers['x-siaga-signature']).toMatch(/^t=1772355600,v1=[0-9a-f]{64}$/);
    expect(second?.headers['x-siaga-signature']).toMatch(/^t=1772355630,v1=[0-9a-f]{64}$/);
    for (const req of [first!, second!]) {
      expect(documentedVerify(req.headers['x-siaga-signature']!, req.rawBody, secret)).toBe(true);
      expect(documentedVerify(req.headers['x-siaga-signature']!, req.rawBody, 'another-secret-value')).toBe(
        false,
      );
    }
  });

  it('sends two v1 signatures during a secret rotation, each verifiable with its own secret', async () => {
    const current = 'whsec_new_0123456789';
    const previous = 'whsec_old_0123456789';
    await notifier.send(
      message,
      dest({ secrets: { signingSecret: current, previousSigningSecret: previous } }),
      ctx(),
    );
    const req = receiver.requests[0]!;
    const header = req.headers['x-siaga-signature']!;
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(documentedVerify(header, req.rawBody, current)).toBe(true);
    expect(documentedVerify(header, req.rawBody, previous)).toBe(true);
  });

  it('sends the authorization secret as the Authorization header', async () => {
    await notifier.send(message, dest({ secrets: { authorization: 'Bearer s3cr3t' } }), ctx());
    expect(receiver.requests[0]?.headers.authorization).toBe('Bearer s3cr3t');
  });

  it('classifies answers: 500 temporary, 404 permanent, 429 with Retry-After waits 30 s', async () => {
    receiver.script(
      { status: 500, body: 'internal error' },
      { status: 404, body: 'no such hook' },
      { status: 429, headers: { 'Retry-After': '30' }, body: 'slow down' },
    );
    expect(await notifier.send(message, dest(), ctx())).toEqual({
      status: 'failed_temporary',
      reason: 'HTTP 500: internal error',
      statusCode: 500,
    });
    expect(await notifier.send(message, dest(), ctx())).toEqual({
      status: 'failed_permanent',
      reason: 'HTTP 404: no such hook',
      statusCode: 404,
    });
    expect(await notifier.send(message, dest(), ctx())).toEqual({
      status: 'failed_temporary',
      reason: 'HTTP 429: slow down',
      statusCode: 429,
      retryAfterMs: 30_000,
    });
  });

  it('a target that never answers is a temporary failure that may have been delivered', async () => {
    receiver.script({ never: true });
    const outcome = await notifier.send(message, dest(), ctx({ timeoutMs: 200 }));
    expect(outcome).toMatchObject({ status: 'failed_temporary', maybeDelivered: true });
    expect(outcome.status === 'failed_temporary' && outcome.reason).toMatch(/timed out/);
  });

  it('a destination the outbound policy refuses fails permanently without a request', async () => {
    const strict = ctx({ http: createHttpSender({ allowPrivate: false, allow: [] }) });
    const outcome = await notifier.send(message, dest(), strict);
    expect(outcome.status).toBe('failed_permanent');
    expect(outcome.status === 'failed_permanent' && outcome.reason).toMatch(/127\.0\.0\.1 is a loopback/);
    expect(receiver.connections).toBe(0);
  });

  it('declares at-least-once re-sends and status updates', () => {
    expect(notifier.capabilities).toEqual({
      statusUpdates: true,
      interactiveAck: false,
      resendWhenUnknown: true,
    });
    expect(notifier.secretKeys).toEqual(['signingSecret', 'previousSigningSecret', 'authorization']);
  });
});

describe('webhook destination check', () => {
  const check = (over: Partial<Destination>) =>
    checkWebhookDestination({
      kind: 'webhook',
      address: 'https://hooks.example.com/x',
      config: {},
      secrets: {},
      ...over,
    });

  it('accepts a plain https URL with headers and secrets', () => {
    expect(
      check({
        config: { headers: { 'X-Team': 'payments' } },
        secrets: { signingSecret: 'whsec_0123456789abcdef', previousSigningSecret: 'whsec_old_0123456789' },
      }),
    ).toEqual([]);
  });

  it('points at each problem', () => {
    expect(check({ address: 'ftp://x/' })).toEqual([
      { pointer: '/address', detail: 'must be an http or https URL' },
    ]);
    expect(check({ address: '' })).toEqual([{ pointer: '/address', detail: 'a URL is required' }]);
    expect(check({ address: 'https://u:p@x.example/' })[0]?.detail).toMatch(/credentials/);
    expect(
      check({
        config: {
          headers: {
            'Idempotency-Key': 'x',
            Authorization: 'Bearer x',
            'X-Siaga-Signature': 'x',
            'Bad Name': 'x',
            'X-Split': 'a\r\nX-Injected: 1',
            'X-Num': 5,
          },
        },
      }).map((p) => p.pointer),
    ).toEqual([
      '/config/headers/Idempotency-Key',
      '/config/headers/Authorization',
      '/config/headers/X-Siaga-Signature',
      '/config/headers/Bad Name',
      '/config/headers/X-Split',
      '/config/headers/X-Num',
    ]);
    expect(check({ config: { headers: ['x'] } })).toEqual([
      { pointer: '/config/headers', detail: 'must be an object of header names to values' },
    ]);
    expect(check({ secrets: { signingSecret: 'short' } })).toEqual([
      { pointer: '/secrets/signingSecret', detail: 'must be at least 16 characters' },
    ]);
    expect(check({ secrets: { previousSigningSecret: 'whsec_old_0123456789' } })[0]?.pointer).toBe(
      '/secrets/previousSigningSecret',
    );
  });
});
