import { AppError, validationError } from '../../platform/errors.ts';
import { matcherFromOperator, operatorOf, type MatchOperator, type Matcher } from './matcher.ts';

/*
 * The text syntax of Alertmanager's API filters, amtool arguments and `matchers:` config lists:
 * `name="value"`, `name=value`, `name=~"re"`, `name!~"re"`, `name!="value"`, or a `{…}` list of them separated
 * by commas. Quoted values understand `\"`, `\\` and `\n`; any other backslash is kept literally (as
 * Alertmanager does). Unquoted values run to the end of the matcher and may not contain a double quote.
 * Deliberately stricter than Alertmanager 0.25: unbalanced braces are refused (it ignores a missing `}`), and
 * label names follow the alert label rule, so `a:b="x"` (a label no alert can carry) is refused.
 */

/** Go's `\s`, which Alertmanager's matcher grammar tolerates around names, operators and values. */
const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
const trimSpace = (text: string): string => {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text[start])) start++;
  while (end > start && isSpace(text[end - 1])) end--;
  return text.slice(start, end);
};
const isNameStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNameChar = (c: string): boolean => isNameStart(c) || (c >= '0' && c <= '9');

/**
 * Parses one matcher, as an Alertmanager `filter=` query parameter or an amtool argument holds it. Throws a
 * validation error that quotes the input and says what was expected where (positions count from 1).
 */
export function parseMatcher(text: string): Matcher {
  return parseOne(text, `matcher '${shorten(text)}'`);
}

/**
 * Parses a matcher list: `{a="b", c=~"d"}`, the same without braces, or one matcher. A trailing comma is
 * allowed; `{}` and the empty string are the empty list (the caller decides whether that is acceptable).
 */
export function parseMatchers(text: string): Matcher[] {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text[start])) start++;
  while (end > start && isSpace(text[end - 1])) end--;
  if (text[start] === '{') {
    if (text[end - 1] !== '}' || end - start < 2) {
      throw validationError(`matchers '${shorten(text)}': the list opened with '{' has no closing '}'`);
    }
    start++;
    end--;
  } else if (end > start && text[end - 1] === '}') {
    throw validationError(
      `matchers '${shorten(text)}': '}' at position ${end} closes a list that was never opened`,
    );
  }
  const items = splitItems(text, start, end);
  if (items.length === 1 && trimSpace(items[0]?.text ?? '') === '') return [];
  const matchers: Matcher[] = [];
  items.forEach((item, index) => {
    // Trimmed, so that positions in a message count in the text the message quotes.
    const itemText = trimSpace(item.text);
    if (itemText === '') {
      // A trailing comma after at least one matcher is fine; anything else is a missing matcher.
      if (index === items.length - 1 && index > 0) return;
      throw validationError(
        `matchers '${shorten(text)}': expected a matcher at position ${item.start + 1}, found none`,
      );
    }
    const label =
      items.length === 1 ? `matcher '${shorten(itemText)}'` : `matcher ${index + 1} '${shorten(itemText)}'`;
    matchers.push(parseOne(itemText, label));
  });
  return matchers;
}

/** A matcher as text that both this parser and Alertmanager's read back to the same matcher. */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${operatorOf(m)}"${escapeValue(m.value)}"`;
}

/** A matcher list in the braced form Alertmanager prints, e.g. `{alertname="Down", team=~"db|web"}`. */
export function formatMatchers(matchers: readonly Matcher[]): string {
  return `{${matchers.map(formatMatcher).join(', ')}}`;
}

/** Keeps error messages readable when the input is huge (a 1,000-character regex, say). */
const shorten = (text: string): string => (text.length > 120 ? `${text.slice(0, 117)}...` : text);

const escapeValue = (value: string): string =>
  value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

interface Item {
  readonly text: string;
  /** Offset of the item in the whole input. */
  readonly start: number;
}

/** Splits on commas outside double quotes, honouring backslash escapes inside them. */
function splitItems(text: string, start: number, end: number): Item[] {
  const items: Item[] = [];
  let itemStart = start;
  let inQuotes = false;
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (inQuotes && c === '\\') i++;
    else if (c === '"') inQuotes = !inQuotes;
    else if (c === ',' && !inQuotes) {
      items.push({ text: text.slice(itemStart, i), start: itemStart });
      itemStart = i + 1;
    }
  }
  items.push({ text: text.slice(itemStart, end), start: itemStart });
  return items;
}

type Fail = (detail: string) => never;

function parseOne(text: string, label: string): Matcher {
  const fail: Fail = (detail) => {
    throw validationError(`${label}: ${detail}`);
  };
  const found = (i: number): string =>
    i < text.length ? `found '${text[i]}' at position ${i + 1}` : 'found the end of the input';
  let i = 0;
  while (isSpace(text[i])) i++;
  if (i === text.length) fail('expected a label name, found nothing');

  const nameStart = i;
  const first = text[i] ?? '';
  if (!isNameStart(first)) {
    const why = first >= '0' && first <= '9' ? ' (label names cannot start with a digit)' : '';
    fail(`expected a label name, ${found(i)}${why}`);
  }
  while (i < text.length && isNameChar(text[i] ?? '')) i++;
  const name = text.slice(nameStart, i);
  const nameEnd = i;
  while (isSpace(text[i])) i++;

  const op = readOperator(text, i);
  if (op === null) {
    const next = text[i] ?? '';
    const hint =
      next === '~'
        ? " (did you mean '=~'?)"
        : i === nameEnd && next !== '' && next !== '!'
          ? ' (label names may contain only letters, digits and underscores)'
          : '';
    fail(`expected one of =, !=, =~, !~ after the label name '${name}', ${found(i)}${hint}`);
  }
  i += op.length;
  while (isSpace(text[i])) i++;

  const value = text[i] === '"' ? readQuoted(text, i, fail, found) : readUnquoted(text, i, fail);
  if (!value.isWellFormed()) fail('the value contains an unpaired UTF-16 surrogate (invalid UTF-8)');
  try {
    return matcherFromOperator(name, op, value);
  } catch (e) {
    if (e instanceof AppError) fail(e.message);
    throw e;
  }
}

function readOperator(text: string, i: number): MatchOperator | null {
  const two = text.slice(i, i + 2);
  if (two === '=~' || two === '!=' || two === '!~') return two;
  return text[i] === '=' ? '=' : null;
}

/** Reads `"…"` from `open` (the opening quote); only whitespace may follow the closing quote. */
function readQuoted(text: string, open: number, fail: Fail, found: (i: number) => string): string {
  let value = '';
  let i = open + 1;
  for (;;) {
    if (i >= text.length) fail(`the value opened by '"' at position ${open + 1} has no closing '"'`);
    const c = text[i] ?? '';
    if (c === '"') break;
    if (c === '\\' && i + 1 < text.length) {
      value += unescape(text[i + 1] ?? '');
      i += 2;
    } else {
      value += c;
      i++;
    }
  }
  i++;
  while (isSpace(text[i])) i++;
  if (i < text.length) {
    fail(
      `expected nothing after the closing '"' at position ${i}, ${found(i)} (escape quotes in values as \\")`,
    );
  }
  return value;
}

/** An unquoted value is the rest of the matcher, trailing whitespace removed. */
function readUnquoted(text: string, start: number, fail: Fail): string {
  let end = text.length;
  while (end > start && isSpace(text[end - 1])) end--;
  let value = '';
  for (let i = start; i < end; i++) {
    const c = text[i] ?? '';
    if (c === '"') {
      fail(
        `unexpected '"' at position ${i + 1} in an unquoted value; quote the value and escape inner quotes as \\"`,
      );
    }
    if (c === '\\' && i + 1 < end) {
      value += unescape(text[i + 1] ?? '');
      i++;
    } else {
      value += c;
    }
  }
  return value;
}

/** Alertmanager's escapes: `\n`, `\"`, `\\`; any other escape is a literal backslash and character. */
const unescape = (c: string): string => (c === 'n' ? '\n' : c === '"' || c === '\\' ? c : `\\${c}`);
