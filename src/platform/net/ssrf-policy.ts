import { isIPv4, isIPv6 } from 'node:net';
import {
  type Cidr,
  type IpBytes,
  classifyAddress,
  formatIp,
  inCidr,
  parseCidr,
  parseIp,
} from './ip-ranges.ts';

/**
 * Which destinations outgoing requests may reach (S-SSRF-*). Public addresses are reachable on any port but the
 * few that browsers also refuse (mail, DNS, IRC...: cross-protocol abuse). Ordinary private networks open with
 * `allowPrivate`; everything else special (loopback, so also Siaga itself; link-local with the cloud metadata
 * service; multicast; reserved) only through an explicit `allow` entry.
 */
export interface OutboundPolicy {
  /** Allow RFC 1918, shared (100.64/10) and unique-local (fc00::/7) addresses. Not loopback or link-local. */
  readonly allowPrivate: boolean;
  /** `host:port`, `ip:port`, `[ipv6]:port`, `ip` or CIDR (`10.0.0.0/8`): destinations the operator vouches for. */
  readonly allow: readonly string[];
  /**
   * Siaga's own public URL (`server.publicUrl`). Its host and port are refused even when allowlisted, so a
   * notification cannot loop into Siaga's own API (S-SSRF-7). Loopback self-references are refused anyway.
   */
  readonly selfUrl?: string;
}

export const DEFAULT_OUTBOUND_POLICY: OutboundPolicy = { allowPrivate: false, allow: [] };

/** Long enough for any real webhook URL; a megabyte of URL is an attack on our logs, not a destination. */
const MAX_URL_LENGTH = 4096;

/** The fetch standard's "bad ports": services that an HTTP request could be smuggled into. */
const BAD_PORTS = new Set([
  0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

type AllowEntry =
  | { readonly kind: 'host'; readonly host: string; readonly port: number }
  | { readonly kind: 'net'; readonly cidr: Cidr; readonly port: number | null };

export interface CompiledPolicy {
  readonly allowPrivate: boolean;
  readonly entries: readonly AllowEntry[];
  /** `host:port` of Siaga itself, lower-case. */
  readonly self: string | null;
}

/** A URL that passed the checks that need no DNS, ready to resolve and connect. */
export interface OutboundTarget {
  readonly url: URL;
  /** Host name or address without brackets, as given to DNS / the socket. */
  readonly host: string;
  readonly port: number;
  /** Set when the URL names an address literally (after the URL parser's normalisation of `0x7f.1` and friends). */
  readonly ip: IpBytes | null;
  /** An `allow` entry names this host and port: whatever it resolves to is accepted. */
  readonly hostAllowed: boolean;
}

export type TargetCheck =
  { readonly ok: true; readonly target: OutboundTarget } | { readonly ok: false; readonly reason: string };

/**
 * Why a URL may not be used as an outgoing destination, or null when it may. Synchronous and without DNS, for
 * create-time validation (a 400 with this reason): scheme, credentials, port, literal addresses, `localhost`.
 * A host name that passes can still be refused at send time when it resolves to a forbidden address.
 */
export function checkOutboundUrl(policy: OutboundPolicy, url: string): string | null {
  const result = checkTarget(compilePolicy(policy), url);
  return result.ok ? null : result.reason;
}

/** Why an allowlist entry is unusable, or null. For configuration checks. */
export function allowEntryProblem(entry: string): string | null {
  const parsed = parseAllowEntry(entry);
  return typeof parsed === 'string' ? parsed : null;
}

const compiled = new WeakMap<OutboundPolicy, CompiledPolicy>();

/** Validates the allowlist once per policy object; a bad entry is a configuration error. */
export function compilePolicy(policy: OutboundPolicy): CompiledPolicy {
  const hit = compiled.get(policy);
  if (hit) return hit;
  const entries: AllowEntry[] = [];
  for (const text of policy.allow) {
    const parsed = parseAllowEntry(text);
    if (typeof parsed === 'string') throw new TypeError(`outbound allowlist entry "${text}": ${parsed}`);
    entries.push(parsed);
  }
  const result: CompiledPolicy = {
    allowPrivate: policy.allowPrivate,
    entries,
    self: policy.selfUrl ? selfKey(policy.selfUrl) : null,
  };
  compiled.set(policy, result);
  return result;
}

export function checkTarget(policy: CompiledPolicy, raw: string): TargetCheck {
  const refuse = (reason: string): TargetCheck => ({ ok: false, reason });
  if (raw.length > MAX_URL_LENGTH) return refuse(`the URL is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return refuse(`only http and https URLs are allowed, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.username !== '' || url.password !== '') {
    return refuse('credentials in the URL are not allowed; put them in a header or secret');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (host === '') return refuse('the URL has no host');
  const name = host.toLowerCase().replace(/\.$/, '');
  if (policy.self !== null && policy.self === `${name}:${port}`) {
    return refuse(`${url.host} is Siaga itself; a notification sent there would loop`);
  }
  const hostAllowed = policy.entries.some((e) => e.kind === 'host' && e.host === name && e.port === port);
  const ip = isIPv4(host) || isIPv6(host) ? parseIp(host) : null;
  const target: OutboundTarget = { url, host, port, ip, hostAllowed };
  if (hostAllowed) return { ok: true, target };
  if (ip) {
    const problem = addressProblem(policy, ip, port);
    return problem ? refuse(problem) : { ok: true, target };
  }
  if (name === 'localhost' || name.endsWith('.localhost')) {
    return refuse(`${name} is this machine (loopback); ${HOW_TO_ALLOW}`);
  }
  if (BAD_PORTS.has(port) && !policy.entries.some((e) => e.kind === 'net' && e.port === port)) {
    return refuse(badPort(port));
  }
  return { ok: true, target };
}

const HOW_TO_ALLOW = 'outgoing requests reach it only if the operator adds it to the outbound allowlist';

/** Why this address (on this port) is out of bounds, or null. Applied to literals and to every DNS answer. */
export function addressProblem(policy: CompiledPolicy, ip: IpBytes, port: number): string | null {
  const explicit = policy.entries.some(
    (e) => e.kind === 'net' && (e.port === null || e.port === port) && inCidr(ip, e.cidr),
  );
  if (explicit) return null;
  const special = classifyAddress(ip);
  if (special && !(special.category === 'private' && policy.allowPrivate)) {
    const extra = special.category === 'private' ? ' or allows private addresses' : '';
    return `${formatIp(ip)} is a ${special.category} address (${special.range}); ${HOW_TO_ALLOW}${extra}`;
  }
  if (BAD_PORTS.has(port)) return badPort(port);
  return null;
}

function selfKey(selfUrl: string): string | null {
  try {
    const url = new URL(selfUrl);
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    return `${url.hostname
      .replace(/^\[|\]$/g, '')
      .toLowerCase()
      .replace(/\.$/, '')}:${port}`;
  } catch {
    return null;
  }
}

function badPort(port: number): string {
  return `port ${port} belongs to a non-HTTP service and is refused for outgoing requests unless allowlisted`;
}

function parseAllowEntry(raw: string): AllowEntry | string {
  const text = raw.trim();
  if (text === '') return 'empty entry';
  if (text.includes('/')) {
    const cidr = parseCidr(text);
    return cidr ? { kind: 'net', cidr, port: null } : 'not a valid CIDR range (like 10.0.0.0/8)';
  }
  if (isIPv4(text) || isIPv6(text)) {
    const ip = parseIp(text);
    return ip ? { kind: 'net', cidr: { bytes: ip, bits: 128 }, port: null } : 'not a valid address';
  }
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    const ip = parseIp(bracketed[1] ?? '');
    if (!ip) return 'not a valid IPv6 address';
    const port = bracketed[2] === undefined ? null : parsePort(bracketed[2]);
    if (port === undefined) return 'the port must be 1-65535';
    return { kind: 'net', cidr: { bytes: ip, bits: 128 }, port };
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0) return 'a host name needs a port (host:port), so that one entry opens one service';
  const port = parsePort(text.slice(colon + 1));
  if (port === undefined) return 'the port must be 1-65535';
  let host: string;
  try {
    host = new URL(`http://${text.slice(0, colon)}/`).hostname;
  } catch {
    return 'not a valid host name';
  }
  const ip = parseIp(host);
  if (ip) return { kind: 'net', cidr: { bytes: ip, bits: 128 }, port };
  return { kind: 'host', host: host.toLowerCase().replace(/\.$/, ''), port };
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}
