import { describe, expect, it } from 'vitest';
import { isSecretKey, REDACTED, redactSecrets } from './redact.ts';

describe('redactSecrets', () => {
  it('replaces the values of secret-looking keys at any depth, keeping everything else', () => {
    const input = {
      id: 'sso_1',
      name: 'Okta',
      clientId: 'abc',
      clientSecret: 's3cr3t',
      config: { url: 'https://x', apiKey: 'k-123', headers: [{ name: 'X', token: 't-1' }] },
      webhook_signing_secret: 'whsec',
      smtpPassword: 'pw',
      refreshToken: 'rt',
      key: 'integration-key',
      password: 12345,
      tokenId: 'tok_1',
      keyId: 'abcd1234',
      dedupKey: 'd-1',
    };
    expect(redactSecrets(input)).toEqual({
      id: 'sso_1',
      name: 'Okta',
      clientId: 'abc',
      clientSecret: REDACTED,
      config: { url: 'https://x', apiKey: REDACTED, headers: [{ name: 'X', token: REDACTED }] },
      webhook_signing_secret: REDACTED,
      smtpPassword: REDACTED,
      refreshToken: REDACTED,
      key: REDACTED,
      password: REDACTED,
      tokenId: 'tok_1',
      keyId: 'abcd1234',
      dedupKey: 'd-1',
    });
  });

  it('returns a copy and leaves the input alone', () => {
    const input = { secret: 'x', nested: { list: [1, { token: 'y' }] } };
    const snapshot = structuredClone(input);
    const out = redactSecrets(input);
    expect(input).toEqual(snapshot);
    expect(out.nested).not.toBe(input.nested);
    expect(out.nested.list).not.toBe(input.nested.list);
  });

  it('redacts a whole object or array under a secret key', () => {
    expect(redactSecrets({ credentials: { user: 'u', pass: 'p' }, secret: ['a', 'b'] })).toEqual({
      credentials: REDACTED,
      secret: REDACTED,
    });
  });

  it('keeps null, undefined and booleans, so whether a secret is set stays visible', () => {
    expect(redactSecrets({ secret: null, token: undefined, hasSecret: true, clientSecret: '' })).toEqual({
      secret: null,
      token: undefined,
      hasSecret: true,
      clientSecret: REDACTED,
    });
  });

  it('also redacts the extra names it is given', () => {
    expect(redactSecrets({ pin: '1234', routing: 'r' }, ['pin'])).toEqual({ pin: REDACTED, routing: 'r' });
  });

  it('handles primitives, arrays at the top, dates and cycles', () => {
    expect(redactSecrets('plain')).toBe('plain');
    expect(redactSecrets(null)).toBeNull();
    expect(redactSecrets([{ apiKey: 'x' }])).toEqual([{ apiKey: REDACTED }]);
    const when = new Date(0);
    expect(redactSecrets({ at: when }).at).toBe(when);
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    expect(redactSecrets(cyclic)).toEqual({ name: 'a', self: '[circular]' });
  });

  it('recognises secret names however they are spelt', () => {
    for (const name of [
      'secret',
      'Secret',
      'client_secret',
      'client-secret',
      'API_KEY',
      'authToken',
      'db_password',
      'passwordHash',
      'private_key',
    ])
      expect(isSecretKey(name), name).toBe(true);
    for (const name of ['id', 'name', 'keyId', 'tokenId', 'secretRef', 'dedupKey', 'monkey', 'tokens_used'])
      expect(isSecretKey(name), name).toBe(false);
  });
});
