import { describe, expect, it } from 'vitest';
import { SecretsError } from './errors.ts';
import { Keyring } from './keyring.ts';
import { createSecretBox, parseSealed, sealedKeyId } from './secret-box.ts';
import { SecretKey } from './secret-key.ts';

const ring = (...keys: SecretKey[]) => new Keyring(keys, { source: 'env' });
const AAD = 'sso_providers.client_secret:sso_01HZX';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

/** Flips one bit in the decoded bytes of part `index` (2 = iv, 3 = ciphertext, 4 = tag) of a sealed value. */
function flip(sealed: string, index: number, byte = 0): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[byte] = bytes[byte]! ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('SecretBox', () => {
  const a = SecretKey.generate();
  const box = createSecretBox(ring(a));

  it('opens what it sealed: text, unicode, the empty string, 64 KiB', () => {
    const big = 'x'.repeat(64 * 1024 - 7) + 'ünï😀';
    for (const plaintext of ['hunter2', 'パスワード 🔑 ünïcödé', '', big]) {
      const sealed = box.seal(plaintext, AAD);
      expect(box.open(sealed, AAD)).toBe(plaintext);
    }
  });

  it('writes v1.<keyId>.<iv>.<ciphertext>.<tag> in base64url, safe for a TEXT column', () => {
    const sealed = box.seal('hunter2', AAD);
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/);
    expect(sealedKeyId(sealed)).toBe(a.id);
    expect(parseSealed(sealed)?.iv).toHaveLength(12);
    expect(box.isSealedWithPrimary(sealed)).toBe(true);
    expect(box.isSealedWithPrimary('hunter2')).toBe(false);
    expect(box.seal('', AAD)).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.\.[A-Za-z0-9_-]{22}$/);
  });

  it('seals the same plaintext differently every time', () => {
    const seals = new Set(Array.from({ length: 50 }, () => box.seal('same', AAD)));
    expect(seals.size).toBe(50);
  });

  it('refuses to open a value under another AAD (copied to another row or column)', () => {
    const sealed = box.seal('hunter2', AAD);
    for (const other of ['sso_providers.client_secret:sso_01HZY', 'webhooks.signing_secret:sso_01HZX', '']) {
      const err = errorOf(() => box.open(sealed, other));
      expect(err).toBeInstanceOf(SecretsError);
      expect(err.message).toBe(
        `the secret for ${other} cannot be decrypted: it was altered, or it was sealed for another place`,
      );
    }
  });

  it('refuses a value with one flipped bit in the iv, the ciphertext or the tag, or a cut tag', () => {
    const sealed = box.seal('hunter2 and some more text', AAD);
    for (const tampered of [
      flip(sealed, 2),
      flip(sealed, 3),
      flip(sealed, 3, 10),
      flip(sealed, 4),
      flip(sealed, 4, 15),
    ]) {
      expect(tampered).not.toBe(sealed);
      expect(() => box.open(tampered, AAD)).toThrow(/cannot be decrypted: it was altered/);
    }
    const header = sealed.split('.');
    header[1] = SecretKey.generate().id;
    expect(() => box.open(header.join('.'), AAD)).toThrow(SecretsError);
    expect(() => box.open(sealed.slice(0, -2), AAD)).toThrow(/is not a sealed value/);
  });

  it('says which key is missing and where to add it', () => {
    const b = SecretKey.generate();
    const sealed = createSecretBox(ring(b)).seal('hunter2', AAD);
    expect(errorOf(() => box.open(sealed, AAD)).message).toBe(
      `the secret for ${AAD} was sealed with key ${b.id}, which is not in the keyring; add the old key to SIAGA_SECRET_KEY (after the current key)`,
    );
  });

  it('with a rotation keyring [new, old], opens old values and seals new ones under the new key', () => {
    const old = SecretKey.generate();
    const fresh = SecretKey.generate();
    const before = createSecretBox(ring(old)).seal('hunter2', AAD);
    const rolled = createSecretBox(ring(fresh, old));
    expect(rolled.open(before, AAD)).toBe('hunter2');
    expect(rolled.isSealedWithPrimary(before)).toBe(false);
    const after = rolled.seal('hunter2', AAD);
    expect(sealedKeyId(after)).toBe(fresh.id);
    expect(createSecretBox(ring(fresh)).open(after, AAD)).toBe('hunter2');
  });

  it('refuses text that is not well-formed Unicode instead of storing something else', () => {
    expect(() => box.seal('lone \uD800 surrogate', AAD)).toThrow(/not well-formed Unicode/);
  });

  it('never puts the plaintext in an error message', () => {
    const sealed = box.seal('hunter2-plaintext', AAD);
    const messages = [
      errorOf(() => box.open(sealed, 'elsewhere')).message,
      errorOf(() => box.open(flip(sealed, 3), AAD)).message,
      errorOf(() => box.open('hunter2-plaintext', AAD)).message,
    ];
    for (const m of messages) expect(m).not.toContain('hunter2');
  });
});
