import type { FieldError } from '../platform/errors.ts';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 512;

let common: Promise<ReadonlySet<string>> | undefined;

/** The most common leaked passwords (zxcvbn's list, ~30k), loaded on first use only. */
function commonPasswords(): Promise<ReadonlySet<string>> {
  common ??= import('@zxcvbn-ts/language-common').then(
    (mod) => new Set((mod.dictionary as Record<string, string[] | undefined>)['passwords-common'] ?? []),
  );
  return common;
}

/**
 * Length over composition rules (NIST SP 800-63B): at least 12 characters, long passphrases welcome, and
 * nothing from the lists of passwords attackers try first, nor the person's own email or name.
 */
export async function checkPasswordPolicy(
  password: string,
  person: { email?: string; name?: string },
  pointer = '/password',
): Promise<FieldError | undefined> {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH)
    return {
      pointer,
      detail: `must be at least ${MIN_PASSWORD_LENGTH} characters (a passphrase of a few words works well)`,
    };
  if (length > MAX_PASSWORD_LENGTH)
    return { pointer, detail: `must be at most ${MAX_PASSWORD_LENGTH} characters` };
  const lower = password.toLowerCase();
  const compact = lower.replace(/[\s\d!@#$%^&*._-]+$/u, '');
  const list = await commonPasswords();
  if (list.has(lower) || list.has(compact) || /^(.)\1+$/u.test(password)) {
    return { pointer, detail: 'is one of the most common passwords; choose another' };
  }
  const email = person.email?.toLowerCase();
  if (email && (lower.includes(email) || lower === email.split('@')[0]))
    return { pointer, detail: 'must not contain your email address' };
  if (person.name && person.name.length >= 4 && lower === person.name.toLowerCase())
    return { pointer, detail: 'must not be your name' };
  return undefined;
}
