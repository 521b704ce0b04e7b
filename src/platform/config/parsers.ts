import { parseDuration } from '../clock.ts';

/**
 * A parser turns a raw value (a YAML scalar or an environment string) into a typed setting, or throws an
 * Error whose message says what was expected. Messages are shown to operators as-is.
 */
export type Parser<T> = (raw: unknown) => T;

const show = (raw: unknown): string => (typeof raw === 'string' ? `"${raw}"` : JSON.stringify(raw));

export const str =
  (opts: { nonEmpty?: boolean } = {}): Parser<string> =>
  (raw) => {
    if (typeof raw !== 'string' && typeof raw !== 'number')
      throw new Error(`expected a string, got ${show(raw)}`);
    const s = String(raw).trim();
    if (opts.nonEmpty && s === '') throw new Error('expected a non-empty string');
    return s;
  };

export const int =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const n = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      throw new Error(`expected a whole number from ${min} to ${max}, got ${show(raw)}`);
    }
    return n;
  };

export const bool: Parser<boolean> = (raw) => {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string' && /^(true|1|yes|on)$/i.test(raw.trim())) return true;
  if (typeof raw === 'string' && /^(false|0|no|off)$/i.test(raw.trim())) return false;
  throw new Error(`expected true or false, got ${show(raw)}`);
};

export const oneOf =
  <const T extends string>(values: readonly T[]): Parser<T> =>
  (raw) => {
    if (typeof raw === 'string' && (values as readonly string[]).includes(raw.trim())) return raw.trim() as T;
    throw new Error(`expected one of ${values.join(', ')}, got ${show(raw)}`);
  };

/** Durations as operators write them (`30s`, `5m`); a bare number is milliseconds. */
export const duration =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    let ms: number;
    try {
      ms = typeof raw === 'number' ? raw : parseDuration(str({ nonEmpty: true })(raw));
    } catch {
      throw new Error(`expected a duration such as 500ms, 30s or 5m, got ${show(raw)}`);
    }
    if (!(ms >= min && ms <= max))
      throw new Error(`expected a duration from ${min} ms to ${max} ms, got ${show(raw)}`);
    return ms;
  };

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1000,
  kib: 1024,
  mb: 1e6,
  mib: 1024 ** 2,
  gb: 1e9,
  gib: 1024 ** 3,
};

/** Byte sizes: `1048576`, `512KiB`, `1MiB`, `2mb`. */
export const bytes =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const m = typeof raw === 'number' ? null : /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(raw));
    const n =
      typeof raw === 'number'
        ? raw
        : m
          ? Number(m[1]) * (SIZE_UNITS[(m[2] || 'b').toLowerCase()] ?? NaN)
          : NaN;
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new Error(`expected a size from ${min} to ${max} bytes (e.g. 1MiB, 512KiB), got ${show(raw)}`);
    }
    return Math.floor(n);
  };

export const url =
  (protocols: readonly string[]): Parser<string> =>
  (raw) => {
    const s = str({ nonEmpty: true })(raw);
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      throw new Error(
        `expected a URL (${protocols.map((p) => (p === 'sqlite:' ? 'sqlite:/path/to/file.db' : `${p}//…`)).join(' or ')}), got a value that is not a URL`,
      );
    }
    if (!protocols.includes(u.protocol)) {
      throw new Error(`expected a URL starting with ${protocols.join(' or ')}, got "${u.protocol}"`);
    }
    return s;
  };

/** Levenshtein distance, for "did you mean" hints on misspelt keys. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}
