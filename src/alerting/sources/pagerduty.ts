import type { EpochMs } from '../../platform/clock.ts';
import { AppError, isAppError, type FieldError } from '../../platform/errors.ts';
import type { AlertSeverity } from '../../storage/schema.ts';
import type { AlertEvent, ChangeEvent } from '../events.ts';
import {
  SUMMARY_MAX_CHARS,
  describe,
  isRecord,
  parseRfc3339,
  safeHttpUrl,
  truncateText,
} from './alertmanager-api.ts';

/**
 * PagerDuty Events API v2: `POST /v2/enqueue` (alert events) and `POST /v2/change/enqueue` (change events), so
 * anything that can page PagerDuty can page Siaga by changing one URL.
 *
 * PagerDuty clients parse PagerDuty's error body, not ours, so a refusal is an AppError (the domain's one
 * error type) that also carries the exact body PagerDuty would answer; {@link pagerDutyErrorBody} hands it to
 * the route.
 */

export interface PagerDutyErrorBody {
  readonly status: string;
  readonly message: string;
  readonly errors: readonly string[];
}

export interface PagerDutyEventOptions {
  readonly now: EpochMs;
  /** The key of a trigger sent without `dedup_key` (PagerDuty uses a fresh UUID: every such trigger is new). */
  readonly generateDedupKey: () => string;
}

export interface PagerDutyEnqueue {
  /** The integration key; the route resolves it and answers 4xx for an unknown one. Never stored in `raw`. */
  readonly routingKey: string;
  /** `event.fingerprint` is the dedup key to answer with: `{status: "success", dedup_key}`. */
  readonly event: AlertEvent;
}

export interface PagerDutyChangeEnqueue {
  readonly routingKey: string;
  readonly change: ChangeEvent;
}

export const PD_DEDUP_KEY_MAX_CHARS = 255;
export const PD_SEVERITIES: readonly AlertSeverity[] = ['critical', 'error', 'warning', 'info'];
export const PD_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
export type PagerDutyAction = (typeof PD_ACTIONS)[number];
/** Change events carry context links; more than this is noise and only grows the timeline. */
export const PD_MAX_LINKS = 50;

const INVALID = { status: 'invalid event', message: 'Event object is invalid' } as const;
const UNRECOGNIZED = {
  status: 'Unrecognized object',
  message: 'Event object format is unrecognized',
} as const;

/** The PagerDuty-shaped body of an error thrown by this file's parsers; undefined for any other error. */
export function pagerDutyErrorBody(e: unknown): PagerDutyErrorBody | undefined {
  if (!isAppError(e)) return undefined;
  const body = e.details?.['pagerDuty'];
  return isRecord(body) && typeof body['status'] === 'string'
    ? (body as unknown as PagerDutyErrorBody)
    : undefined;
}

function pagerDutyError(
  kind: typeof INVALID | typeof UNRECOGNIZED,
  problems: readonly FieldError[],
): AppError {
  const errors = problems.map((p) => p.detail);
  return new AppError('validation', `${kind.message}: ${errors.join('; ')}`, {
    details: { pagerDuty: { status: kind.status, message: kind.message, errors } },
    errors: problems,
  });
}

/**
 * Trigger needs `payload.summary`, `source` and `severity`; acknowledge and resolve need `dedup_key`.
 *
 * Deliberate differences from PagerDuty, each so an alert is not lost: a summary over 1,024 characters is
 * truncated (PagerDuty answers 400 "'summary' is too long" and the page never happens — a classic outage
 * of Alertmanager, Grafana and Sentry integrations); an unparseable `timestamp` falls back to the receive time.
 */
export function parsePagerDutyEvent(body: unknown, opts: PagerDutyEventOptions): PagerDutyEnqueue {
  if (!isRecord(body)) throw unrecognized();
  const problems: FieldError[] = [];
  const need: Need = (pointer, detail) => problems.push({ pointer, detail });

  const routingKey = readRoutingKey(body, need);
  const action = readAction(body['event_action'], need);
  const isTrigger = action === 'trigger';
  const dedupKey = readDedupKey(body['dedup_key'], action !== undefined && !isTrigger, need);
  const payload = readPayload(body['payload'], isTrigger, need);
  const text = (name: string, required: boolean) =>
    readText(payload ?? {}, name, required && !!payload, need);
  const summary = text('summary', isTrigger);
  const labels: Record<string, string> = Object.fromEntries(
    ['source', 'component', 'group', 'class'].flatMap((name) => {
      const value = text(name, isTrigger && name === 'source');
      return value === undefined ? [] : [[name, value]];
    }),
  );
  const severity = readSeverity(payload?.['severity'], isTrigger && !!payload, need);
  if (problems.length > 0 || action === undefined) throw pagerDutyError(INVALID, problems);

  const { routing_key: _secret, ...raw } = body;
  return enqueueOf(routingKey, action, dedupKey, opts, {
    summary,
    // Acknowledge and resolve rarely carry a payload; their severity is not used to change the alert.
    severity: severity ?? 'info',
    labels,
    annotations: detailsAsAnnotations(payload?.['custom_details']),
    startsAt: isTrigger ? readTimestamp(payload?.['timestamp'], opts.now) : opts.now,
    generatorUrl: safeHttpUrl(body['client_url']),
    raw,
  });
}

/** Both versions' event, once read: a trigger without a dedup key gets a fresh one, a resolve ends now. */
function enqueueOf(
  routingKey: string,
  action: PagerDutyAction,
  dedupKey: string | undefined,
  opts: PagerDutyEventOptions,
  fields: Pick<AlertEvent, 'severity' | 'labels' | 'annotations' | 'startsAt' | 'generatorUrl' | 'raw'> & {
    readonly summary: string | undefined;
  },
): PagerDutyEnqueue {
  const fingerprint = dedupKey ?? opts.generateDedupKey();
  return {
    routingKey,
    event: {
      ...fields,
      action,
      fingerprint,
      summary: truncateText(fields.summary ?? fingerprint, SUMMARY_MAX_CHARS),
      endsAt: action === 'resolve' ? opts.now : null,
    },
  };
}

/**
 * PagerDuty Events API v1, `POST /generic/2010-04-15/create_event.json`: what older monitoring tools (Nagios,
 * Zabbix, Icinga, Sensu plugins) send. `service_key` is the integration key, `event_type` the
 * action, `incident_key` the dedup key; a trigger needs a `description`. v1 has no severity: its events are
 * `error`, `client` becomes a label, `details` annotations, `client_url` the link back.
 * The same leniency as v2: a long description is truncated, not refused.
 */
export function parsePagerDutyV1Event(body: unknown, opts: PagerDutyEventOptions): PagerDutyEnqueue {
  if (!isRecord(body)) throw unrecognized();
  const problems: FieldError[] = [];
  const need: Need = (pointer, detail) => problems.push({ pointer, detail });

  const routingKey = readRoutingKey(body, need, V1_NAMES.key);
  const action = readAction(body['event_type'], need, V1_NAMES.action);
  const isTrigger = action === 'trigger';
  const dedupKey = readDedupKey(
    body['incident_key'],
    action !== undefined && !isTrigger,
    need,
    V1_NAMES.dedupKey,
  );
  const top = (name: string, required: boolean) => readText(body, name, required, need, '');
  const description = top('description', isTrigger);
  const client = top('client', false);
  if (problems.length > 0 || action === undefined) throw pagerDutyError(INVALID, problems);

  const { service_key: _secret, ...raw } = body;
  return enqueueOf(routingKey, action, dedupKey, opts, {
    summary: description,
    severity: 'error',
    labels: client === undefined ? {} : { client },
    annotations: detailsAsAnnotations(body['details']),
    startsAt: opts.now,
    generatorUrl: safeHttpUrl(body['client_url']),
    raw,
  });
}

/** A change event is context on a service (a deploy, a config push), shown next to its incidents; never paged. */
export function parsePagerDutyChangeEvent(
  body: unknown,
  opts: { readonly now: EpochMs },
): PagerDutyChangeEnqueue {
  if (!isRecord(body)) throw unrecognized();
  const problems: FieldError[] = [];
  const need: Need = (pointer, detail) => problems.push({ pointer, detail });
  const routingKey = readRoutingKey(body, need);
  const payload = readPayload(body['payload'], true, need);
  const summary = readText(payload ?? {}, 'summary', !!payload, need);
  const source = readText(payload ?? {}, 'source', false, need);
  const links = readLinks(body['links'], need);
  if (problems.length > 0 || summary === undefined) throw pagerDutyError(INVALID, problems);
  const details = payload?.['custom_details'];
  return {
    routingKey,
    change: {
      summary: truncateText(summary, SUMMARY_MAX_CHARS),
      source: source ?? null,
      at: readTimestamp(payload?.['timestamp'], opts.now),
      links,
      details: isRecord(details) ? details : details == null ? {} : { custom_details: details },
    },
  };
}

type Need = (pointer: string, detail: string) => void;
const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const unrecognized = () =>
  pagerDutyError(UNRECOGNIZED, [{ pointer: '', detail: 'Event must be a JSON object' }]);

/** The two API versions name the same fields differently. */
interface FieldNames {
  readonly key: string;
  readonly action: string;
  readonly dedupKey: string;
}
const V2_NAMES: FieldNames = { key: 'routing_key', action: 'event_action', dedupKey: 'dedup_key' };
const V1_NAMES: FieldNames = { key: 'service_key', action: 'event_type', dedupKey: 'incident_key' };

function readRoutingKey(body: Record<string, unknown>, need: Need, name = V2_NAMES.key): string {
  const key = body[name];
  if (typeof key === 'string' && !blank(key)) return key;
  need(`/${name}`, blank(key) ? `'${name}' is missing or blank` : `'${name}' must be a string`);
  return '';
}

function readAction(value: unknown, need: Need, name = V2_NAMES.action): PagerDutyAction | undefined {
  const action = PD_ACTIONS.find((a) => a === value);
  if (action) return action;
  need(
    `/${name}`,
    blank(value)
      ? `'${name}' is missing or blank`
      : `'${name}' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')`,
  );
  return undefined;
}

/** Blank counts as absent: a trigger then gets a generated key, acknowledge and resolve are refused. */
function readDedupKey(
  value: unknown,
  required: boolean,
  need: Need,
  name = V2_NAMES.dedupKey,
): string | undefined {
  if (blank(value)) {
    if (required) need(`/${name}`, `'${name}' is missing or blank`);
    return undefined;
  }
  if (typeof value !== 'string') need(`/${name}`, `'${name}' must be a string`);
  else if (value.length > PD_DEDUP_KEY_MAX_CHARS) {
    need(`/${name}`, `'${name}' is too long (maximum is ${PD_DEDUP_KEY_MAX_CHARS} characters)`);
  } else return value;
  return undefined;
}

function readPayload(value: unknown, required: boolean, need: Need): Record<string, unknown> | undefined {
  if (isRecord(value)) return value;
  if (value != null) need('/payload', "'payload' must be an object");
  else if (required) need('/payload', "'payload' is missing or blank");
  return undefined;
}

function readSeverity(value: unknown, required: boolean, need: Need): AlertSeverity | undefined {
  const severity = PD_SEVERITIES.find((s) => s === value);
  if (!severity && required) {
    need(
      '/payload/severity',
      blank(value)
        ? "'severity' is missing or blank"
        : "'severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')",
    );
  }
  return severity;
}

/** A short text field: strings as sent, numbers and booleans written out, blank = absent. */
function readText(
  payload: Record<string, unknown>,
  name: string,
  required: boolean,
  need: Need,
  /** Where the fields are: under `payload` in v2, at the top in v1. */
  at = '/payload',
): string | undefined {
  const v = payload[name];
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string' && !blank(v)) return v;
  if (!blank(v) && typeof v !== 'string')
    need(`${at}/${name}`, `'${name}' must be a string, got ${describe(v)}`);
  else if (required) need(`${at}/${name}`, `'${name}' is missing or blank`);
  return undefined;
}

/** Links are rendered in the UI: only http(s) ones are kept, at most {@link PD_MAX_LINKS}. */
function readLinks(value: unknown, need: Need): { href: string; text?: string }[] {
  if (value == null) return [];
  if (!Array.isArray(value)) {
    need('/links', "'links' must be an array");
    return [];
  }
  const links: { href: string; text?: string }[] = [];
  value.forEach((link: unknown, i) => {
    if (!isRecord(link) || typeof link['href'] !== 'string') {
      need(`/links/${i}`, `'links[${i}].href' is missing or blank`);
      return;
    }
    const href = safeHttpUrl(link['href']);
    const text = typeof link['text'] === 'string' ? truncateText(link['text'], SUMMARY_MAX_CHARS) : undefined;
    if (href && links.length < PD_MAX_LINKS) links.push(text === undefined ? { href } : { href, text });
  });
  return links;
}

/** The sender's clock is advisory: unparseable → receive time, and never later than the receive time. */
function readTimestamp(value: unknown, now: EpochMs): EpochMs {
  const t = typeof value === 'string' ? parseRfc3339(value) : undefined;
  return t === undefined || t > now ? now : t;
}

/** `custom_details` shown as annotations: strings as sent, anything else as JSON. The object stays in `raw`. */
function detailsAsAnnotations(details: unknown): Record<string, string> {
  const show = (v: unknown) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));
  if (details === undefined || details === null) return {};
  if (!isRecord(details)) return { custom_details: show(details) };
  return Object.fromEntries(
    Object.entries(details)
      .filter(([k]) => k !== '')
      .map(([k, v]) => [k, show(v)]),
  );
}
