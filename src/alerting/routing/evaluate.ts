import type { AlertSeverity } from '../../storage/schema.ts';
import { formatMatcher, matches, type Matcher } from '../matchers/index.ts';

/** One routing rule as the evaluator sees it; the order of the list is the order rules are tried in. */
export interface RouteRule {
  readonly id: string;
  readonly name: string;
  readonly matchers: readonly Matcher[];
  /** null: the rule matches but sends the alert nowhere (a "drop to unrouted" rule). */
  readonly serviceId: string | null;
  /** Go on trying the rules after this one when it matches (Alertmanager's `continue`). */
  readonly continue: boolean;
  /** The default route takes an alert that no other rule took; there is at most one. */
  readonly isDefault: boolean;
  readonly setSeverity: AlertSeverity | null;
  readonly setLabels: Readonly<Record<string, string>>;
}

export interface RouteTarget {
  readonly ruleId: string;
  readonly serviceId: string | null;
  readonly setSeverity: AlertSeverity | null;
  readonly setLabels: Readonly<Record<string, string>>;
}

/** Why each rule did or did not take the alert: the answer to "which rule takes this alert, and why". */
export interface RouteStep {
  readonly ruleId: string;
  readonly name: string;
  readonly outcome: 'matched' | 'not-matched' | 'skipped' | 'default';
  readonly reason: string;
}

export interface RouteDecision {
  readonly targets: readonly RouteTarget[];
  readonly steps: readonly RouteStep[];
}

const target = (r: RouteRule): RouteTarget => ({
  ruleId: r.id,
  serviceId: r.serviceId,
  setSeverity: r.setSeverity,
  setLabels: r.setLabels,
});

/**
 * Alertmanager's first-match-wins with `continue`, flattened to one level: rules are tried in order; a match
 * without `continue` ends the walk. The default route applies only when nothing else matched.
 */
export function evaluateRoutes(
  rules: readonly RouteRule[],
  labels: Readonly<Record<string, string>>,
): RouteDecision {
  const targets: RouteTarget[] = [];
  const steps: RouteStep[] = [];
  let stopped = false;
  for (const rule of rules) {
    if (rule.isDefault) continue;
    if (stopped) {
      steps.push({
        ruleId: rule.id,
        name: rule.name,
        outcome: 'skipped',
        reason: 'an earlier rule matched without continue',
      });
      continue;
    }
    const failed = rule.matchers.find((m) => !matches(m, labels));
    if (failed) {
      const actual = labels[failed.name];
      steps.push({
        ruleId: rule.id,
        name: rule.name,
        outcome: 'not-matched',
        reason: `${formatMatcher(failed)} does not hold (${failed.name} is ${actual === undefined ? 'absent' : JSON.stringify(actual)})`,
      });
      continue;
    }
    targets.push(target(rule));
    steps.push({
      ruleId: rule.id,
      name: rule.name,
      outcome: 'matched',
      reason:
        rule.matchers.length === 0
          ? 'the rule has no matchers, so it takes every alert'
          : `every matcher holds: ${rule.matchers.map(formatMatcher).join(', ')}`,
    });
    if (!rule.continue) stopped = true;
  }
  const fallback = rules.find((r) => r.isDefault);
  if (fallback) {
    if (targets.length === 0) {
      targets.push(target(fallback));
      steps.push({
        ruleId: fallback.id,
        name: fallback.name,
        outcome: 'default',
        reason: 'no other rule took the alert',
      });
    } else {
      steps.push({
        ruleId: fallback.id,
        name: fallback.name,
        outcome: 'skipped',
        reason: 'another rule took the alert',
      });
    }
  }
  return { targets, steps };
}
