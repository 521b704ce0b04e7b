import { labelValue, matchesAll, type Matcher } from '../matchers/index.ts';

/** Alertmanager's inhibit rule: while a source alert fires, matching targets with equal labels stay quiet. */
export interface InhibitionRule {
  readonly id: string;
  readonly name: string;
  readonly sourceMatchers: readonly Matcher[];
  readonly targetMatchers: readonly Matcher[];
  /** Labels that must have the same value on source and target; absent on both counts as equal. */
  readonly equal: readonly string[];
}

export interface LabeledAlert {
  readonly fingerprint: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface Inhibition {
  readonly ruleId: string;
  readonly sourceFingerprint: string;
}

/**
 * Finds the first rule (in order) and firing source that inhibit `target`, following Alertmanager 0.25: the
 * target matches the rule's target matchers; a source matches its source matchers and agrees with the target
 * on every `equal` label (a label missing on both sides is equal, as Alertmanager compares "" with ""). An alert
 * never inhibits itself, and when the target also matches the source side, sources that also match the
 * target side are skipped: otherwise two alerts matching both sides would silence each other and neither
 * would ever be seen. `firingSources` may be a one-shot iterable; it is read at most once.
 */
export function findInhibitor(
  rules: readonly InhibitionRule[],
  target: LabeledAlert,
  firingSources: Iterable<LabeledAlert>,
): Inhibition | null {
  let sources: readonly LabeledAlert[] | undefined;
  for (const rule of rules) {
    if (!matchesAll(rule.targetMatchers, target.labels)) continue;
    sources ??= Array.isArray(firingSources)
      ? (firingSources as readonly LabeledAlert[])
      : [...firingSources];
    const twoSided = matchesAll(rule.sourceMatchers, target.labels);
    for (const source of sources) {
      if (source.fingerprint === target.fingerprint) continue;
      if (!rule.equal.every((n) => labelValue(source.labels, n) === labelValue(target.labels, n))) continue;
      if (!matchesAll(rule.sourceMatchers, source.labels)) continue;
      if (twoSided && matchesAll(rule.targetMatchers, source.labels)) continue;
      return { ruleId: rule.id, sourceFingerprint: source.fingerprint };
    }
  }
  return null;
}
