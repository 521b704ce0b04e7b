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
