import type { FieldError } from '../../platform/errors.ts';

/** Alert label names, as Prometheus and Alertmanager validate them (`model.LabelName.IsValid`). */
export const LABEL_NAME_PATTERN = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Caps on one alert's label set. Alertmanager has none; Siaga stores labels in every alert row and matches them
 * on every ingest, so an unbounded set is a cheap way to make the server slow.
 */
export const LABEL_LIMITS = Object.freeze({ maxLabels: 64, maxNameLength: 128, maxValueLength: 4096 });

/** Whether `name` may be a label name; matchers and inhibition `equal` lists use the same rule as alerts. */
export const isValidLabelName = (name: string): boolean => LABEL_NAME_PATTERN.test(name);

/**
 * The value of a label, with Alertmanager's rule that an absent label is the empty string. Own properties
 * only: `constructor` or `__proto__` are valid label names and must not find Object.prototype members.
 */
export const labelValue = (labels: Readonly<Record<string, string>>, name: string): string =>
  Object.hasOwn(labels, name) ? (labels[name] ?? '') : '';

/**
 * Checks a label set from a request body and reports every problem with a JSON pointer, so an API client can
 * fix all of them at once. Too many labels short-circuits: listing errors for thousands of entries helps no one.
 */
export function validateLabels(labels: unknown, pointerPrefix: string): FieldError[] {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    return [
      { pointer: pointerPrefix, detail: 'labels must be an object mapping label names to string values' },
    ];
  }
  const entries = Object.entries(labels as Record<string, unknown>);
  if (entries.length > LABEL_LIMITS.maxLabels) {
    return [
      {
        pointer: pointerPrefix,
        detail: `too many labels: ${entries.length}, the limit is ${LABEL_LIMITS.maxLabels} labels per alert`,
      },
    ];
  }
  const errors: FieldError[] = [];
  for (const [name, value] of entries) {
    const pointer = `${pointerPrefix}/${escapePointer(name)}`;
    if (name === '') {
      errors.push({ pointer, detail: 'label name must not be empty' });
    } else if (codePointLengthExceeds(name, LABEL_LIMITS.maxNameLength)) {
      errors.push({
        pointer,
        detail: `label name is too long: the limit is ${LABEL_LIMITS.maxNameLength} characters`,
      });
    } else if (!isValidLabelName(name)) {
      errors.push({
        pointer,
        detail: `invalid label name ${JSON.stringify(name)}: it must match [a-zA-Z_][a-zA-Z0-9_]*`,
      });
    }
    if (typeof value !== 'string') {
      errors.push({ pointer, detail: `label value must be a string, not ${describeType(value)}` });
    } else if (codePointLengthExceeds(value, LABEL_LIMITS.maxValueLength)) {
      errors.push({
        pointer,
        detail: `label value is too long: the limit is ${LABEL_LIMITS.maxValueLength} characters`,
      });
    }
  }
  return errors;
}

/**
 * The canonical form every stored and compared label set has: empty values dropped (Alertmanager treats an
 * empty label as an absent one, so `{team: ""}` and `{}` are the same alert), keys sorted so that JSON of equal
 * sets is equal, frozen so a shared set cannot be changed behind its users' backs.
 */
export function normalizeLabels(record: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const names = Object.keys(record).sort();
  const entries: [string, string][] = [];
  for (const name of names) {
    const value = record[name];
    if (value !== undefined && value !== '') entries.push([name, value]);
  }
  // fromEntries defines own data properties, so a `__proto__` label stays a label.
  return Object.freeze(Object.fromEntries(entries));
}

const escapePointer = (token: string): string => token.replaceAll('~', '~0').replaceAll('/', '~1');

const describeType = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

/** Counts Unicode characters (not UTF-16 units), without iterating strings that are clearly in bounds. */
function codePointLengthExceeds(text: string, limit: number): boolean {
  if (text.length <= limit) return false;
  if (text.length > 2 * limit) return true;
  let count = 0;
  for (const _ of text) if (++count > limit) return true;
  return false;
}
