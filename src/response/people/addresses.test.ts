import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkAddress, type AddressInput } from './addresses.ts';

const keys = () => ({
  p256dh: createECDH('prime256v1').generateKeys().toString('base64url'),
  auth: randomBytes(16).toString('base64url'),
});

const pointers = (input: AddressInput): string[] => {
  const r = checkAddress(input);
  return r.ok ? [] : r.errors.map((e) => e.pointer);
};
const address = (input: AddressInput): string | undefined => {
  const r = checkAddress(input);
  return r.ok ? r.address : undefined;
};

describe('contact method addresses', () => {
  it('normalises what people type: e-mail case, phone separators, surrounding spaces', () => {
    expect(address({ kind: 'email', address: '  Alice@Example.COM ' })).toBe('alice@example.com');
    expect(address({ kind: 'sms', address: '+44 (20) 7946-0958' })).toBe('+442079460958');
    expect(address({ kind: 'voice', address: '+1.415.555.0123' })).toBe('+14155550123');
    expect(address({ kind: 'slack_dm', address: ' W012A3CDE ' })).toBe('W012A3CDE');
    expect(address({ kind: 'webhook', address: 'https://Hooks.Example.com/a b' })).toBe(
      'https://hooks.example.com/a%20b',
    );
  });

  it('accepts Telegram chat ids (groups are negative) and public @names, and nothing else', () => {
    expect(address({ kind: 'telegram', address: '123456789' })).toBe('123456789');
    expect(address({ kind: 'telegram', address: '-1001234567890' })).toBe('-1001234567890');
    expect(address({ kind: 'telegram', address: '@siaga_pages' })).toBe('@siaga_pages');
    expect(pointers({ kind: 'telegram', address: '@1abcde' })).toEqual(['/address']);
    expect(pointers({ kind: 'telegram', address: '12ab' })).toEqual(['/address']);
  });

  it('takes an ntfy topic or a URL ending in one (self-hosted servers may be plain http), without credentials or query', () => {
    expect(address({ kind: 'ntfy', address: 'oncall_alice-1' })).toBe('oncall_alice-1');
    expect(address({ kind: 'ntfy', address: 'https://ntfy.sh/oncall' })).toBe('https://ntfy.sh/oncall');
    expect(address({ kind: 'ntfy', address: 'http://ntfy.lan:8080/oncall' })).toBe(
      'http://ntfy.lan:8080/oncall',
    );
    for (const bad of [
      'x'.repeat(65),
      'https://ntfy.sh/',
      'https://user:pw@ntfy.sh/topic',
      'https://ntfy.sh/topic?auth=x',
      'ftp://ntfy.sh/topic',
    ])
      expect(pointers({ kind: 'ntfy', address: bad }), bad).toEqual(['/address']);
  });

  it('refuses phone numbers that are not E.164', () => {
    for (const bad of ['004917012345', '+0123456789', '+123456', '+1234567890123456', '+1 415 CALL NOW'])
      expect(pointers({ kind: 'sms', address: bad }), bad).toEqual(['/address']);
    expect(address({ kind: 'sms', address: '+1234567' })).toBe('+1234567');
  });

  it('needs real web push subscription keys, and keys only for web push', () => {
    const k = keys();
    expect(checkAddress({ kind: 'push', address: 'https://fcm.googleapis.com/fcm/send/x', keys: k })).toEqual(
      {
        ok: true,
        address: 'https://fcm.googleapis.com/fcm/send/x',
        keys: k,
      },
    );
    // A compressed point (33 bytes) or a point that is not marked uncompressed is not what browsers send.
    const compressed = Buffer.from(k.p256dh, 'base64url').subarray(0, 33).toString('base64url');
    expect(
      pointers({ kind: 'push', address: 'https://p.example/x', keys: { ...k, p256dh: compressed } }),
    ).toEqual(['/keys/p256dh']);
    expect(
      pointers({ kind: 'push', address: 'https://p.example/x', keys: { ...k, auth: 'not base64!' } }),
    ).toEqual(['/keys/auth']);
    expect(pointers({ kind: 'push', address: 'not a url' })).toEqual(['/address', '/keys']);
    expect(pointers({ kind: 'email', address: 'a@example.com', keys: k })).toEqual(['/keys']);
  });

  it('refuses empty and overlong addresses for every kind', () => {
    expect(pointers({ kind: 'email', address: '   ' })).toEqual(['/address']);
    expect(pointers({ kind: 'webhook', address: `https://example.com/${'a'.repeat(2100)}` })).toEqual([
      '/address',
    ]);
  });
});
