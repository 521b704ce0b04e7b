import { MINUTE, type EpochMs } from '../../platform/clock.ts';
import { validationError, type FieldError } from '../../platform/errors.ts';
import type { AlertSeverity } from '../../storage/schema.ts';
import type { AlertEvent } from '../events.ts';

/**
 * Alertmanager API v2 `POST /api/v2/alerts`, what Prometheus sends, plus the Alertmanager data model the other
 * adapters share (label sets, RFC 3339 instants, severity names, bounded error lists).
 *
 * The fingerprint is injected: the label model and its hash live in `../matchers/`, and an adapter must stay a
 * pure function of the payload so the same bytes always give the same events.
 */
export type Fingerprinter = (labels: Readonly<Record<string, string>>) => string;

/** Alertmanager's default `resolve_timeout`: an alert nobody repeats resolves after this long. */
export const DEFAULT_RESOLVE_TIMEOUT_MS = 5 * MINUTE;
/** Prometheus batches 64 alerts per post; 1,000 leaves room for other senders and bounds one request's work. */
export const MAX_ALERTS_PER_REQUEST = 1_000;
/** PagerDuty's documented limit for a summary; every source uses it so titles look alike everywhere. */
export const SUMMARY_MAX_CHARS = 1_024;
/** A sender that gets every field wrong learns enough from the first twenty; the rest only bloats the 4xx. */
export const MAX_FIELD_ERRORS = 20;

export interface AmApiOptions {
  readonly now: EpochMs;
  /** Alertmanager's `resolve_timeout`; applies to alerts sent without `endsAt`. */
  readonly resolveTimeoutMs?: number | undefined;
  readonly fingerprint: Fingerprinter;
}

export interface AmApiParseResult {
  /** One event per valid alert, in payload order. */
  readonly events: AlertEvent[];
  /** Problems with the other alerts (at most {@link MAX_FIELD_ERRORS}); empty when all were valid. */
  readonly errors: FieldError[];
  /** How many problems there were in all, including those beyond the list's cap. */
  readonly errorCount: number;
}

/**
 * All-or-nothing: any invalid alert refuses the whole request with every problem listed (JSON pointers into
 * the body). Prometheus drops a batch answered 4xx and never retries it, so the message must say what to fix.
 */
export function toAlertEventsFromAmApi(body: unknown, opts: AmApiOptions): AlertEvent[] {
  const { events, errors, errorCount } = parseAmApiAlerts(body, opts);
  if (errors.length > 0) throw invalid('invalid alerts', errors, errorCount);
  return events;
}

/**
 * Alertmanager's own behaviour: valid alerts are kept even when others in the batch are invalid, and the
 * request is then answered 400 listing the invalid ones. A route that wants that stores `events` and then
 * throws when `errors` is not empty. Only a body that is not a list of alerts at all throws here.
 */
export function parseAmApiAlerts(body: unknown, opts: AmApiOptions): AmApiParseResult {
  if (!Array.isArray(body)) {
    throw validationError('expected a JSON array of alerts (Alertmanager API v2 postable alerts)', [
      { pointer: '', detail: `expected an array, got ${describe(body)}` },
    ]);
  }
  if (body.length > MAX_ALERTS_PER_REQUEST) {
    throw validationError(
      `too many alerts in one request: ${body.length} (at most ${MAX_ALERTS_PER_REQUEST}; send them in batches)`,
      [{ pointer: '', detail: `at most ${MAX_ALERTS_PER_REQUEST} alerts per request` }],
    );
  }
  const resolveTimeoutMs = opts.resolveTimeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS;
  const errors = new FieldErrors();
  const events: AlertEvent[] = [];
  body.forEach((item: unknown, i) => {
    const before = errors.count;
    const event = parseAmApiAlert(item, pointerOf(i), { ...opts, resolveTimeoutMs }, errors);
    if (event && errors.count === before) events.push(event);
  });
  return { events, errors: errors.list, errorCount: errors.count };
}

function parseAmApiAlert(
  item: unknown,
  at: string,
  opts: AmApiOptions & { resolveTimeoutMs: number },
  errors: FieldErrors,
): AlertEvent | undefined {
  if (!isRecord(item)) {
    errors.add(at, `expected an alert object, got ${describe(item)}`);
    return undefined;
  }
  const labels = readLabelSet(item['labels'], `${at}/labels`, errors);
  const annotations = readAnnotations(item['annotations'], `${at}/annotations`, errors);
  const startsAtIn = readInstant(item['startsAt'], `${at}/startsAt`, errors);
  const endsAtIn = readInstant(item['endsAt'], `${at}/endsAt`, errors);
  const generatorUrl = readGeneratorUrl(item['generatorURL'], `${at}/generatorURL`, errors);
  if (!labels || !annotations || startsAtIn === null || endsAtIn === null) return undefined;

  const { now } = opts;
  // Alertmanager: no startsAt → endsAt when given (so a bare resolve is not "ends before it starts"), else now.
  const startsAt = startsAtIn ?? (endsAtIn !== undefined && endsAtIn < now ? endsAtIn : now);
  const endsAt = endsAtIn ?? ((now + opts.resolveTimeoutMs) as EpochMs);
  if (endsAt < startsAt) {
    errors.add(`${at}/endsAt`, 'endsAt is before startsAt');
    return undefined;
  }
  const fingerprint = opts.fingerprint(labels);
  return {
    action: endsAt <= now ? 'resolve' : 'trigger',
    fingerprint,
    summary: summaryOf(annotations, labels, fingerprint),
    severity: mapSeverity(labels['severity']),
    labels,
    annotations,
    startsAt,
    endsAt,
    generatorUrl,
    raw: item,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Shared by the adapters of this folder (not re-exported from index.ts).

/** Collects field errors up to {@link MAX_FIELD_ERRORS}, counting the rest so the message can say so. */
export class FieldErrors {
  readonly list: FieldError[] = [];
  count = 0;

  add(pointer: string, detail: string): void {
    this.count += 1;
    if (this.list.length < MAX_FIELD_ERRORS) this.list.push({ pointer, detail });
  }
}

/** A validation AppError whose message carries the first problem, for clients that print only the message. */
export function invalid(what: string, errors: readonly FieldError[], total = errors.length) {
  const first = errors[0];
  const where = first ? `: ${first.pointer || '(body)'}: ${first.detail}` : '';
  const more = total > 1 ? ` (and ${total - 1} more)` : '';
  return validationError(`${what}${where}${more}`, errors);
}

/** RFC 6901 pointer built from raw segments (`~` and `/` in label names are escaped). */
export function pointerOf(...segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** How a wrong value is named in an error, without echoing large or hostile input back. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return v.length <= 40 ? JSON.stringify(v) : 'a long string';
  if (typeof v === 'object') return 'an object';
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export const isLabelName = (name: string): boolean => LABEL_NAME.test(name);

/**
 * A Prometheus label set: string values, valid names, at least one label. An empty value is an absent label
 * (Prometheus semantics), so `{env: ""}` and `{}` are the same alert. Built with `fromEntries` so a label
 * named `__proto__` stays an own property instead of changing the object's prototype.
 */
export function readLabelSet(
  value: unknown,
  at: string,
  errors: FieldErrors,
): Record<string, string> | undefined {
  if (!isRecord(value)) {
    errors.add(
      at,
      value === undefined ? 'labels are required' : `expected an object of labels, got ${describe(value)}`,
    );
    return undefined;
  }
  const entries: [string, string][] = [];
  let ok = true;
  for (const [name, v] of Object.entries(value)) {
    if (!isLabelName(name)) {
      errors.add(
        `${at}${pointerOf(name)}`,
        `invalid label name ${describe(name)} (must match [a-zA-Z_][a-zA-Z0-9_]*)`,
      );
      ok = false;
    } else if (typeof v !== 'string') {
      errors.add(`${at}${pointerOf(name)}`, `label value must be a string, got ${describe(v)}`);
      ok = false;
    } else if (v !== '') {
      entries.push([name, v]);
    }
  }
  if (!ok) return undefined;
  if (entries.length === 0) {
    errors.add(at, 'at least one label with a non-empty value is required');
    return undefined;
  }
  return Object.fromEntries(entries);
}

/** Annotations are free text: any non-empty name, string values. Absent = none. */
export function readAnnotations(
  value: unknown,
  at: string,
  errors: FieldErrors,
): Record<string, string> | undefined {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    errors.add(at, `expected an object of annotations, got ${describe(value)}`);
    return undefined;
  }
  const entries: [string, string][] = [];
  let ok = true;
  for (const [name, v] of Object.entries(value)) {
    if (name === '') {
      errors.add(`${at}/`, 'annotation names must not be empty');
      ok = false;
    } else if (typeof v !== 'string') {
      errors.add(`${at}${pointerOf(name)}`, `annotation value must be a string, got ${describe(v)}`);
      ok = false;
    } else {
      entries.push([name, v]);
    }
  }
  return ok ? Object.fromEntries(entries) : undefined;
}

/**
 * An optional RFC 3339 instant: `undefined` when absent (or Go's zero time, which Alertmanager writes for
 * "not set"), `null` when invalid (the error is recorded).
 */
export function readInstant(value: unknown, at: string, errors: FieldErrors): EpochMs | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    errors.add(at, `expected an RFC 3339 date-time string, got ${describe(value)}`);
    return null;
  }
  const t = parseRfc3339(value);
  if (t === undefined) {
    errors.add(at, `not an RFC 3339 date-time: ${describe(value)} (expected e.g. 2026-01-31T09:00:00Z)`);
    return null;
  }
  return t === GO_ZERO_TIME ? undefined : t;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;
/** 400 Gregorian years are exactly 146,097 days; shifting by them keeps `Date.UTC` away from its 1900+yy rule. */
const FOUR_CENTURIES_MS = 146_097 * 86_400_000;
/** `0001-01-01T00:00:00Z`, what Go marshals for an unset `time.Time`. */
export const GO_ZERO_TIME = (Date.UTC(401, 0, 1) - FOUR_CENTURIES_MS) as EpochMs;

/**
 * Strict RFC 3339 (what Go's `time.Time` produces and accepts), fractions truncated to the millisecond. The
 * colon in the offset is optional because PagerDuty's own examples write `+0000`. `Date.parse` is not used:
 * it accepts many other formats, differently across engines.
 */
export function parseRfc3339(text: string): EpochMs | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMin = 0;
  if (!m[8]) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(year + 400, month - 1, day, hour, minute, second, ms) - FOUR_CENTURIES_MS;
  return (local - offsetMin * 60_000) as EpochMs;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const SEVERITY_ALIASES = new Map<string, AlertSeverity>([
  ...['critical', 'page', 'p1'].map((s) => [s, 'critical'] as const),
  ...['error', 'high', 'major', 'p2'].map((s) => [s, 'error'] as const),
  ...['warning', 'warn', 'minor', 'p3'].map((s) => [s, 'warning'] as const),
  ...['info', 'low', 'none', 'p4', 'p5'].map((s) => [s, 'info'] as const),
]);

/**
 * The names teams put in a `severity` label, folded onto four levels. Unknown or absent → warning: loud enough
 * to be seen, not loud enough to wake someone for a label typo.
 */
export function mapSeverity(value: string | undefined): AlertSeverity {
  return (value === undefined ? undefined : SEVERITY_ALIASES.get(value.trim().toLowerCase())) ?? 'warning';
}

/** The first non-empty of summary, description, alertname — what a human reads first — else the fingerprint. */
export function summaryOf(
  annotations: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
  fingerprint: string,
): string {
  const pick = (r: Readonly<Record<string, string>>, k: string) =>
    Object.hasOwn(r, k) ? r[k]?.trim() : undefined;
  const text =
    pick(annotations, 'summary') ||
    pick(annotations, 'description') ||
    pick(labels, 'alertname') ||
    fingerprint;
  return truncateText(text, SUMMARY_MAX_CHARS);
}

/** Cuts to `max` UTF-16 units ending in `…`, never splitting a surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * Links are shown in the UI, so only http(s) URLs are kept: a `javascript:` generator URL would be a stored XSS.
 * Anything else is dropped (still visible in the raw payload) rather than refusing the alert.
 */
export function safeHttpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 8_192) return undefined;
  const url = URL.parse(value);
  return url && (url.protocol === 'http:' || url.protocol === 'https:') ? value : undefined;
}

function readGeneratorUrl(value: unknown, at: string, errors: FieldErrors): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    errors.add(at, `expected a URL string, got ${describe(value)}`);
    return undefined;
  }
  return safeHttpUrl(value);
}
