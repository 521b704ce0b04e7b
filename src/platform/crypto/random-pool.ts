import { randomFillSync } from 'node:crypto';

/**
 * Random bytes from the OS's cryptographic generator, fetched 4 KiB at a time. Each `randomBytes` call costs a
 * round trip into OpenSSL (about 9 µs here); ids take several random characters per row and every notification
 * seals two action tokens, each with a fresh IV. Bytes are handed out once, in order, so no two callers (and no
 * two IVs) ever share them.
 */
export interface RandomPool {
  /** A copy of the next `n` bytes (n at most the pool's size). */
  bytes(n: number): Buffer;
  /** The next byte, 0–255. */
  byte(): number;
}

export function randomPool(size = 4096): RandomPool {
  const pool = Buffer.alloc(size);
  let i = size;
  const take = (n: number): number => {
    if (n > size) throw new RangeError(`a random pool of ${size} bytes cannot hand out ${n} at once`);
    if (i + n > size) {
      randomFillSync(pool);
      i = 0;
    }
    const at = i;
    i += n;
    return at;
  };
  return {
    bytes(n) {
      const at = take(n);
      return Buffer.from(pool.subarray(at, at + n));
    },
    byte() {
      return pool[take(1)]!;
    },
  };
}
