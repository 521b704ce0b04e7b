import { isAppError, validationError, type FieldError } from '../platform/errors.ts';
import { newMatcher, type Matcher, type MatcherInput } from './matchers/index.ts';

/**
 * Checks matchers a client sent (silences, routes, inhibition rules, windows) and reports every bad one with
 * its place, instead of stopping at the first.
 */
export function matchersFromInput(
  inputs: readonly MatcherInput[],
  pointer: string,
): { matchers: Matcher[]; errors: FieldError[] } {
  const matchers: Matcher[] = [];
  const errors: FieldError[] = [];
  inputs.forEach((input, i) => {
    try {
      matchers.push(newMatcher(input));
    } catch (err) {
      if (!isAppError(err)) throw err;
      errors.push({ pointer: `${pointer}/${i}`, detail: err.message });
    }
  });
  return { matchers, errors };
}

/** As `matchersFromInput`, throwing one validation error that lists every problem. */
export function requireMatchers(inputs: readonly MatcherInput[], pointer: string): Matcher[] {
  const { matchers, errors } = matchersFromInput(inputs, pointer);
  if (errors.length > 0) throw validationError(errors[0]!.detail, errors);
  return matchers;
}

/** The most matchers one silence, route, window or inhibition side may hold. */
export const MAX_MATCHERS = 32;

/** A rule's name, trimmed; a problem is added when it is not 1 to 100 characters. */
export function checkRuleName(raw: string, errors: FieldError[]): string {
  const name = raw.trim();
  if (name.length < 1 || name.length > 100)
    errors.push({
      pointer: '/name',
      detail: 'must have 1 to 100 characters (not counting surrounding spaces)',
    });
  return name;
}

/** A list of matchers at `pointer`, its problems added to `errors`: each one checked, the count bounded. */
export function checkMatcherList(
  list: readonly MatcherInput[],
  pointer: string,
  errors: FieldError[],
  opts: { readonly required?: boolean } = {},
): { matchers: Matcher[]; valid: boolean } {
  const checked = matchersFromInput(list, pointer);
  errors.push(...checked.errors);
  if (opts.required && list.length === 0) errors.push({ pointer, detail: 'needs at least one matcher' });
  if (list.length > MAX_MATCHERS) errors.push({ pointer, detail: `at most ${MAX_MATCHERS} matchers` });
  // `valid`: every matcher could be built (the list's own size problems aside).
  return { matchers: checked.matchers, valid: checked.errors.length === 0 };
}
