import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboundError, type HttpSender } from '../../platform/net/outbound.ts';
import {
  NOW,
  pageMessage,
  sendContext,
  statusMessage,
  testIncident,
} from '../../../test/harness/providers/messages.ts';
import { createSimpleHttpSender } from '../../../test/harness/providers/simple-http-sender-twilio.ts';
import { startFakeTwilio, twilioError, type FakeTwilio } from '../../../test/harness/providers/twilio.ts';
import type { OutboundMessage } from './notifier.ts';
import { createTwilioSmsNotifier, smsText } from './twilio-sms.ts';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-auth-token';
const FROM = '+15005550006';
const TO = '+4915112345678';

let twilio: FakeTwilio;
beforeEach(async () => {
  twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
});
afterEach(() => twilio.close());

const dest = (address = TO) => ({ kind: 'sms' as const, address, config: {}, secrets: {} });

function notifier(over: { authToken?: string; statusCallbackUrl?: string } = {}) {
  return createTwilioSmsNotifier({
    baseUrl: twilio.baseUrl,
    accountSid: SID,
    authToken: over.authToken ?? TOKEN,
    from: FROM,
    ...(over.statusCallbackUrl ? { statusCallbackUrl: over.statusCallbackUrl } : {}),
  });
}

const send = (
  message: OutboundMessage = pageMessage(),
  http: HttpSender = createSimpleHttpSender(),
  address = TO,
) => notifier().send(message, dest(address), sendContext(http));

describe('Twilio SMS notifier', () => {
  it('posts the text form-encoded with Basic auth and records the message sid', async () => {
    const n = notifier({ statusCallbackUrl: 'https://siaga.example.com/api/v1/callbacks/twilio/status' });
    const outcome = await n.send(pageMessage(), dest(), sendContext(createSimpleHttpSender()));
    expect(outcome).toEqual({ status: 'sent', providerMessageId: twilio.messages[0]!.sid, statusCode: 201 });
    expect(twilio.messages[0]!.sid).toMatch(/^SM[0-9a-f]{32}$/);

    const [req] = twilio.requests;
    expect(req!.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(req!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(req!.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    expect(req!.form).toEqual({
      To: TO,
      From: FROM,
      Body: 'Siaga #42 CRITICAL payments: Checkout error rate above 5% - reply "a 42" to acknowledge, "r 42" to resolve',
      // The delivery id in the callback URL finds the delivery when Twilio reports on it.
      StatusCallback:
        'https://siaga.example.com/api/v1/callbacks/twilio/status?delivery=dlv_01JTESTDELIVERY0000000000',
    });
  });

  it('keeps a long title to one 160-character segment without cutting the reply hint', () => {
    const text = smsText(pageMessage({ incident: testIncident({ title: 'Very long title '.repeat(20) }) }));
    expect(text.length).toBeLessThanOrEqual(160);
    expect(text).toMatch(/^Siaga #42 CRITICAL payments: Very long title Very/);
    expect(text).toMatch(/\.\.\. - reply "a 42" to acknowledge, "r 42" to resolve$/);
    // GSM-7 only: no em dash or ellipsis that would turn the text into 70-character UCS-2 segments.
    expect(text).toMatch(/^[\x20-\x7e]*$/);
  });

  it('writes updates and messages about no incident without a reply hint', () => {
    expect(smsText(statusMessage('resolved'))).toBe(
      'Siaga #42 RESOLVED payments: Checkout error rate above 5%',
    );
    const verification: OutboundMessage = {
      id: 'dlv_v',
      kind: 'verification',
      event: 'notice',
      subject: 'Your Siaga verification code is 493028',
      text: 'Enter the code in your profile.',
      createdAt: NOW,
    };
    expect(smsText(verification)).toBe('Siaga: Your Siaga verification code is 493028');
    expect(smsText(pageMessage({ incident: testIncident({ title: 'two\nlines' }) }))).toContain(
      ': two lines - reply',
    );
  });

  it("refuses an invalid number for good, with Twilio's code and message", async () => {
    const outcome = await send(pageMessage(), createSimpleHttpSender(), '+1555');
    expect(outcome).toMatchObject({ status: 'failed_permanent', statusCode: 400 });
    expect((outcome as { reason: string }).reason).toBe(
      "Twilio error 21211: The 'To' number +1555 is not a valid phone number. (HTTP 400)",
    );
  });

  it('treats wrong credentials as permanent', async () => {
    const outcome = await notifier({ authToken: 'wrong' }).send(
      pageMessage(),
      dest(),
      sendContext(createSimpleHttpSender()),
    );
    expect(outcome).toMatchObject({ status: 'failed_permanent', statusCode: 401 });
    expect((outcome as { reason: string }).reason).toContain('20003');
    expect(twilio.messages).toHaveLength(0);
  });

  it('retries 429 after Retry-After and 5xx, both temporary', async () => {
    twilio.answerNext({ ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'retry-after': '30' } });
    expect(await send()).toEqual({
      status: 'failed_temporary',
      reason: 'Twilio error 20429: Too Many Requests (HTTP 429)',
      retryAfterMs: 30_000,
      statusCode: 429,
    });
    // An HTTP-date is measured against the provider's own Date header, which cancels clock skew.
    twilio.answerNext({
      status: 503,
      headers: {
        date: new Date(NOW - 3_600_000).toUTCString(),
        'retry-after': new Date(NOW - 3_480_000).toUTCString(),
      },
    });
    expect(await send()).toMatchObject({
      status: 'failed_temporary',
      retryAfterMs: 120_000,
      statusCode: 503,
    });
    twilio.answerNext(twilioError(500, 20500, 'Internal Server Error'));
    const outcome = await send();
    expect(outcome).toMatchObject({ status: 'failed_temporary', statusCode: 500 });
    expect(outcome).not.toHaveProperty('retryAfterMs');
    expect(twilio.messages).toHaveLength(0);
    expect((await send()).status).toBe('sent');
  });

  it('reports a timeout after the request left as maybe delivered, and is never re-sent on an unknown outcome', async () => {
    const timingOut: HttpSender = {
      request: () => Promise.reject(new OutboundError('timeout', 'no answer in 5000 ms', true)),
    };
    expect(await send(pageMessage(), timingOut)).toMatchObject({
      status: 'failed_temporary',
      maybeDelivered: true,
    });
    const blocked: HttpSender = {
      request: () =>
        Promise.reject(new OutboundError('blocked', 'api.twilio.com resolves to a private address', false)),
    };
    expect(await send(pageMessage(), blocked)).toMatchObject({ status: 'failed_permanent' });
    expect(notifier().capabilities).toEqual({
      statusUpdates: false,
      interactiveAck: true,
      resendWhenUnknown: false,
    });
  });

  it('accepts only E.164 numbers as addresses', () => {
    const n = notifier();
    expect(n.check(dest('+4915112345678'))).toEqual([]);
    for (const bad of ['015112345678', '+0151123456', '+49 151 1234567', '+1234', '+1234567890123456', '']) {
      expect(n.check(dest(bad)), bad).toEqual([
        { pointer: '/address', detail: expect.stringContaining('E.164') },
      ]);
    }
  });
});
