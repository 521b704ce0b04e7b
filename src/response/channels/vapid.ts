import { createECDH } from 'node:crypto';

/**
 * The operator's VAPID key pair (RFC 8292): it identifies this Siaga to the browsers' push services, and every
 * subscription is bound to the public key it was made with. So the keys are configuration
 * (`notify.webPush.publicKey`, `notify.webPush.privateKey`, `notify.webPush.subject`), generated once with
 * `generateVapidKeys()` and kept; a new pair silently made at start would orphan every browser's subscription.
 */
export interface VapidKeys {
  /** Uncompressed P-256 point, base64url (65 bytes): what the browser passes to `pushManager.subscribe`. */
  readonly publicKey: string;
  /** P-256 private scalar, base64url (32 bytes). */
  readonly privateKey: string;
  /** Who push services contact about this sender: `mailto:ops@example.com` or an `https:` URL. */
  readonly subject: string;
}

/** A P-256 key pair as VAPID wants it: the uncompressed public point and the private scalar, base64url. */
export function generateVapidKeys(): { readonly publicKey: string; readonly privateKey: string } {
  const ecdh = createECDH('prime256v1');
  const publicKey = ecdh.generateKeys();
  // getPrivateKey() drops leading zero bytes; VAPID wants exactly 32.
  const privateKey = Buffer.alloc(32);
  const raw = ecdh.getPrivateKey();
  raw.copy(privateKey, 32 - raw.length);
  return { publicKey: publicKey.toString('base64url'), privateKey: privateKey.toString('base64url') };
}

export interface VapidProblem {
  readonly field: 'publicKey' | 'privateKey' | 'subject';
  readonly detail: string;
}

/** Everything wrong with a configured key pair and subject; empty when push can be signed with them. */
export function checkVapidKeys(keys: Partial<VapidKeys>): VapidProblem[] {
  const problems: VapidProblem[] = [];
  const publicKey = decode(keys.publicKey);
  const privateKey = decode(keys.privateKey);
  if (!publicKey || publicKey.length !== 65 || publicKey[0] !== 0x04) {
    problems.push({
      field: 'publicKey',
      detail: 'must be a base64url P-256 public key (65 bytes), as generated',
    });
  }
  if (!privateKey || privateKey.length !== 32) {
    problems.push({
      field: 'privateKey',
      detail: 'must be a base64url P-256 private key (32 bytes), as generated',
    });
  }
  if (problems.length === 0 && publicKey && privateKey && !matches(publicKey, privateKey)) {
    problems.push({ field: 'publicKey', detail: 'does not belong to the private key' });
  }
  const subjectProblem = subjectProblemOf(keys.subject);
  if (subjectProblem) problems.push({ field: 'subject', detail: subjectProblem });
  return problems;
}

function subjectProblemOf(subject: string | undefined): string | undefined {
  if (!subject)
    return 'is required: a mailto: address or an https: URL where push services can reach the operator';
  let url: URL;
  try {
    url = new URL(subject);
  } catch {
    return 'must be a mailto: address or an https: URL';
  }
  if (url.protocol === 'mailto:')
    return url.pathname.includes('@') ? undefined : 'must name an e-mail address';
  if (url.protocol !== 'https:') return 'must be a mailto: address or an https: URL';
  // Apple's push service refuses a localhost subject (BadJwtToken).
  if (url.hostname === 'localhost') return 'must not point to localhost: push services refuse it';
  return undefined;
}

function decode(value: string | undefined): Buffer | undefined {
  if (value === undefined || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
  return Buffer.from(value, 'base64url');
}

function matches(publicKey: Buffer, privateKey: Buffer): boolean {
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(privateKey);
    return ecdh.getPublicKey().equals(publicKey);
  } catch {
    return false;
  }
}
