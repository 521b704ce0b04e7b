import type { FieldError } from '../../platform/errors.ts';
import type { ContactKind } from './model.ts';

/** Web push subscription keys, as the browser's `PushSubscription.toJSON().keys` gives them. */
export interface PushKeys {
  readonly p256dh: string;
  readonly auth: string;
}

export interface AddressInput {
  readonly kind: ContactKind;
  readonly address: string;
  readonly keys?: PushKeys | undefined;
}

export type CheckedAddress =
  | { readonly ok: true; readonly address: string; readonly keys?: PushKeys }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

export const MAX_ADDRESS_LENGTH = 2048;

// The `email` format of ajv-formats (the one the rest of the API uses), which also refuses spaces and line breaks.
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const E164 = /^\+[1-9]\d{6,14}$/;
/** What people type between the digits of a phone number; dropped before checking. */
const PHONE_SEPARATORS = /[\s().-]/g;
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const TELEGRAM_CHAT = /^-?[1-9]\d{0,19}$/;
// Telegram public usernames: 5 to 32 characters, a letter first.
const TELEGRAM_CHANNEL = /^@[A-Za-z][A-Za-z0-9_]{4,31}$/;
const NTFY_TOPIC = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

const bad = (pointer: string, detail: string): CheckedAddress => ({
  ok: false,
  errors: [{ pointer, detail }],
});

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function base64urlBytes(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  return Buffer.from(text.replace(/=+$/, ''), 'base64url');
}

/**
 * Checks and normalises an address for its kind (no network). E-mail is lower-cased, phone separators are dropped,
 * the rest is trimmed; pointers are into the request body (`/address`, `/keys/p256dh`).
 */
export function checkAddress(input: AddressInput): CheckedAddress {
  const raw = input.address.trim();
  if (raw.length === 0) return bad('/address', 'must not be empty');
  if (raw.length > MAX_ADDRESS_LENGTH)
    return bad('/address', `must have at most ${MAX_ADDRESS_LENGTH} characters`);
  if (input.keys !== undefined && input.kind !== 'push')
    return bad('/keys', 'only web push contact methods have keys');
  switch (input.kind) {
    case 'email': {
      const address = raw.toLowerCase();
      return address.length <= 254 && EMAIL.test(address)
        ? { ok: true, address }
        : bad('/address', 'must be an e-mail address such as alice@example.com');
    }
    case 'sms':
    case 'voice': {
      const address = raw.replace(PHONE_SEPARATORS, '');
      return E164.test(address)
        ? { ok: true, address }
        : bad('/address', 'must be a phone number in E.164 form: + and country code, e.g. +14155550123');
    }
    case 'slack_dm':
      return SLACK_USER.test(raw)
        ? { ok: true, address: raw }
        : bad('/address', 'must be a Slack member id such as U024BE7LH (profile → ⋮ → Copy member ID)');
    case 'telegram':
      return TELEGRAM_CHAT.test(raw) || TELEGRAM_CHANNEL.test(raw)
        ? { ok: true, address: raw }
        : bad('/address', 'must be a Telegram chat id (an integer such as 123456789) or a @channelname');
    case 'ntfy':
      return checkNtfy(raw);
    case 'webhook': {
      const url = parseUrl(raw);
      return url && (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== ''
        ? { ok: true, address: url.href }
        : bad('/address', 'must be an http:// or https:// URL');
    }
    case 'push':
      return checkPush(raw, input.keys);
  }
}

function checkNtfy(raw: string): CheckedAddress {
  if (NTFY_TOPIC.test(raw)) return { ok: true, address: raw };
  const url = parseUrl(raw);
  const topic = url?.pathname.split('/').at(-1) ?? '';
  if (
    (url?.protocol !== 'https:' && url?.protocol !== 'http:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== '' ||
    !NTFY_TOPIC.test(topic)
  )
    return bad(
      '/address',
      'must be an ntfy topic (letters, digits, _ and -, up to 64) or a URL ending in the topic, e.g. https://ntfy.example.com/alice-pages',
    );
  return { ok: true, address: url.href };
}

function checkPush(raw: string, keys: PushKeys | undefined): CheckedAddress {
  const errors: FieldError[] = [];
  const url = parseUrl(raw);
  if (url?.protocol !== 'https:')
    errors.push({ pointer: '/address', detail: 'must be the https:// endpoint of the push subscription' });
  if (keys === undefined) {
    errors.push({ pointer: '/keys', detail: 'web push needs the subscription keys p256dh and auth' });
  } else {
    // p256dh is an uncompressed P-256 point (65 bytes, 0x04 first); auth is a 16-byte secret (RFC 8291).
    const p256dh = base64urlBytes(keys.p256dh);
    if (p256dh?.length !== 65 || p256dh[0] !== 0x04)
      errors.push({
        pointer: '/keys/p256dh',
        detail: 'must be the base64url P-256 public key of the subscription (65 bytes)',
      });
    if (base64urlBytes(keys.auth)?.length !== 16)
      errors.push({
        pointer: '/keys/auth',
        detail: 'must be the base64url auth secret of the subscription (16 bytes)',
      });
  }
  if (errors.length > 0 || url === undefined || keys === undefined) return { ok: false, errors };
  return { ok: true, address: url.href, keys: { p256dh: keys.p256dh, auth: keys.auth } };
}
