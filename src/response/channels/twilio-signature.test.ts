import { describe, expect, it } from 'vitest';
import { twilioSignature, verifyTwilioSignature } from './twilio-signature.ts';

// The example in Twilio's "Secure webhooks" documentation: auth token 12345, this URL, these POST parameters.
const AUTH_TOKEN = '12345';
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

describe('Twilio request signatures', () => {
  it("computes the signature of Twilio's documented example", () => {
    expect(twilioSignature(AUTH_TOKEN, URL, PARAMS)).toBe(SIGNATURE);
    // The older edition of the page, with other caller numbers.
    const older = { ...PARAMS, Caller: '+12349013030', From: '+12349013030' };
    expect(twilioSignature(AUTH_TOKEN, URL, older)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('sorts the parameters by name whatever their order', () => {
    const shuffled = {
      To: PARAMS.To,
      Digits: PARAMS.Digits,
      CallSid: PARAMS.CallSid,
      From: PARAMS.From,
      Caller: PARAMS.Caller,
    };
    expect(twilioSignature(AUTH_TOKEN, URL, shuffled)).toBe(SIGNATURE);
  });

  it('accepts the genuine signature and refuses any change to the URL, a parameter, the token or the signature', () => {
    const check = (over: Partial<Parameters<typeof verifyTwilioSignature>[0]>) =>
      verifyTwilioSignature({
        authToken: AUTH_TOKEN,
        url: URL,
        params: PARAMS,
        signature: SIGNATURE,
        ...over,
      });
    expect(check({})).toBe(true);
    expect(check({ params: { ...PARAMS, Digits: '1' } })).toBe(false);
    expect(check({ params: { ...PARAMS, Extra: '' } })).toBe(false);
    expect(check({ url: 'https://mycompany.com/myapp.php?foo=1&bar=3' })).toBe(false);
    expect(check({ url: 'http://mycompany.com/myapp.php?foo=1&bar=2' })).toBe(false);
    expect(check({ authToken: '54321' })).toBe(false);
    expect(check({ signature: SIGNATURE.toLowerCase() })).toBe(false);
    expect(check({ signature: `${SIGNATURE}=` })).toBe(false);
    expect(check({ signature: '' })).toBe(false);
    expect(check({ signature: undefined })).toBe(false);
    expect(check({ authToken: '' })).toBe(false);
  });

  it('accepts a signature made over the URL with or without the default port', () => {
    const withPort = 'https://mycompany.com:443/myapp.php?foo=1&bar=2';
    expect(
      verifyTwilioSignature({ authToken: AUTH_TOKEN, url: withPort, params: PARAMS, signature: SIGNATURE }),
    ).toBe(true);
    const signedWithPort = twilioSignature(AUTH_TOKEN, withPort, PARAMS);
    expect(
      verifyTwilioSignature({ authToken: AUTH_TOKEN, url: URL, params: PARAMS, signature: signedWithPort }),
    ).toBe(true);
    // Another port is another URL.
    const otherPort = 'https://mycompany.com:8443/myapp.php?foo=1&bar=2';
    expect(
      verifyTwilioSignature({ authToken: AUTH_TOKEN, url: otherPort, params: PARAMS, signature: SIGNATURE }),
    ).toBe(false);
  });

  it('round-trips a signature over non-ASCII text, as an SMS reply can carry', () => {
    const params = { Body: 'ack 42 ✅ ünd', From: '+4915112345678', MessageSid: 'SM1' };
    const url = 'https://siaga.example.com/api/v1/callbacks/twilio/sms';
    const signature = twilioSignature('token', url, params);
    expect(verifyTwilioSignature({ authToken: 'token', url, params, signature })).toBe(true);
    expect(
      verifyTwilioSignature({
        authToken: 'token',
        url,
        params: { ...params, Body: 'ack 43 ✅ ünd' },
        signature,
      }),
    ).toBe(false);
  });
});
