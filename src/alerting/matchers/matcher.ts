import { validationError } from '../../platform/errors.ts';
import { isValidLabelName, labelValue } from './labels.ts';
import { compileLabelRegex, regexMatches } from './regex.ts';

/**
 * One label condition, in the shape of Alertmanager's API v2 silence matcher, so silences, routes and
 * inhibition rules can be stored and exchanged in the form amtool and Alertmanager clients already speak.
 */
export interface Matcher {
  readonly name: string;
  /** The literal value, or the pattern when `isRegex`. */
  readonly value: string;
  readonly isRegex: boolean;
  /** false negates the match (`!=`, `!~`). */
  readonly isEqual: boolean;
}

/** A matcher as a client sends it: Alertmanager's `isEqual` is optional and defaults to true. */
export interface MatcherInput {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
  readonly isEqual?: boolean | undefined;
}

export const MATCH_OPERATORS = ['=', '!=', '=~', '!~'] as const;
export type MatchOperator = (typeof MATCH_OPERATORS)[number];

/** The operator a matcher's flags spell; `isEqual` missing counts as true, as in stored Alertmanager JSON. */
export const operatorOf = (m: Matcher): MatchOperator =>
  m.isRegex ? (m.isEqual === false ? '!~' : '=~') : m.isEqual === false ? '!=' : '=';

/**
 * Builds a checked matcher from a client's input, so nothing unmatchable is ever stored: a bad name or regex
 * is refused here with a message naming it, not discovered while matching an alert.
 */
export function newMatcher(input: MatcherInput): Matcher {
  if (!isValidLabelName(input.name)) {
    throw validationError(
      `invalid label name ${JSON.stringify(input.name)} in matcher: it must match [a-zA-Z_][a-zA-Z0-9_]*`,
    );
  }
  if (input.isRegex) compileLabelRegex(input.value);
  return Object.freeze({
    name: input.name,
    value: input.value,
    isRegex: input.isRegex,
    isEqual: input.isEqual ?? true,
  });
}

/** Builds a checked matcher from an operator, as the text syntax writes it. */
export const matcherFromOperator = (name: string, op: MatchOperator, value: string): Matcher =>
  newMatcher({ name, value, isRegex: op === '=~' || op === '!~', isEqual: op === '=' || op === '=~' });

/**
 * Alertmanager's semantics: an absent label is the empty string, so `team!="db"`, `team!~"db.*"` and
 * `team=""` all match an alert that has no `team` label. Regexes match the whole value.
 */
export function matches(m: Matcher, labels: Readonly<Record<string, string>>): boolean {
  const value = labelValue(labels, m.name);
  const hit = m.isRegex ? regexMatches(m.value, value) : value === m.value;
  return m.isEqual === false ? !hit : hit;
}

/** Matchers are ANDed, as in silences, routes and API filters. An empty list matches every alert. */
export function matchesAll(matchers: readonly Matcher[], labels: Readonly<Record<string, string>>): boolean {
  for (const m of matchers) if (!matches(m, labels)) return false;
  return true;
}

/**
 * Alertmanager's guard against silences that would mute everything: a silence is refused unless at least one
 * matcher must not match the empty string. Alertmanager counts only `=""` and `=~` patterns matching "" as
 * matching it; negative matchers never do, so `team!="db"` alone is accepted (it spares `team="db"`) while
 * `team=""` or `team=~".*"` alone is refused (verified against Alertmanager 0.25). An empty list is
 * match-everything too.
 */
export function matchesEverything(matchers: readonly Matcher[]): boolean {
  for (const m of matchers) {
    if (m.isEqual === false) return false;
    if (m.isRegex ? !regexMatches(m.value, '') : m.value !== '') return false;
  }
  return true;
}
