import { isIPv4, isIPv6 } from 'node:net';

/**
 * Special-purpose IP ranges an outgoing request must not reach by default. Every address is handled as 16 bytes:
 * an IPv4 address becomes its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so `::ffff:127.0.0.2` and `127.0.0.2`
 * are one address and one rule covers both. Tunnel forms that embed an IPv4 address (NAT64, 6to4) are judged by
 * the address they embed.
 */

/**
 * `private`: ordinary internal networks, which an operator may open wholesale (`allowPrivate`). The others
 * (loopback, link-local with the cloud metadata address, "this host", multicast, reserved) are reachable only
 * through an explicit allowlist entry.
 */
export type AddressCategory =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation';

export interface SpecialRange {
  readonly category: AddressCategory;
  /** The range as written in its RFC, for messages: `127.0.0.0/8`, `fc00::/7`. */
  readonly range: string;
}

export type IpBytes = Uint8Array;

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** Parses a textual IPv4 or IPv6 address (brackets and a zone id tolerated) into 16 bytes; null if it is not one. */
export function parseIp(text: string): IpBytes | null {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIPv4(s)) return v4Bytes(s);
  if (isIPv6(s)) return v6Bytes(s);
  return null;
}

/** The dotted IPv4 address embedded in a mapped address, or null for a real IPv6 address. */
export function mappedV4(bytes: IpBytes): string | null {
  if (!V4_MAPPED_PREFIX.every((b, i) => bytes[i] === b)) return null;
  return Array.from(bytes.subarray(12)).join('.');
}

/** Canonical text: dotted quad for IPv4 (and mapped IPv4), compressed lower-case for IPv6. */
export function formatIp(bytes: IpBytes): string {
  const v4 = mappedV4(bytes);
  if (v4 !== null) return v4;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  // The longest run of two or more zero groups becomes `::` (RFC 5952).
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export interface Cidr {
  readonly bytes: IpBytes;
  /** Prefix length over the 16-byte form (an IPv4 `/8` is stored as `/104`). */
  readonly bits: number;
}

/** `10.0.0.0/8`, `fd00::/8`, or a single address (a full-length prefix). Null when malformed. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const bytes = parseIp(addr);
  if (!bytes) return null;
  const v4 = mappedV4(bytes) !== null && !addr.includes(':');
  const max = v4 ? 32 : 128;
  let bits = max;
  if (slash >= 0) {
    const lenText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(lenText)) return null;
    bits = Number(lenText);
    if (bits > max) return null;
  }
  return { bytes, bits: v4 ? bits + 96 : bits };
}

export function inCidr(bytes: IpBytes, cidr: Cidr): boolean {
  let bits = cidr.bits;
  for (let i = 0; i < 16 && bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((cidr.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

interface RangeRule extends SpecialRange {
  readonly cidr: Cidr;
}

const rule = (range: string, category: AddressCategory): RangeRule => {
  const cidr = parseCidr(range);
  if (!cidr) throw new Error(`bad built-in range ${range}`);
  return { range, category, cidr };
};

/** First match wins, so the narrow ranges come before the wide ones that contain them. */
const IPV4_RULES: readonly RangeRule[] = [
  rule('0.0.0.0/8', 'unspecified'),
  rule('10.0.0.0/8', 'private'),
  rule('100.64.0.0/10', 'private'),
  rule('127.0.0.0/8', 'loopback'),
  rule('169.254.0.0/16', 'link-local'),
  rule('172.16.0.0/12', 'private'),
  rule('192.0.0.0/24', 'reserved'),
  rule('192.0.2.0/24', 'documentation'),
  rule('192.88.99.0/24', 'reserved'),
  rule('192.168.0.0/16', 'private'),
  rule('198.18.0.0/15', 'reserved'),
  rule('198.51.100.0/24', 'documentation'),
  rule('203.0.113.0/24', 'documentation'),
  rule('224.0.0.0/4', 'multicast'),
  rule('255.255.255.255/32', 'broadcast'),
  rule('240.0.0.0/4', 'reserved'),
];

const IPV6_RULES: readonly RangeRule[] = [
  rule('::/128', 'unspecified'),
  rule('::1/128', 'loopback'),
  // IPv4-compatible addresses (deprecated); what a stack does with them varies, so none is allowed.
  rule('::/96', 'reserved'),
  rule('64:ff9b:1::/48', 'private'),
  rule('100::/64', 'reserved'),
  // Teredo hides the IPv4 server and client behind an obfuscation; nothing legitimate needs it here.
  rule('2001::/32', 'reserved'),
  rule('2001:db8::/32', 'documentation'),
  rule('fc00::/7', 'private'),
  rule('fe80::/10', 'link-local'),
  rule('fec0::/10', 'private'),
  rule('ff00::/8', 'multicast'),
];

const NAT64 = rule('64:ff9b::/96', 'reserved').cidr;
const SIX_TO_FOUR = rule('2002::/16', 'reserved').cidr;

/** The special range an address falls in, or null for an ordinary public address. */
export function classifyAddress(bytes: IpBytes): SpecialRange | null {
  const v4 = mappedV4(bytes);
  if (v4 !== null) return firstMatch(IPV4_RULES, bytes);
  // Translated and tunnelled forms reach the IPv4 address they carry: judge that one.
  if (inCidr(bytes, NAT64)) return classifyAddress(v4Mapped(bytes.subarray(12, 16)));
  if (inCidr(bytes, SIX_TO_FOUR)) return classifyAddress(v4Mapped(bytes.subarray(2, 6)));
  return firstMatch(IPV6_RULES, bytes);
}

function firstMatch(rules: readonly RangeRule[], bytes: IpBytes): SpecialRange | null {
  const hit = rules.find((r) => inCidr(bytes, r.cidr));
  return hit ? { category: hit.category, range: hit.range } : null;
}

function v4Mapped(four: Uint8Array): IpBytes {
  const out = new Uint8Array(16);
  out.set(V4_MAPPED_PREFIX);
  out.set(four, 12);
  return out;
}

function v4Bytes(s: string): IpBytes {
  return v4Mapped(Uint8Array.from(s.split('.').map(Number)));
}

/** `isIPv6` has already validated the text, so this only expands `::` and a trailing dotted quad. */
function v6Bytes(s: string): IpBytes {
  let text = s.toLowerCase();
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const q = last.split('.').map(Number);
    const hi = (((q[0] ?? 0) << 8) | (q[1] ?? 0)).toString(16);
    const lo = (((q[2] ?? 0) << 8) | (q[3] ?? 0)).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hi}:${lo}`;
  }
  const toGroups = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((h) => parseInt(h, 16));
  const dbl = text.indexOf('::');
  let groups: number[];
  if (dbl >= 0) {
    const head = toGroups(text.slice(0, dbl));
    const rest = toGroups(text.slice(dbl + 2));
    groups = [...head, ...new Array<number>(8 - head.length - rest.length).fill(0), ...rest];
  } else {
    groups = toGroups(text);
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}
