/*
 * FNV-1a, 64-bit, kept as two 32-bit halves in int32 arithmetic: BigInt per byte would allocate on every step,
 * and this runs for every ingested alert. Offset basis 0xcbf29ce484222325; prime 0x100000001b3 = 2^40 + 0x1b3.
 */
const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;
/** Go's model.SeparatorByte, written after every label name and every value. */
const SEPARATOR = 0xff;

/** The running hash between calls of addString (hi, lo), so no call returns a pair. */
const state = new Uint32Array(2);

/**
 * Hashes the UTF-8 bytes of `text` and then the separator, encoding on the fly (no buffer). Each character's
 * bytes are packed into one int, first byte highest. An unpaired surrogate counts as U+FFFD, as Go's JSON
 * decoder (and TextEncoder) turn it into one.
 */
function addString(text: string): void {
  let hi = state[0] ?? 0;
  let lo = state[1] ?? 0;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    let bytes: number;
    let shift: number; // bit offset of the first byte in `bytes`
    const c = i < n ? text.charCodeAt(i) : -1;
    if (c < 0) {
      bytes = SEPARATOR;
      shift = 0;
    } else if (c < 0x80) {
      bytes = c;
      shift = 0;
    } else if (c < 0x800) {
      bytes = ((0xc0 | (c >> 6)) << 8) | (0x80 | (c & 0x3f));
      shift = 8;
    } else if (c < 0xd800 || c > 0xdfff) {
      bytes = ((0xe0 | (c >> 12)) << 16) | ((0x80 | ((c >> 6) & 0x3f)) << 8) | (0x80 | (c & 0x3f));
      shift = 16;
    } else {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        bytes =
          ((0xf0 | (cp >> 18)) << 24) |
          ((0x80 | ((cp >> 12) & 0x3f)) << 16) |
          ((0x80 | ((cp >> 6) & 0x3f)) << 8) |
          (0x80 | (cp & 0x3f));
        shift = 24;
      } else {
        bytes = 0xefbfbd; // U+FFFD
        shift = 16;
      }
    }
    for (; shift >= 0; shift -= 8) {
      const x = lo ^ ((bytes >>> shift) & 0xff);
      // (hi·2^32 + x) · (2^40 + 0x1b3) mod 2^64: the low half is x·0x1b3 mod 2^32; the high half gets
      // hi·0x1b3 + x·2^8 + the carry out of x·0x1b3, computed from x's 16-bit halves to stay in int32.
      const carry = ((x >>> 16) * 0x1b3 + (((x & 0xffff) * 0x1b3) >>> 16)) >>> 16;
      hi = (Math.imul(hi, 0x1b3) + (x << 8) + carry) | 0;
      lo = Math.imul(x, 0x1b3);
    }
  }
  state[0] = hi;
  state[1] = lo;
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (n: number): string =>
  (HEX_BYTE[n >>> 24] ?? '') +
  (HEX_BYTE[(n >>> 16) & 0xff] ?? '') +
  (HEX_BYTE[(n >>> 8) & 0xff] ?? '') +
  (HEX_BYTE[n & 0xff] ?? '');

/**
 * The identity of an alert: Alertmanager's `model.LabelSet.Fingerprint()`, printed as its API prints it (16
 * lowercase hex digits), so an alert keeps the same id whether it arrives here or at Alertmanager, and amtool
 * users see the ids they expect. Empty values are skipped, as Alertmanager drops empty labels before hashing.
 * Label names are ASCII, so JavaScript's default sort gives Go's byte order.
 */
export function fingerprint(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort();
  state[0] = OFFSET_HI;
  state[1] = OFFSET_LO;
  for (const name of names) {
    const value = labels[name];
    if (value === undefined || value === '') continue;
    addString(name);
    addString(value);
  }
  return hex32(state[0] ?? 0) + hex32(state[1] ?? 0);
}
