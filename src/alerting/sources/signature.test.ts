import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SECOND, epochMs } from '../../platform/clock.ts';
import { signWebhook, verifyWebhookSignature } from './signature.ts';

const t = 1_795_000_000; // unix seconds
const now = epochMs(t * SECOND);
const secret = 'whsec_current_0f4c2a';
const oldSecret = 'whsec_previous_9b17e3';
const json = '{"title":"Checkout API down","state":"DOWN","id":"chk_7f3a"}';
const rawBody = Buffer.from(json);

const verify = (overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
  verifyWebhookSignature({
    rawBody,
    header: signWebhook(secret, t, rawBody),
    secrets: [secret],
    now,
    ...overrides,
  });

describe('inbound webhook signatures', () => {
  it('accepts a request signed with the configured secret and returns the signature as replay nonce', () => {
    const header = signWebhook(secret, t, rawBody);
    const expected = createHmac('sha256', secret).update(`${t}.${json}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${expected}`);
    expect(verify({ header })).toEqual({ ok: true, nonce: expected });
  });

  it('refuses a request signed with another secret', () => {
    expect(verify({ header: signWebhook('whsec_attacker', t, rawBody) })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('refuses a body modified by one byte', () => {
    const tampered = Buffer.from(json.replace('DOWN', 'DOWM'));
    expect(verify({ rawBody: tampered })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a signature over the same JSON serialised differently (only the raw bytes count)', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(json), null, 2));
    expect(verify({ rawBody: reserialised })).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a timestamp more than 300 s away (a replay), accepts exactly 300 s', () => {
    expect(verify({ now: epochMs(now + 301 * SECOND) })).toEqual({ ok: false, reason: 'stale' });
    expect(verify({ now: epochMs(now - 301 * SECOND) })).toEqual({ ok: false, reason: 'stale' });
    expect(verify({ now: epochMs(now + 300 * SECOND) }).ok).toBe(true);
    expect(verify({ now: epochMs(now + 10 * 60 * SECOND), toleranceMs: 15 * 60 * SECOND }).ok).toBe(true);
  });

  it('reports an old forgery as a mismatch, not as stale', () => {
    const forged = signWebhook('whsec_attacker', t, rawBody);
    expect(verify({ header: forged, now: epochMs(now + 3_600 * SECOND) })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
  });

  it('during rotation accepts either secret, and a sender signing with both', () => {
    const secrets = [secret, oldSecret];
    expect(verify({ header: signWebhook(oldSecret, t, rawBody), secrets }).ok).toBe(true);
    expect(verify({ header: signWebhook(secret, t, rawBody), secrets }).ok).toBe(true);
    const both = `${signWebhook(oldSecret, t, rawBody)},v1=${signWebhook(secret, t, rawBody).split('v1=')[1]}`;
    const onlyNew = verify({ header: both, secrets: [secret] });
    expect(onlyNew).toEqual({ ok: true, nonce: signWebhook(secret, t, rawBody).split('v1=')[1] });
    // After the rotation ends the old secret alone no longer works.
    expect(verify({ header: signWebhook(oldSecret, t, rawBody), secrets: [secret] }).ok).toBe(false);
  });

  it('tells missing from malformed headers', () => {
    expect(verify({ header: undefined })).toEqual({ ok: false, reason: 'missing' });
    expect(verify({ header: '  ' })).toEqual({ ok: false, reason: 'missing' });
    const v1 = signWebhook(secret, t, rawBody).split(',')[1] ?? '';
    for (const header of [
      v1, // no timestamp
      `t=${t}`, // no signature
      `t=soon,${v1}`,
      `t=${t},v1=abc`,
      `t=${t},t=${t},${v1}`,
      'garbage',
      `t=${t},${Array.from({ length: 9 }, () => v1).join(',')}`,
    ]) {
      expect(verify({ header }), header).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('takes the timestamp from its own header when the signature header has none, and they must agree', () => {
    const v1 = signWebhook(secret, t, rawBody).split(',')[1];
    expect(verify({ header: v1, timestampHeader: String(t) }).ok).toBe(true);
    expect(verify({ header: signWebhook(secret, t, rawBody), timestampHeader: String(t + 1) })).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('ignores signature schemes it does not know, so senders can add one first', () => {
    expect(verify({ header: `${signWebhook(secret, t, rawBody)},v2=whatever` }).ok).toBe(true);
  });
});
