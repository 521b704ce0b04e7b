import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
import { createTwilioVoiceNotifier, voiceTwiml } from './twilio-voice.ts';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-auth-token';
const FROM = '+15005550006';
const TO = '+4915112345678';
const PUBLIC_URL = 'https://siaga.example.com/';

let twilio: FakeTwilio;
beforeEach(async () => {
  twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
});
afterEach(() => twilio.close());

const dest = { kind: 'voice' as const, address: TO, config: {}, secrets: {} };
const notifier = (statusCallbackUrl?: string) =>
  createTwilioVoiceNotifier({
    baseUrl: twilio.baseUrl,
    accountSid: SID,
    authToken: TOKEN,
    from: FROM,
    publicUrl: PUBLIC_URL,
    ...(statusCallbackUrl ? { statusCallbackUrl } : {}),
  });

describe('Twilio voice notifier', () => {
  it('places a call with inline TwiML: the incident, then press 1 to acknowledge or 2 to resolve', async () => {
    const outcome = await notifier().send(pageMessage(), dest, sendContext(createSimpleHttpSender()));
    expect(outcome).toEqual({ status: 'sent', providerMessageId: twilio.calls[0]!.sid, statusCode: 201 });
    expect(twilio.calls[0]!.sid).toMatch(/^CA[0-9a-f]{32}$/);

    const [req] = twilio.requests;
    expect(req!.path).toBe(`/2010-04-01/Accounts/${SID}/Calls.json`);
    expect(req!.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    expect(req!.form.To).toBe(TO);
    expect(req!.form.From).toBe(FROM);
    expect(req!.form.Twiml).toBe(
      '<Response><Gather numDigits="1" action="https://siaga.example.com/api/v1/callbacks/twilio/voice?token=ack-token-1&amp;rtoken=res-token-1" method="POST">' +
        '<Say>This is Siaga. Critical incident 42 on payments: Checkout error rate above 5%. Press 1 to acknowledge, 2 to resolve.</Say>' +
        '</Gather><Say>No input received. Goodbye.</Say></Response>',
    );
    expect(req!.form.StatusCallback).toBeUndefined();
  });

  it('asks Twilio to report how the call ended, naming the delivery, when status callbacks are on', async () => {
    const n = notifier('https://siaga.example.com/api/v1/callbacks/twilio/status');
    await n.send(pageMessage(), dest, sendContext(createSimpleHttpSender()));
    expect(twilio.calls[0]!.statusCallback).toBe(
      'https://siaga.example.com/api/v1/callbacks/twilio/status?delivery=dlv_01JTESTDELIVERY0000000000',
    );
  });

  it('XML-escapes the title and service and URL-encodes the tokens', () => {
    const message = pageMessage({
      incident: testIncident({ title: 'Latency <p99> & "errors" </Say><Hangup/>', serviceName: "o'reilly" }),
      actions: {
        acknowledge: { url: 'https://x/a', token: 'a&b=c"d' },
        resolve: { url: 'https://x/r', token: 'r/+?' },
      },
    });
    const twiml = voiceTwiml(message, PUBLIC_URL);
    expect(twiml).toContain(
      '<Say>This is Siaga. Critical incident 42 on o&apos;reilly: Latency &lt;p99&gt; &amp; &quot;errors&quot; &lt;/Say&gt;&lt;Hangup/&gt;.',
    );
    expect(twiml).not.toContain('<Hangup/>');
    expect(twiml).toContain('?token=a%26b%3Dc%22d&amp;rtoken=r%2F%2B%3F"');
  });

  it('says an update without a keypress menu, and reads a verification code digit by digit', () => {
    expect(voiceTwiml(statusMessage('resolved'), PUBLIC_URL)).toBe(
      '<Response><Say>This is Siaga. Resolved: critical incident 42 on payments: Checkout error rate above 5%.</Say></Response>',
    );
    const verification: OutboundMessage = {
      id: 'dlv_v',
      kind: 'verification',
      event: 'notice',
      subject: 'Your Siaga verification code is 493028',
      text: '',
      createdAt: NOW,
    };
    expect(voiceTwiml(verification, PUBLIC_URL)).toBe(
      '<Response><Say>This is Siaga. Your Siaga verification code is 4 9 3 0 2 8</Say></Response>',
    );
  });

  it('classifies Twilio errors like SMS: invalid number permanent, rate limit temporary', async () => {
    twilio.answerNext(twilioError(400, 21211, "The 'To' number +1555 is not a valid phone number."));
    expect(await notifier().send(pageMessage(), dest, sendContext(createSimpleHttpSender()))).toMatchObject({
      status: 'failed_permanent',
      statusCode: 400,
    });
    twilio.answerNext({ ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'retry-after': '5' } });
    expect(await notifier().send(pageMessage(), dest, sendContext(createSimpleHttpSender()))).toMatchObject({
      status: 'failed_temporary',
      retryAfterMs: 5_000,
    });
    expect(twilio.calls).toHaveLength(0);
  });

  it('is never re-sent on an unknown outcome and takes no status updates', () => {
    expect(notifier().capabilities).toEqual({
      statusUpdates: false,
      interactiveAck: true,
      resendWhenUnknown: false,
    });
    expect(notifier().kind).toBe('voice');
  });
});
