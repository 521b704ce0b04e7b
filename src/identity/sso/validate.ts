import { isIPv4 } from 'node:net';
import { validationError } from '../../platform/errors.ts';

/**
 * Whether a host is this machine: 127.0.0.0/8, ::1 or localhost. Only such issuers may be reached over plain
 * HTTP (a provider started next to Siaga in development or tests); everything else must be HTTPS.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (host === 'localhost' || host === '::1') return true;
  return isIPv4(host) && host.startsWith('127.');
}

export const allowsPlainHttp = (issuer: string): boolean => {
  const url = new URL(issuer);
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
};

/** An issuer identifier: an HTTPS URL (HTTP only on loopback) without query, fragment or credentials. */
export function checkIssuer(raw: string, pointer = '/issuer'): string {
  const issuer = raw.trim();
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw validationError('the issuer is not a URL', [
      { pointer, detail: 'must be a URL such as https://id.example.com' },
    ]);
  }
  const problem =
    url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))
      ? 'must use https (plain http only for a provider on this machine: 127.0.0.1, ::1, localhost)'
      : url.search || url.hash
        ? 'must not have a query or fragment'
        : url.username || url.password
          ? 'must not contain credentials'
          : undefined;
  if (problem) throw validationError(`the issuer ${problem}`, [{ pointer, detail: problem }]);
  return issuer;
}

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Space-separated OAuth scopes (RFC 6749 §3.3), deduplicated; `openid` is required. */
export function checkScopes(raw: string, pointer = '/scopes'): string {
  const scopes = [...new Set(raw.split(/\s+/).filter((s) => s !== ''))];
  const bad = scopes.find((s) => !SCOPE_TOKEN.test(s));
  if (bad !== undefined)
    throw validationError(`${bad} is not a valid scope`, [
      { pointer, detail: `${bad} is not a valid scope` },
    ]);
  if (!scopes.includes('openid'))
    throw validationError('the scopes must include openid', [{ pointer, detail: 'must include openid' }]);
  return scopes.join(' ');
}

/** Backslashes (browsers read them as slashes) and control characters (stripped by URL parsers). */
const unsafeChar = (s: string): boolean =>
  [...s].some((c) => c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

const RETURN_BASE = 'http://siaga.invalid';

/**
 * Where to send someone after signing in: a path on this site, or `/`. Anything that could leave the site —
 * absolute URLs, scheme-relative `//host`, backslash tricks (`/\host`), control characters — falls back to `/`,
 * so the sign-in flow is never an open redirect.
 */
export function safeReturnTo(raw: string | undefined): string {
  if (raw === undefined || raw === '' || raw.length > 1000) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || unsafeChar(raw)) return '/';
  let url: URL;
  try {
    url = new URL(raw, RETURN_BASE);
  } catch {
    return '/';
  }
  if (url.origin !== RETURN_BASE) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
