import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EpochMs } from '../clock.ts';

/**
 * Siaga's webhook signature, both directions (inbound integrations verify it, the outgoing webhook channel
 * sends it), Stripe-style, so a leaked URL alone cannot page anyone or forge a notification.
 *
 * The sender sends `X-Siaga-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. While
 * a secret is being rotated it signs with each active secret and sends several `v1=` entries; the receiver
 * accepts when any of its secrets matches any entry. The timestamp is inside the MAC, so a captured request
 * replays only within the tolerance window (5 minutes), and the matched signature is returned as a nonce so
 * the caller can refuse a second delivery inside that window.
 *
 * The MAC covers the raw bytes as received: a body re-serialised by a proxy or a JSON parser no longer
 * matches, by design. `t` may also arrive in its own header (`timestampHeader`) for senders that cannot put
 * it in the signature header; both must agree when both are present.
 */

export const DEFAULT_SIGNATURE_TOLERANCE_MS = 300_000;
/** Rotation needs two; a handful more is harmless; hundreds would only burn CPU on HMACs. */
const MAX_SIGNATURES = 8;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const UNIX_SECONDS = /^\d{1,12}$/;

export interface VerifyWebhookInput {
  readonly rawBody: Buffer | string;
  /** The signature header (`t=…,v1=…`). */
  readonly header: string | undefined;
  /** A separate timestamp header (unix seconds), for senders that do not put `t=` in the signature header. */
  readonly timestampHeader?: string | undefined;
  /** The integration's active secrets, newest first; two while rotating. */
  readonly secrets: readonly string[];
  readonly now: EpochMs;
  readonly toleranceMs?: number | undefined;
}

export type VerifyWebhookResult =
  | { readonly ok: true; readonly nonce: string }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'stale' | 'mismatch' };

/**
 * Constant-time over each comparison. The signature is checked before the timestamp so that `stale` is only
 * ever reported for authentic messages (an old forgery is a `mismatch`), which keeps the logs meaningful.
 */
export function verifyWebhookSignature(input: VerifyWebhookInput): VerifyWebhookResult {
  const header = input.header?.trim();
  if (!header) return { ok: false, reason: 'missing' };
  const parsed = parseSignatureHeader(header, input.timestampHeader?.trim());
  if (!parsed) return { ok: false, reason: 'malformed' };
  const { t, signatures } = parsed;

  const nonce = matchingSignature(input.secrets, t, input.rawBody, signatures);
  if (nonce === undefined) return { ok: false, reason: 'mismatch' };
  const tolerance = input.toleranceMs ?? DEFAULT_SIGNATURE_TOLERANCE_MS;
  if (Math.abs(input.now - Number(t) * 1000) > tolerance) return { ok: false, reason: 'stale' };
  return { ok: true, nonce };
}

export const SIGNATURE_HEADER = 'X-Siaga-Signature';

/**
 * The header a sender puts on a request: `t=<t>,v1=<hex>`, with one `v1=` per secret (newest first) while a
 * secret is being rotated. `t` is unix seconds.
 */
export function signWebhook(secret: string | readonly string[], t: number, rawBody: Buffer | string): string {
  const secrets = (typeof secret === 'string' ? [secret] : secret).filter((s) => s !== '');
  if (secrets.length === 0) throw new TypeError('signWebhook: no secret');
  return [`t=${t}`, ...secrets.map((s) => `v1=${hmacHex(s, String(t), rawBody)}`)].join(',');
}

function parseSignatureHeader(
  header: string,
  timestampHeader: string | undefined,
): { t: string; signatures: string[] } | undefined {
  let t: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (t !== undefined) return undefined;
      t = value;
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return undefined;
      signatures.push(value.toLowerCase());
    }
    // Other schemes (v0, future v2) are ignored, so senders can add one before receivers understand it.
  }
  if (timestampHeader) {
    if (t !== undefined && t !== timestampHeader) return undefined;
    t = timestampHeader;
  }
  if (
    t === undefined ||
    !UNIX_SECONDS.test(t) ||
    signatures.length === 0 ||
    signatures.length > MAX_SIGNATURES
  ) {
    return undefined;
  }
  return { t, signatures };
}

function matchingSignature(
  secrets: readonly string[],
  t: string,
  rawBody: Buffer | string,
  signatures: readonly string[],
): string | undefined {
  for (const secret of secrets) {
    if (secret === '') continue;
    const expected = Buffer.from(hmacHex(secret, t, rawBody), 'hex');
    for (const signature of signatures) {
      if (timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return signature;
    }
  }
  return undefined;
}

function hmacHex(secret: string, t: string, rawBody: Buffer | string): string {
  return createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
}
