import { createCipheriv, createDecipheriv } from 'node:crypto';
import { randomPool } from '../crypto/random-pool.ts';
import { SecretsError } from './errors.ts';
import type { Keyring } from './keyring.ts';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const B64URL = /^[A-Za-z0-9_-]*$/;
const KEY_ID = /^[0-9a-f]{8}$/;

/**
 * Encrypts secrets for storage: AES-256-GCM under the keyring's primary key, a fresh random 96-bit IV each time,
 * as text safe for a TEXT column: `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts).
 *
 * `aad` says where the value lives (use `SecretColumn.aad(rowId)`, e.g. `sso_providers.client_secret:sso_01H…`):
 * it is authenticated, not stored, so a sealed value copied to another row or column does not open there.
 * It appears in error messages, so it must not itself be secret.
 */
export interface SecretBox {
  seal(plaintext: string, aad: string): string;
  /**
   * Like `seal`, for values that are not stored but handed out many times a second (tokens in links): the key
   * file is re-read at most once a second of `now`, not before every value.
   */
  sealToken(plaintext: string, aad: string, now: number): string;
  open(sealed: string, aad: string): string;
  isSealedWithPrimary(sealed: string): boolean;
}

export interface SealedParts {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

/** The parts of a sealed value, or undefined when the text is not one. */
export function parseSealed(sealed: string): SealedParts | undefined {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) return undefined;
  const [, keyId, iv, ct, tag] = parts as [string, string, string, string, string];
  if (!KEY_ID.test(keyId) || ![iv, ct, tag].every((p) => B64URL.test(p))) return undefined;
  const parsed = {
    keyId,
    iv: Buffer.from(iv, 'base64url'),
    ciphertext: Buffer.from(ct, 'base64url'),
    tag: Buffer.from(tag, 'base64url'),
  };
  return parsed.iv.length === IV_BYTES && parsed.tag.length === TAG_BYTES ? parsed : undefined;
}

/** The id of the key a value was sealed with (without decrypting it), or undefined when it is not a sealed value. */
export function sealedKeyId(sealed: string): string | undefined {
  return parseSealed(sealed)?.keyId;
}

/** The prefix shared by every value sealed with `keyId`. */
export const sealedPrefix = (keyId: string): string => `${VERSION}.${keyId}.`;

// The version and key id are authenticated too, so the header cannot be edited to point at another key.
const additionalData = (keyId: string, aad: string): Buffer =>
  Buffer.from(`${VERSION}.${keyId}\n${aad}`, 'utf8');

const TOKEN_KEY_CHECK_MS = 1000;

export function createSecretBox(keyring: Keyring): SecretBox {
  // A fresh random IV per value, never reused (see RandomPool).
  const random = randomPool();
  const sealWithPrimary = (plaintext: string, aad: string): string => {
    if (typeof plaintext !== 'string' || !plaintext.isWellFormed()) {
      throw new SecretsError(`cannot seal the secret for ${aad}: it is not well-formed Unicode text`);
    }
    const key = keyring.primary;
    const iv = random.bytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key.keyObject(), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(key.id, aad));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      key.id,
      iv.toString('base64url'),
      ciphertext.toString('base64url'),
      tag.toString('base64url'),
    ].join('.');
  };
  return {
    seal(plaintext, aad) {
      keyring.reload();
      return sealWithPrimary(plaintext, aad);
    },

    sealToken(plaintext, aad, now) {
      keyring.reloadAtMostEvery(TOKEN_KEY_CHECK_MS, now);
      return sealWithPrimary(plaintext, aad);
    },

    open(sealed, aad) {
      const parts = typeof sealed === 'string' ? parseSealed(sealed) : undefined;
      if (parts === undefined) {
        throw new SecretsError(
          `the stored secret for ${aad} is not a sealed value (expected ${VERSION}.<keyId>.…)`,
        );
      }
      let key = keyring.find(parts.keyId);
      if (key === undefined && keyring.reload()) key = keyring.find(parts.keyId);
      if (key === undefined) {
        throw new SecretsError(
          `the secret for ${aad} was sealed with key ${parts.keyId}, which is not in the keyring; add the old key to ${keyHome(keyring)}`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.keyObject(), parts.iv, {
          authTagLength: TAG_BYTES,
        });
        decipher.setAAD(additionalData(parts.keyId, aad));
        decipher.setAuthTag(parts.tag);
        return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretsError(
          `the secret for ${aad} cannot be decrypted: it was altered, or it was sealed for another place`,
        );
      }
    },

    isSealedWithPrimary(sealed) {
      return sealedKeyId(sealed) === keyring.primary.id;
    },
  };
}

const keyHome = (keyring: Keyring): string =>
  keyring.source === 'file'
    ? `the key file ${keyring.file ?? ''}`
    : 'SIAGA_SECRET_KEY (after the current key)';
