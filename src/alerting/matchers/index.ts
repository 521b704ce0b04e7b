export {
  MATCH_OPERATORS,
  matcherFromOperator,
  matches,
  matchesAll,
  matchesEverything,
  newMatcher,
  operatorOf,
  type MatchOperator,
  type Matcher,
  type MatcherInput,
} from './matcher.ts';
export { formatMatcher, formatMatchers, parseMatcher, parseMatchers } from './parse.ts';
export { compileLabelRegex, MAX_REGEX_LENGTH, regexMatches, type LabelRegex } from './regex.ts';
export { fingerprint } from './fingerprint.ts';
export {
  isValidLabelName,
  LABEL_LIMITS,
  LABEL_NAME_PATTERN,
  labelValue,
  normalizeLabels,
  validateLabels,
} from './labels.ts';
