import { createRequire } from 'node:module';
import type * as Re2js from 're2js';
import { validationError } from '../../platform/errors.ts';

/** Loaded on the first pattern: a server whose matchers use no regular expression never needs the engine. */
let engine: typeof Re2js | undefined;
const re2js = (): typeof Re2js => (engine ??= createRequire(import.meta.url)('re2js') as typeof Re2js);

/** Longer patterns are refused: they come from API clients, and compiled programs grow with the pattern. */
export const MAX_REGEX_LENGTH = 1000;

/** How many compiled patterns stay cached. Silences and routes use few distinct patterns; filters come and go. */
export const REGEX_CACHE_SIZE = 1000;

/** A label regex compiled the way Alertmanager compiles it: RE2 syntax, matched against the whole value. */
export interface LabelRegex {
  readonly pattern: string;
  /** Whether the pattern matches all of `value` (never a substring). */
  test(value: string): boolean;
}

const cache = new Map<string, LabelRegex>();

/**
 * Compiles a matcher pattern. RE2 (through the pure-JS port re2js) rather than RegExp because patterns come
 * from users and are run against every alert: RE2 matches in linear time, so `(a+)+$` cannot stall the event
 * loop, and its syntax is the one Go's regexp (and so Alertmanager) accepts. The pattern is anchored as
 * `^(?:pattern)$` like Alertmanager's matchers; it is first compiled bare so that an unbalanced pattern such
 * as `a)|(b` is refused instead of escaping the anchors. Throws a validation error naming the pattern.
 */
export function compileLabelRegex(pattern: string): LabelRegex {
  const hit = cache.get(pattern);
  if (hit !== undefined) {
    // Map keeps insertion order: re-inserting marks the entry as most recently used.
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  const compiled = compileUncached(pattern);
  cache.set(pattern, compiled);
  if (cache.size > REGEX_CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  return compiled;
}

/** Whether `pattern` (anchored) matches all of `value`. */
export const regexMatches = (pattern: string, value: string): boolean =>
  compileLabelRegex(pattern).test(value);

/** The number of cached patterns, for tests of the cache bound. */
export const regexCacheSize = (): number => cache.size;

function compileUncached(pattern: string): LabelRegex {
  if (pattern.length > MAX_REGEX_LENGTH) {
    throw validationError(
      `invalid regular expression ${quoteForMessage(pattern)}: it is ${pattern.length} characters long, the limit is ${MAX_REGEX_LENGTH}`,
    );
  }
  const { RE2JS, RE2JSException } = re2js();
  let re: Re2js.RE2JS;
  try {
    RE2JS.compile(pattern);
    re = RE2JS.compile(`^(?:${pattern})$`);
  } catch (e) {
    if (e instanceof RE2JSException) {
      throw validationError(`invalid regular expression ${quoteForMessage(pattern)}: ${engineReason(e)}`);
    }
    throw e;
  }
  return Object.freeze({ pattern, test: (value: string) => re.testExact(value) });
}

/** The engine's own words, in Go's format (`missing closing ): \`(a\``), which Alertmanager users know. */
function engineReason(e: Re2js.RE2JSException): string {
  if (e instanceof re2js().RE2JSSyntaxException) {
    const where = e.getPattern();
    return where === null || where === '' ? e.getDescription() : `${e.getDescription()}: \`${where}\``;
  }
  return e.message;
}

/** Quotes the pattern, shortening a huge one so an error message stays readable. */
function quoteForMessage(pattern: string): string {
  return JSON.stringify(pattern.length > 80 ? `${pattern.slice(0, 77)}...` : pattern);
}
