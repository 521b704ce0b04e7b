import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

export const CODE_DIGITS = 6;

/**
 * A fresh verification code: six digits from the OS's cryptographic generator. `ctx.random` is not used on
 * purpose: it is Math.random in production (predictable) and a constant in tests; tests read the code the way the
 * dispatcher does, from the sealed delivery payload.
 */
export const newVerificationCode = (): string =>
  String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');

/** SHA-256 salted with the contact method id, so equal codes of two methods do not hash alike. */
export const hashVerificationCode = (contactMethodId: string, code: string): string =>
  createHash('sha256').update(`${contactMethodId}:${code}`).digest('base64url');

/** People paste codes with spaces or dashes ("123 456"); only the digits count. */
export const normaliseCode = (input: string): string => input.replace(/[\s-]/g, '');

export function codeMatches(contactMethodId: string, input: string, storedHash: string): boolean {
  const given = Buffer.from(hashVerificationCode(contactMethodId, normaliseCode(input)));
  const stored = Buffer.from(storedHash);
  return given.length === stored.length && timingSafeEqual(given, stored);
}
