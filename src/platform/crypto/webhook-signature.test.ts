import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SECOND, epochMs } from '../clock.ts';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.ts';

const t = 1_795_000_000;
const body = '{"id":"dlv_1","event":"triggered","subject":"Checkout API down"}';

/** What a receiver following the documentation computes, independently of our code. */
const documented = (secret: string) => createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

describe('webhook signatures (shared by inbound integrations and the outgoing webhook channel)', () => {
  it('signs t and the raw body with HMAC-SHA256, one v1 per secret during rotation', () => {
    expect(signWebhook('new-secret', t, body)).toBe(`t=${t},v1=${documented('new-secret')}`);
    expect(signWebhook(['new-secret', 'old-secret'], t, Buffer.from(body))).toBe(
      `t=${t},v1=${documented('new-secret')},v1=${documented('old-secret')}`,
    );
    expect(() => signWebhook([''], t, body)).toThrow(/no secret/);
  });

  it('a receiver holding only the old secret still verifies a request signed during rotation', () => {
    const header = signWebhook(['new-secret', 'old-secret'], t, body);
    const now = epochMs(t * SECOND + 10 * SECOND);
    expect(verifyWebhookSignature({ rawBody: body, header, secrets: ['old-secret'], now })).toEqual({
      ok: true,
      nonce: documented('old-secret'),
    });
    expect(verifyWebhookSignature({ rawBody: `${body} `, header, secrets: ['old-secret'], now })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(
      verifyWebhookSignature({
        rawBody: body,
        header,
        secrets: ['old-secret'],
        now: epochMs(now + 301 * SECOND),
      }),
    ).toEqual({ ok: false, reason: 'stale' });
  });
});
