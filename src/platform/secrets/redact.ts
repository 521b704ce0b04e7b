export const REDACTED = '[redacted]';

// Compared after lower-casing and dropping `_` and `-`, so `client_secret`, `clientSecret` and `Client-Secret` match.
const SECRET_NAMES = new Set([
  'secret',
  'password',
  'passwd',
  'passphrase',
  'token',
  'clientsecret',
  'apikey',
  'key',
  'privatekey',
  'accesskey',
  'integrationkey',
  'routingkey',
  'authorization',
  'cookie',
  'credentials',
]);
const SECRET_SUFFIXES = ['secret', 'token', 'password', 'passwordhash', 'passphrase', 'apikey'];

const normalise = (name: string): string => name.toLowerCase().replace(/[_-]/g, '');

/** Whether a property name looks like it holds a secret (`apiKey`, `webhook_signing_secret`, `smtpPassword`, …). */
export function isSecretKey(name: string, extra: readonly string[] = []): boolean {
  const n = normalise(name);
  return (
    SECRET_NAMES.has(n) || SECRET_SUFFIXES.some((s) => n.endsWith(s)) || extra.some((e) => normalise(e) === n)
  );
}

/**
 * A deep copy of plain data (objects and arrays) in which the value of every secret-looking property, and of
 * each name in `secretKeys`, is `"[redacted]"`: for audit before/after snapshots and anything else that is
 * stored or shown. `null`, `undefined` and booleans stay, so "no secret set" and "has a secret" remain visible.
 * Other objects (Date, Map, class instances) are kept by reference; a cycle becomes `"[circular]"`.
 */
export function redactSecrets<T>(obj: T, secretKeys: readonly string[] = []): T {
  return copy(obj, secretKeys, new WeakSet()) as T;
}

function copy(value: unknown, extra: readonly string[], seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (Array.isArray(value)) {
    seen.add(value);
    const out = value.map((v) => copy(v, extra, seen));
    seen.delete(value);
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  seen.add(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      isSecretKey(k, extra) && v !== null && v !== undefined && typeof v !== 'boolean'
        ? REDACTED
        : copy(v, extra, seen);
  }
  seen.delete(value);
  return out;
}
