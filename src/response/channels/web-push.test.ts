import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboundError, type HttpSender } from '../../platform/net/outbound.ts';
import { NOW, pageMessage, sendContext, statusMessage } from '../../../test/harness/providers/messages.ts';
import {
  startFakePushService,
  type FakePushService,
  type PushSubscription,
} from '../../../test/harness/providers/push-service.ts';
import { createSimpleHttpSender } from '../../../test/harness/providers/simple-http-sender-twilio.ts';
import type { Destination } from './notifier.ts';
import { generateVapidKeys } from './vapid.ts';
import { createWebPushNotifier } from './web-push.ts';

const VAPID = { ...generateVapidKeys(), subject: 'mailto:oncall-admin@example.com' };

let push: FakePushService;
beforeEach(async () => {
  push = await startFakePushService();
});
afterEach(() => push.close());

const destination = (sub: PushSubscription): Destination => ({
  kind: 'push',
  address: sub.endpoint,
  config: {},
  secrets: { p256dh: sub.keys.p256dh, auth: sub.keys.auth },
});

const notifier = () => createWebPushNotifier({ vapid: VAPID });

describe('Web Push notifier', () => {
  it('pushes an encrypted page the browser can decrypt, signed with the operator VAPID key for the push origin', async () => {
    const sub = push.subscribe();
    const outcome = await notifier().send(
      pageMessage(),
      destination(sub),
      sendContext(createSimpleHttpSender()),
    );
    expect(outcome).toEqual({
      status: 'sent',
      providerMessageId: `${push.origin}/message/1`,
      statusCode: 201,
    });

    const [req] = push.requests;
    expect(req!.headers['content-encoding']).toBe('aes128gcm');
    expect(req!.headers['content-type']).toBe('application/octet-stream');
    expect(req!.headers.ttl).toBe('3600');
    expect(req!.headers.urgency).toBe('high');
    expect(req!.vapid).toMatchObject({
      publicKey: VAPID.publicKey,
      signatureValid: true,
      header: { alg: 'ES256', typ: 'JWT' },
      payload: { aud: push.origin, sub: VAPID.subject },
    });
    expect(req!.vapid!.payload.exp).toBeGreaterThan(Date.now() / 1000);
    // The payload travels encrypted: the service sees none of it.
    expect(req!.body.toString('latin1')).not.toContain('Checkout');

    expect(JSON.parse(push.decrypt(req!))).toEqual({
      title: '#42 Checkout error rate above 5%',
      body: 'Service: payments\nSeverity: critical\n3 alerts firing.',
      url: 'https://siaga.example.com/incidents/inc_01JTESTINCIDENT00000000000',
      tag: 'inc_01JTESTINCIDENT00000000000',
      actions: [
        { action: 'ack', title: 'Acknowledge' },
        { action: 'resolve', title: 'Resolve' },
      ],
      ackUrl: 'https://siaga.example.com/a/ack-token-1',
      resolveUrl: 'https://siaga.example.com/a/res-token-1',
    });
  });

  it('pushes a resolution under the same tag, without actions and at normal urgency', async () => {
    const sub = push.subscribe();
    expect(
      (
        await notifier().send(
          statusMessage('resolved'),
          destination(sub),
          sendContext(createSimpleHttpSender()),
        )
      ).status,
    ).toBe('sent');
    const [req] = push.requests;
    expect(req!.headers.urgency).toBe('normal');
    const payload = JSON.parse(push.decrypt(req!)) as Record<string, unknown>;
    expect(payload).toMatchObject({ tag: 'inc_01JTESTINCIDENT00000000000', actions: [] });
    expect(payload).not.toHaveProperty('ackUrl');
  });

  it('reports an expired subscription (410 or 404) as permanent and says to subscribe again', async () => {
    for (const status of [410, 404] as const) {
      const sub = push.subscribe();
      push.expire(sub.endpoint, status);
      const outcome = await notifier().send(
        pageMessage(),
        destination(sub),
        sendContext(createSimpleHttpSender()),
      );
      // The subscription itself is gone, not just this message: the contact method expires.
      expect(outcome).toMatchObject({
        status: 'failed_permanent',
        statusCode: status,
        destinationGone: true,
      });
      expect((outcome as { reason: string }).reason).toMatch(
        /expired or unsubscribed.*subscribe this browser again/,
      );
    }
  });

  it('retries 429 after Retry-After and 5xx; a VAPID refusal is permanent', async () => {
    const sub = push.subscribe();
    const send = () =>
      notifier().send(pageMessage(), destination(sub), sendContext(createSimpleHttpSender()));
    push.answerNext({ status: 429, headers: { 'retry-after': '120' } });
    expect(await send()).toMatchObject({
      status: 'failed_temporary',
      retryAfterMs: 120_000,
      statusCode: 429,
    });
    push.answerNext({ status: 502 });
    const unavailable = await send();
    expect(unavailable).toMatchObject({ status: 'failed_temporary', statusCode: 502 });
    expect(unavailable).not.toHaveProperty('destinationGone');
    push.answerNext({ status: 403, body: 'invalid JWT' });
    const refused = await send();
    expect(refused).toMatchObject({ status: 'failed_permanent', statusCode: 403 });
    // A refused message is not a gone subscription: the method stays as it is.
    expect(refused).not.toHaveProperty('destinationGone');
    expect((refused as { reason: string }).reason).toContain('VAPID');
    expect((await send()).status).toBe('sent');
  });

  it('refuses to start with a public key that does not belong to the private key', () => {
    const other = generateVapidKeys();
    expect(() => createWebPushNotifier({ vapid: { ...VAPID, publicKey: other.publicKey } })).toThrow(
      /notify\.webPush\.publicKey does not belong to the private key/,
    );
  });

  it('fails for good, without a request, when the subscription keys cannot be used to encrypt', async () => {
    const sub = push.subscribe();
    const broken = { ...destination(sub), secrets: { p256dh: 'BAAA', auth: sub.keys.auth } };
    const outcome = await notifier().send(pageMessage(), broken, sendContext(createSimpleHttpSender()));
    expect(outcome).toMatchObject({ status: 'failed_permanent' });
    expect((outcome as { reason: string }).reason).toMatch(/^cannot encrypt for this push subscription/);
    expect(push.requests).toHaveLength(0);
  });

  it('sends through the outbound policy: a blocked endpoint is permanent, a timeout temporary', async () => {
    const sub = push.subscribe();
    const seen: string[] = [];
    const blocked: HttpSender = {
      request: (req) => {
        seen.push(req.url);
        return Promise.reject(new OutboundError('blocked', '127.0.0.1 is a private address', false));
      },
    };
    expect(await notifier().send(pageMessage(), destination(sub), sendContext(blocked))).toMatchObject({
      status: 'failed_permanent',
    });
    expect(seen).toEqual([sub.endpoint]);
    const timingOut: HttpSender = {
      request: () => Promise.reject(new OutboundError('timeout', 'slow', true)),
    };
    expect(
      await notifier().send(pageMessage(), destination(sub), sendContext(timingOut, { now: NOW })),
    ).toMatchObject({
      status: 'failed_temporary',
      maybeDelivered: true,
    });
    expect(push.requests).toHaveLength(0);
  });

  it('checks a subscription at creation', () => {
    const n = notifier();
    const sub = push.subscribe();
    expect(n.check(destination(sub))).toEqual([]);
    expect(n.secretKeys).toEqual(['p256dh', 'auth']);
    expect(n.capabilities).toEqual({ statusUpdates: true, interactiveAck: true, resendWhenUnknown: true });
    const bad: Destination = {
      kind: 'push',
      address: 'ftp://push.example.com/x',
      config: {},
      secrets: { p256dh: 'AAAA', auth: 'not base64!' },
    };
    expect(n.check(bad).map((p) => p.pointer)).toEqual(['/address', '/secrets/p256dh', '/secrets/auth']);
  });
});
