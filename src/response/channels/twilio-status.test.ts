import { describe, expect, it } from 'vitest';
import {
  classifyTwilioStatus,
  parseTwilioStatusCallback,
  twilioFailureReason,
  twilioStatusCallbackUrl,
} from './twilio-status.ts';

const MESSAGE = 'SM0123456789abcdef0123456789abcdef';
const CALL = 'CA0123456789abcdef0123456789abcdef';

describe('Twilio status callbacks', () => {
  it('reads a message status callback as Twilio documents it', () => {
    // The form Twilio posts for an SMS that the carrier could not deliver.
    const form = {
      AccountSid: 'AC0123456789abcdef0123456789abcdef',
      ApiVersion: '2010-04-01',
      ErrorCode: '30003',
      From: '+15005550006',
      MessageSid: MESSAGE,
      MessageStatus: 'undelivered',
      SmsSid: MESSAGE,
      SmsStatus: 'undelivered',
      To: '+4915112345678',
    };
    expect(parseTwilioStatusCallback(form)).toEqual({
      channel: 'sms',
      sid: MESSAGE,
      status: 'undelivered',
      errorCode: '30003',
    });
    // Older integrations send only the Sms* names.
    expect(parseTwilioStatusCallback({ SmsSid: MESSAGE, SmsStatus: 'sent' })).toEqual({
      channel: 'sms',
      sid: MESSAGE,
      status: 'sent',
    });
  });

  it('reads a call status callback', () => {
    expect(
      parseTwilioStatusCallback({
        CallSid: CALL,
        CallStatus: 'no-answer',
        CallDuration: '0',
        Direction: 'outbound-api',
      }),
    ).toEqual({ channel: 'voice', sid: CALL, status: 'no-answer' });
  });

  it('refuses forms that are not status callbacks, or carry values that are no SID or status', () => {
    expect(parseTwilioStatusCallback({})).toBeUndefined();
    expect(parseTwilioStatusCallback({ From: '+15005550006', Body: 'a 42' })).toBeUndefined(); // an SMS reply
    expect(parseTwilioStatusCallback({ MessageSid: MESSAGE })).toBeUndefined();
    expect(parseTwilioStatusCallback({ MessageSid: 'SM1', MessageStatus: 'sent' })).toBeUndefined();
    expect(
      parseTwilioStatusCallback({ MessageSid: MESSAGE, MessageStatus: 'sent; drop table' }),
    ).toBeUndefined();
    expect(parseTwilioStatusCallback({ CallSid: CALL, CallStatus: '' })).toBeUndefined();
  });

  it('normalises the status and keeps only a real error code', () => {
    expect(
      parseTwilioStatusCallback({ MessageSid: MESSAGE, MessageStatus: ' Delivered ', ErrorCode: '0' }),
    ).toEqual({
      channel: 'sms',
      sid: MESSAGE,
      status: 'delivered',
    });
    expect(
      parseTwilioStatusCallback({ MessageSid: MESSAGE, MessageStatus: 'failed', ErrorCode: 'x' })?.errorCode,
    ).toBeUndefined();
  });

  it('ranks an SMS from queued to a final status, failing only undelivered, failed and canceled', () => {
    const sms = (s: string) => classifyTwilioStatus('sms', s);
    expect(['accepted', 'queued', 'sending', 'sent'].map((s) => sms(s)!.rank)).toEqual([0, 1, 2, 3]);
    expect(['accepted', 'queued', 'sending', 'sent'].some((s) => sms(s)!.final)).toBe(false);
    expect(sms('delivered')).toMatchObject({ final: true, failed: false });
    for (const s of ['undelivered', 'failed', 'canceled'])
      expect(sms(s)).toMatchObject({ final: true, failed: true });
    expect(sms('delivered')!.rank).toBeGreaterThan(sms('sent')!.rank);
    expect(sms('no-answer')).toBeUndefined(); // a call status
    expect(sms('toString')).toBeUndefined(); // not an inherited property
  });

  it('fails a call that was busy, not answered, failed or canceled; completed means answered', () => {
    const voice = (s: string) => classifyTwilioStatus('voice', s);
    expect(['queued', 'initiated', 'ringing', 'in-progress'].map((s) => voice(s)!.rank)).toEqual([
      1, 2, 3, 4,
    ]);
    expect(voice('completed')).toMatchObject({ final: true, failed: false });
    for (const s of ['busy', 'no-answer', 'failed', 'canceled'])
      expect(voice(s)).toMatchObject({ final: true, failed: true });
    expect(voice('undelivered')).toBeUndefined();
  });

  it('says in the delivery log what went wrong, with the error code when Twilio gave one', () => {
    expect(twilioFailureReason('sms', 'undelivered', '30003')).toBe(
      'Twilio reported undelivered: the carrier could not deliver the SMS (error 30003)',
    );
    expect(twilioFailureReason('voice', 'busy', undefined)).toBe('Twilio reported busy: the line was busy');
  });

  it('names the delivery in the callback URL', () => {
    const base = 'https://siaga.example.com/api/v1/callbacks/twilio/status';
    expect(twilioStatusCallbackUrl(base, 'dlv_01ABC')).toBe(`${base}?delivery=dlv_01ABC`);
    expect(twilioStatusCallbackUrl(`${base}?x=1`, 'dlv_01ABC')).toBe(`${base}?x=1&delivery=dlv_01ABC`);
  });
});
