import { createHash } from 'node:crypto';
import type { EpochMs } from '../../platform/clock.ts';
import { validationError } from '../../platform/errors.ts';
import type { AlertSeverity } from '../../storage/schema.ts';
import type { AlertEvent } from '../events.ts';
import {
  FieldErrors,
  MAX_ALERTS_PER_REQUEST,
  SUMMARY_MAX_CHARS,
  describe,
  invalid,
  isLabelName,
  isRecord,
  mapSeverity,
  pointerOf,
  truncateText,
  type Fingerprinter,
} from './alertmanager-api.ts';
import {
  createSandboxedLiquid,
  type RenderBudget,
  type SandboxedLiquid,
  type TemplateSite,
} from './liquid.ts';

/**
 * Any JSON webhook, turned into alerts by a per-integration mapping, so tools with no Alertmanager or
 * PagerDuty output can still page.
 *
 * Each mapped value is either a JSON pointer (RFC 6901: `/alert/title`, `""` for the whole document) or a
 * Liquid template (anything else, e.g. `{{ item.host }} is down`; plain text is a template that prints itself).
 * Pointers read the current item; templates see `item` (the current item) and `payload` (the whole body).
 */

export type MappedAction = AlertEvent['action'];

export interface GenericMapping {
  readonly summary: string;
  readonly severity?: string | undefined;
  /** Without it the key is the fingerprint of labels + summary: map it when a resolve must find its trigger. */
  readonly dedupKey?: string | undefined;
  /** Absent → every item triggers. */
  readonly action?: string | undefined;
  readonly labels?: Readonly<Record<string, string>> | undefined;
  /** Sender's value → severity, tried before the usual names (critical, warning, p1…). */
  readonly severityMap?: Readonly<Record<string, AlertSeverity>> | undefined;
  /** Sender's value → action, e.g. `{"firing": "trigger", "ok": "resolve"}`. */
  readonly actionMap?: Readonly<Record<string, MappedAction>> | undefined;
  /** A pointer to an array in the body: one event per element. Absent → the body is one event. */
  readonly itemsPointer?: string | undefined;
}

export interface GenericOptions {
  readonly now: EpochMs;
  readonly fingerprint: Fingerprinter;
  readonly liquid: SandboxedLiquid;
}

export const LABEL_VALUE_MAX_CHARS = 4_096;
export const MAX_MAPPED_LABELS = 64;
export const DEDUP_KEY_MAX_CHARS = 255;
const ACTIONS: readonly MappedAction[] = ['trigger', 'acknowledge', 'resolve'];
const SEVERITIES: readonly AlertSeverity[] = ['critical', 'error', 'warning', 'info'];
const MAPPING_KEYS = [
  'summary',
  'severity',
  'dedupKey',
  'action',
  'labels',
  'severityMap',
  'actionMap',
  'itemsPointer',
];
const TEXT_FIELDS = ['summary', 'severity', 'dedupKey', 'action'] as const;

let sharedLiquid: SandboxedLiquid | undefined;
const defaultLiquid = () => (sharedLiquid ??= createSandboxedLiquid());

export const isPointer = (source: string): boolean => source === '' || source.startsWith('/');

/**
 * Checks a mapping when it is saved: shape, label names, pointer syntax, and every template parsed, so a typo
 * is a 400 naming the field now rather than a failed page later. Returns the mapping typed.
 */
export function validateGenericMapping(
  mapping: unknown,
  liquid: SandboxedLiquid = defaultLiquid(),
): GenericMapping {
  if (!isRecord(mapping)) {
    throw validationError('the webhook mapping must be an object', [
      { pointer: '', detail: `expected an object, got ${describe(mapping)}` },
    ]);
  }
  const errors = new FieldErrors();
  for (const key of Object.keys(mapping)) {
    if (!MAPPING_KEYS.includes(key)) errors.add(pointerOf(key), `unknown mapping field ${describe(key)}`);
  }
  const source = (value: unknown, field: string, at: string, required: boolean) => {
    if (value === undefined && !required) return;
    if (typeof value !== 'string') {
      errors.add(
        at,
        value === undefined ? `${field} is required` : `${field} must be a string, got ${describe(value)}`,
      );
      return;
    }
    const problem = checkSource(value, { field, pointer: at }, liquid);
    if (problem) errors.add(at, problem);
  };
  for (const field of TEXT_FIELDS) source(mapping[field], field, `/${field}`, field === 'summary');

  const labels = mapping['labels'];
  if (labels !== undefined && !isRecord(labels))
    errors.add('/labels', `labels must be an object, got ${describe(labels)}`);
  if (isRecord(labels)) {
    const names = Object.keys(labels);
    if (names.length > MAX_MAPPED_LABELS) errors.add('/labels', `at most ${MAX_MAPPED_LABELS} labels`);
    for (const name of names) {
      const at = `/labels${pointerOf(name)}`;
      if (!isLabelName(name))
        errors.add(at, `invalid label name ${describe(name)} (must match [a-zA-Z_][a-zA-Z0-9_]*)`);
      else source(labels[name], `labels.${name}`, at, true);
    }
  }
  checkMap(mapping['severityMap'], 'severityMap', SEVERITIES, errors);
  checkMap(mapping['actionMap'], 'actionMap', ACTIONS, errors);
  const items = mapping['itemsPointer'];
  if (items !== undefined && (typeof items !== 'string' || !isPointer(items) || !validPointer(items))) {
    errors.add('/itemsPointer', 'itemsPointer must be a JSON pointer such as /alerts');
  }
  if (errors.count > 0) throw invalid('invalid webhook mapping', errors.list, errors.count);
  return mapping as unknown as GenericMapping;
}

/**
 * One event per item. Templates that hit a limit or fail stop the whole request with a 4xx naming the field;
 * an item whose action is not understood is refused rather than guessed.
 */
export function toAlertEventsFromGeneric(
  body: unknown,
  mapping: GenericMapping,
  opts: GenericOptions,
): AlertEvent[] {
  const { items, at } = itemsOf(body, mapping.itemsPointer);
  const budget = opts.liquid.newBudget();
  const errors = new FieldErrors();
  const events: AlertEvent[] = [];
  items.forEach((item, i) => {
    const event = toEvent(body, item, at(i), mapping, opts, budget, errors);
    if (event) events.push(event);
  });
  if (errors.count > 0)
    throw invalid('the webhook payload does not fit the mapping', errors.list, errors.count);
  return events;
}

function itemsOf(
  body: unknown,
  itemsPointer: string | undefined,
): { items: unknown[]; at: (i: number) => string } {
  if (itemsPointer === undefined) return { items: [body], at: () => '' };
  const items = resolvePointer(body, itemsPointer);
  if (!Array.isArray(items)) {
    throw validationError(`expected an array at ${itemsPointer || '(body)'} (the mapping's itemsPointer)`, [
      { pointer: itemsPointer, detail: `expected an array, got ${describe(items)}` },
    ]);
  }
  if (items.length > MAX_ALERTS_PER_REQUEST) {
    throw validationError(
      `too many items in one request: ${items.length} (at most ${MAX_ALERTS_PER_REQUEST})`,
      [{ pointer: itemsPointer, detail: `at most ${MAX_ALERTS_PER_REQUEST} items` }],
    );
  }
  return { items, at: (i) => `${itemsPointer}/${i}` };
}

function toEvent(
  body: unknown,
  item: unknown,
  at: string,
  mapping: GenericMapping,
  { now, fingerprint, liquid }: GenericOptions,
  budget: RenderBudget,
  errors: FieldErrors,
): AlertEvent | undefined {
  const scope = { payload: body, item };
  const get = (source: string | undefined, field: string): string | undefined => {
    if (source === undefined) return undefined;
    const text = isPointer(source)
      ? asText(resolvePointer(item, source))
      : liquid.render(source, scope, { field, pointer: at }, budget);
    const trimmed = text?.trim();
    return trimmed ? trimmed : undefined;
  };

  const actionText = get(mapping.action, 'action');
  const action = actionText === undefined ? 'trigger' : lookup(mapping.actionMap, actionText, ACTIONS);
  if (action === undefined) {
    const known = Object.keys(mapping.actionMap ?? {});
    errors.add(
      at,
      `action ${describe(actionText)} is not one of trigger, acknowledge, resolve` +
        (known.length > 0 ? ` nor a key of actionMap (${known.slice(0, 10).join(', ')})` : ''),
    );
    return undefined;
  }
  const labels = Object.fromEntries(
    Object.entries(mapping.labels ?? {})
      .map(([name, source]) => [name, get(source, `labels.${name}`)] as const)
      .filter((e): e is readonly [string, string] => e[1] !== undefined)
      .map(([name, value]) => [name, truncateText(value, LABEL_VALUE_MAX_CHARS)]),
  );
  const summaryText = get(mapping.summary, 'summary');
  const severityText = get(mapping.severity, 'severity');
  const dedupText = get(mapping.dedupKey, 'dedupKey');
  const dedupKey =
    dedupText === undefined || dedupText.length <= DEDUP_KEY_MAX_CHARS
      ? dedupText
      : `sha256:${createHash('sha256').update(dedupText).digest('hex')}`;
  const key =
    dedupKey ?? fingerprint(summaryText === undefined ? labels : { ...labels, __summary__: summaryText });
  return {
    action,
    fingerprint: key,
    summary: truncateText(summaryText ?? key, SUMMARY_MAX_CHARS),
    severity:
      severityText === undefined
        ? 'warning'
        : (lookup(mapping.severityMap, severityText, []) ?? mapSeverity(severityText)),
    labels,
    annotations: {},
    startsAt: now,
    endsAt: action === 'resolve' ? now : null,
    raw: item,
  };
}

/** The sender's value in the admin's map (exact, then case-insensitive), else itself when already a name. */
function lookup<T extends string>(
  map: Readonly<Record<string, T>> | undefined,
  value: string,
  names: readonly T[],
): T | undefined {
  if (map) {
    if (Object.hasOwn(map, value)) return map[value];
    const lower = value.toLowerCase();
    const hit = Object.entries(map).find(([k]) => k.toLowerCase() === lower);
    if (hit) return hit[1];
  }
  return names.find((n) => n === value.toLowerCase());
}

function asText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * RFC 6901 evaluation over parsed JSON, own properties only (`/constructor` finds nothing). `undefined` when
 * the pointer leads nowhere or is malformed.
 */
export function resolvePointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/') || !validPointer(pointer)) return undefined;
  let current = doc;
  for (const segment of pointer.slice(1).split('/')) {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(key)) return undefined;
      current = current[Number(key)];
    } else if (isRecord(current) && Object.hasOwn(current, key)) {
      current = current[key];
    } else {
      return undefined;
    }
  }
  return current;
}

/** `~` must be followed by 0 or 1 (the only escapes RFC 6901 defines). */
const validPointer = (pointer: string): boolean => !/~(?![01])/.test(pointer);

function checkSource(source: string, site: TemplateSite, liquid: SandboxedLiquid): string | undefined {
  if (isPointer(source)) {
    if (source.length > liquid.limits.maxTemplateChars) return `${site.field}: pointer is too long`;
    return validPointer(source)
      ? undefined
      : `${site.field}: invalid JSON pointer (use ~0 for ~ and ~1 for /)`;
  }
  try {
    liquid.check(source, site);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function checkMap(value: unknown, name: string, allowed: readonly string[], errors: FieldErrors): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    errors.add(`/${name}`, `${name} must be an object, got ${describe(value)}`);
    return;
  }
  for (const [key, target] of Object.entries(value)) {
    if (typeof target !== 'string' || !allowed.includes(target)) {
      errors.add(
        `/${name}${pointerOf(key)}`,
        `${name} values must be one of ${allowed.join(', ')}, got ${describe(target)}`,
      );
    }
  }
}
