import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords are hashed with scrypt (memory-hard, built into Node: no native addon). The parameters travel inside
 * the stored string (`$scrypt$ln=17,r=8,p=1$<salt>$<hash>`), so the cost can be raised later and old hashes still
 * verify; `needsRehash` tells sign-in to upgrade them.
 */
const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, opts, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

const options = (log2N: number, r: number, p: number): ScryptOptions => ({
  N: 2 ** log2N,
  r,
  p,
  maxmem: 256 * 2 ** log2N * r + 1024 * 1024,
});

export async function hashPassword(password: string, log2N: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, options(log2N, 8, 1));
  return `$scrypt$ln=${log2N},r=8,p=1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

const FORMAT = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([\w-]+)\$([\w-]+)$/;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = FORMAT.exec(stored);
  if (!m) return false;
  const [, ln, r, p, salt, expected] = m;
  const want = Buffer.from(expected!, 'base64url');
  const got = await scryptAsync(
    password,
    Buffer.from(salt!, 'base64url'),
    options(Number(ln), Number(r), Number(p)),
  );
  return got.length === want.length && timingSafeEqual(got, want);
}

export function needsRehash(stored: string, log2N: number): boolean {
  const m = FORMAT.exec(stored);
  return !m || Number(m[1]) < log2N;
}

/**
 * A hash to verify against when the account does not exist, so "no such user" takes as long as "wrong
 * password" and response times do not reveal which emails have accounts.
 */
const dummyHashes = new Map<number, Promise<string>>();
export function dummyHash(log2N: number): Promise<string> {
  let h = dummyHashes.get(log2N);
  if (!h) {
    h = hashPassword(randomBytes(16).toString('hex'), log2N);
    dummyHashes.set(log2N, h);
  }
  return h;
}
