import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  randomBytes,
  verify,
  type ECDH,
} from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Web Push service (RFC 8030) on 127.0.0.1, playing the browser too: `subscribe()` makes a subscription with real
 * P-256 keys, so the test can decrypt what was pushed (RFC 8291, aes128gcm). Requests must carry VAPID
 * (`Authorization: vapid t=<JWT>, k=<public key>`, RFC 8292) with a valid ES256 signature and this service's origin
 * as `aud`, `Content-Encoding: aes128gcm` and `TTL`, as real push services require. Answers 201 with a `Location`;
 * 404/410 for an expired subscription; scriptable otherwise. Every request is recorded, headers and raw body.
 */
export interface PushSubscription {
  readonly endpoint: string;
  readonly keys: { readonly p256dh: string; readonly auth: string };
}

export interface VapidClaims {
  readonly header: Record<string, unknown>;
  readonly payload: { readonly aud?: unknown; readonly exp?: unknown; readonly sub?: unknown };
  /** The `k=` public key, base64url. */
  readonly publicKey: string;
  /** The JWT's ES256 signature checks out with `publicKey`. */
  readonly signatureValid: boolean;
}

export interface PushRequest {
  readonly id: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Parsed from `Authorization`, when it was a VAPID header. */
  readonly vapid: VapidClaims | undefined;
}

export interface PushAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface FakePushService {
  readonly origin: string;
  readonly requests: PushRequest[];
  /** A new browser subscription whose endpoint is `{origin}/push/<id>`. */
  subscribe(): PushSubscription;
  /** The subscription is gone: its endpoint answers `status` (410 Gone by default, 404 as some services do). */
  expire(endpoint: string, status?: 404 | 410): void;
  /** Queues an answer for the next request, before any checks. */
  answerNext(answer: PushAnswer): void;
  /** The plaintext of a recorded request, decrypted with the subscription's private key and auth secret. */
  decrypt(request: PushRequest): string;
  close(): Promise<void>;
}

interface Browser {
  readonly ecdh: ECDH;
  readonly auth: Buffer;
}

export async function startFakePushService(): Promise<FakePushService> {
  const requests: PushRequest[] = [];
  const browsers = new Map<string, Browser>();
  const expired = new Map<string, number>();
  const script: PushAnswer[] = [];
  let origin = '';
  let counter = 0;

  function check(req: PushRequest): PushAnswer {
    const scripted = script.shift();
    if (scripted) return scripted;
    const gone = expired.get(req.id);
    if (gone !== undefined || !browsers.has(req.id))
      return { status: gone ?? 404, body: 'subscription not found' };
    const v = req.vapid;
    if (!v || !v.signatureValid) return { status: 401, body: 'VAPID signature missing or invalid' };
    if (v.payload.aud !== origin)
      return { status: 403, body: 'VAPID aud does not match the push service origin' };
    if (typeof v.payload.exp !== 'number' || v.payload.exp * 1000 <= Date.now()) {
      return { status: 403, body: 'VAPID token expired' };
    }
    if (req.headers['content-encoding'] !== 'aes128gcm') return { status: 415, body: 'aes128gcm required' };
    if (req.headers.ttl === undefined) return { status: 400, body: 'TTL header required' };
    return { status: 201, headers: { location: `${origin}/message/${++counter}` } };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = /^\/push\/([^/?]+)$/.exec(req.url ?? '')?.[1] ?? '';
      const recorded: PushRequest = {
        id,
        headers: req.headers,
        body: Buffer.concat(chunks),
        vapid: parseVapid(req.headers.authorization),
      };
      requests.push(recorded);
      const a = req.method === 'POST' ? check(recorded) : { status: 405 };
      res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    requests,
    subscribe() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const id = randomBytes(12).toString('base64url');
      browsers.set(id, { ecdh, auth });
      return {
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      };
    },
    expire(endpoint, status = 410) {
      expired.set(endpoint.slice(endpoint.lastIndexOf('/') + 1), status);
    },
    answerNext: (a) => void script.push(a),
    decrypt(request) {
      const browser = browsers.get(request.id);
      if (!browser) throw new Error(`no subscription ${request.id}`);
      return decryptAes128gcm(request.body, browser.ecdh, browser.auth).toString('utf8');
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `vapid t=<JWT>, k=<key>` → the JWT's parts and whether its ES256 signature verifies with the key. */
export function parseVapid(authorization: string | undefined): VapidClaims | undefined {
  const m = /^vapid\s+t=([^,\s]+)\s*,\s*k=([A-Za-z0-9_-]+)$/i.exec(authorization ?? '');
  if (!m) return undefined;
  const [token, publicKey] = [m[1]!, m[2]!];
  const [h = '', p = '', s = ''] = token.split('.');
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as VapidClaims['payload'];
    const point = Buffer.from(publicKey, 'base64url');
    const key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33, 65).toString('base64url'),
      },
      format: 'jwk',
    });
    const signatureValid =
      header.alg === 'ES256' &&
      verify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        { key, dsaEncoding: 'ieee-p1363' },
        Buffer.from(s, 'base64url'),
      );
    return { header, payload, publicKey, signatureValid };
  } catch {
    return undefined;
  }
}

/**
 * RFC 8291 §3.4 / RFC 8188, one record: header `salt(16) | rs(4) | idlen(1) | keyid (the sender's ephemeral public
 * key)`, then AES-128-GCM with a key and nonce derived from the ECDH secret and the subscription's auth secret.
 */
export function decryptAes128gcm(body: Buffer, browser: ECDH, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const senderPublic = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  const ecdhSecret = browser.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), browser.getPublicKey(), senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('aes128gcm: missing last-record delimiter');
  return padded.subarray(0, end);
}
