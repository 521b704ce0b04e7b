import { createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

export const KEY_BYTES = 32;

/** How to make a key, in messages. */
export const KEY_HINT = 'generate one with: openssl rand -base64 32';

/**
 * One 256-bit AES key. The material is held in a private field as a KeyObject, so neither JSON.stringify nor
 * util.inspect (hence no log line) can show it; only `encode()` reveals it, for writing the key file.
 */
export class SecretKey {
  /** First 8 hex characters of SHA-256 of the key: names the key in sealed values and output, reveals nothing. */
  readonly id: string;
  readonly #key: KeyObject;

  constructor(material: Buffer) {
    if (material.length !== KEY_BYTES) throw new Error(`a key must be ${KEY_BYTES} bytes`);
    this.#key = createSecretKey(Buffer.from(material));
    this.id = createHash('sha256').update(material).digest('hex').slice(0, 8);
  }

  static generate(): SecretKey {
    return new SecretKey(randomBytes(KEY_BYTES));
  }

  keyObject(): KeyObject {
    return this.#key;
  }

  /** Standard base64, as `openssl rand -base64 32` prints it. */
  encode(): string {
    return this.#key.export().toString('base64');
  }

  toJSON(): { id: string } {
    return { id: this.id };
  }
}

/**
 * Parses one key written as base64 or base64url of exactly 32 bytes (padding optional). The error message says
 * what is wrong without repeating any part of the text, which may be a real key with a typo.
 */
export function parseKey(text: string): SecretKey {
  const s = text.trim();
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(s) || s.length === 0) {
    throw new Error(
      `expected base64 or base64url of ${KEY_BYTES} random bytes, got text that is not base64; ${KEY_HINT}`,
    );
  }
  if (/^[0-9a-f]{64}$/i.test(s)) {
    throw new Error(
      `expected base64 or base64url of ${KEY_BYTES} random bytes, got 64 hex digits; ${KEY_HINT}`,
    );
  }
  const bytes = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  const canonical = bytes.toString('base64url');
  if (
    bytes.length !== KEY_BYTES ||
    canonical !== s.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
  ) {
    throw new Error(
      `expected base64 or base64url of ${KEY_BYTES} random bytes, got base64 of ${bytes.length} bytes; ${KEY_HINT}`,
    );
  }
  return new SecretKey(bytes);
}

/**
 * The value of SIAGA_SECRET_KEY (`secrets.key`): keys separated by commas (or a YAML list), the first one primary.
 * Repeated keys count once.
 */
export function parseKeyList(raw: unknown): readonly SecretKey[] {
  const items =
    typeof raw === 'string'
      ? raw.split(',')
      : Array.isArray(raw) && raw.every((x) => typeof x === 'string')
        ? raw
        : undefined;
  if (items === undefined) throw new Error(`expected one or more keys separated by commas; ${KEY_HINT}`);
  const texts = items.map((t) => t.trim()).filter((t) => t !== '');
  if (texts.length === 0) throw new Error(`expected one or more keys separated by commas; ${KEY_HINT}`);
  const keys: SecretKey[] = [];
  texts.forEach((t, i) => {
    let key: SecretKey;
    try {
      key = parseKey(t);
    } catch (e) {
      throw new Error(
        texts.length > 1 ? `key ${i + 1} of ${texts.length}: ${(e as Error).message}` : (e as Error).message,
        { cause: e },
      );
    }
    if (!keys.some((k) => k.id === key.id)) keys.push(key);
  });
  return keys;
}
