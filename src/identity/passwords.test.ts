import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy } from './password-policy.ts';
import { hashPassword, needsRehash, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('hashes with scrypt and verifies, including long unicode passphrases', async () => {
    const pass = 'correct horse battery staple — ñandú 🐎 '.repeat(2);
    const h = await hashPassword(pass, 12);
    expect(h).toMatch(/^\$scrypt\$ln=12,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword(pass, h)).toBe(true);
    expect(await verifyPassword(`${pass}x`, h)).toBe(false);
    expect(await verifyPassword(pass, 'garbage')).toBe(false);
    expect(await hashPassword(pass, 12)).not.toBe(h); // salted
  });

  it('asks for a rehash when the stored cost is below the configured one', async () => {
    const h = await hashPassword('a long enough passphrase', 12);
    expect(needsRehash(h, 12)).toBe(false);
    expect(needsRehash(h, 17)).toBe(true);
  });

  it('accepts long passphrases and refuses short, common or personal ones', async () => {
    expect(await checkPasswordPolicy('x'.repeat(11), {})).toMatchObject({ detail: /at least 12/ });
    expect(await checkPasswordPolicy('a'.repeat(64), {})).toMatchObject({ detail: /most common/ });
    expect(await checkPasswordPolicy('password1234', {})).toMatchObject({ detail: /most common/ });
    expect(await checkPasswordPolicy('qwertyuiop123!', {})).toMatchObject({ detail: /most common/ });
    expect(await checkPasswordPolicy('ana@example.com!!', { email: 'ana@example.com' })).toMatchObject({
      detail: /email/,
    });
    expect(await checkPasswordPolicy('tangerine orbit pavilion 42', {})).toBeUndefined();
    expect(
      await checkPasswordPolicy('Ünïcode passphrase with 64 characters and more: ok ok ok ok ok', {}),
    ).toBeUndefined();
  });
});
