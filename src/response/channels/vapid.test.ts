import { describe, expect, it } from 'vitest';
import { checkVapidKeys, generateVapidKeys } from './vapid.ts';

const SUBJECT = 'mailto:oncall-admin@example.com';

describe('VAPID keys', () => {
  it('generates a P-256 pair in the base64url form browsers take as applicationServerKey', () => {
    const keys = generateVapidKeys();
    expect(Buffer.from(keys.publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(keys.privateKey, 'base64url')).toHaveLength(32);
    expect(keys.publicKey).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(generateVapidKeys().privateKey).not.toBe(keys.privateKey);
    expect(checkVapidKeys({ ...keys, subject: SUBJECT })).toEqual([]);
  });

  it('finds a public key that does not belong to the private key', () => {
    const a = generateVapidKeys();
    const b = generateVapidKeys();
    expect(checkVapidKeys({ publicKey: b.publicKey, privateKey: a.privateKey, subject: SUBJECT })).toEqual([
      { field: 'publicKey', detail: 'does not belong to the private key' },
    ]);
  });

  it('finds malformed keys and subjects', () => {
    const keys = generateVapidKeys();
    expect(checkVapidKeys({}).map((p) => p.field)).toEqual(['publicKey', 'privateKey', 'subject']);
    expect(
      checkVapidKeys({ ...keys, publicKey: `${keys.publicKey}=`, subject: SUBJECT }).map((p) => p.field),
    ).toEqual(['publicKey']);
    expect(
      checkVapidKeys({ ...keys, privateKey: keys.privateKey.slice(2), subject: SUBJECT }).map((p) => p.field),
    ).toEqual(['privateKey']);
    for (const subject of [
      'oncall@example.com',
      'http://example.com',
      'https://localhost/contact',
      'mailto:nobody',
    ]) {
      expect(checkVapidKeys({ ...keys, subject }), subject).toEqual([
        { field: 'subject', detail: expect.any(String) },
      ]);
    }
    expect(checkVapidKeys({ ...keys, subject: 'https://status.example.com/contact' })).toEqual([]);
  });
});
