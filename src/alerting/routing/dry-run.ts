import { requireRole } from '../../identity/index.ts';
import { validationError } from '../../platform/errors.ts';
import type { Ctx } from '../../storage/index.ts';
import type { AlertSeverity } from '../../storage/schema.ts';
import { fingerprint, normalizeLabels, validateLabels } from '../matchers/index.ts';
import { loadNoiseSnapshot } from '../noise/snapshot.ts';
import { evaluateRoutes, type RouteStep } from './evaluate.ts';
import { loadRouteRules } from './routes.repo.ts';

export interface DryRunTarget {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly serviceId: string | null;
  readonly serviceName: string | null;
  readonly setSeverity: AlertSeverity | null;
  readonly setLabels: Readonly<Record<string, string>>;
  /** Why a new alert would open no incident on this service right now, or null. */
  readonly suppressedBy: string | null;
}

export interface DryRunResult {
  readonly targets: DryRunTarget[];
  readonly steps: RouteStep[];
  /**
   * No rule sends the alert to a service (none matched, or only "drop" rules without one): it stays unrouted,
   * unless the sender used an integration key, whose service then takes it.
   */
  readonly unrouted: boolean;
  /** The first reason found (silence, maintenance window, inhibition) a new alert would be muted, or null. */
  readonly suppressedBy: string | null;
}

/**
 * "Which rule takes this alert, and why": the rules as ingest would walk them for an alert with these labels,
 * and whether a silence, maintenance window or inhibition would mute it right now. Nothing is written. Flap
 * detection is left out: it depends on the alert's own history, which a hypothetical alert has none of.
 */
export async function dryRunRoutes(
  ctx: Ctx,
  input: { readonly labels: Readonly<Record<string, unknown>> },
): Promise<DryRunResult> {
  requireRole(ctx, 'observer', { teamId: null });
  const errors = validateLabels(input.labels, '/labels');
  if (errors.length > 0) throw validationError(`invalid labels: ${errors[0]!.detail}`, errors);
  const labels = normalizeLabels(input.labels as Record<string, string>);
  if (Object.keys(labels).length === 0)
    throw validationError('an alert needs at least one label', [
      { pointer: '/labels', detail: 'at least one label with a non-empty value is required' },
    ]);

  const now = ctx.clock.now();
  const [rules, services, noise] = await Promise.all([
    loadRouteRules(ctx.db),
    ctx.db.selectFrom('services').select(['id', 'name']).execute(),
    loadNoiseSnapshot(ctx, now),
  ]);
  const names = new Map(services.map((s) => [s.id, s.name]));
  const ruleNames = new Map(rules.map((r) => [r.id, r.name]));
  const decision = evaluateRoutes(rules, labels);
  const fp = fingerprint(labels);

  const targets: DryRunTarget[] = [];
  for (const t of decision.targets) {
    // The labels the alert would be stored with on this service, as ingest rewrites them.
    const routed = { ...labels, ...t.setLabels };
    targets.push({
      ruleId: t.ruleId,
      ruleName: ruleNames.get(t.ruleId) ?? '',
      serviceId: t.serviceId,
      serviceName: t.serviceId === null ? null : (names.get(t.serviceId) ?? null),
      setSeverity: t.setSeverity,
      setLabels: t.setLabels,
      suppressedBy: await noise.mutedBy({ serviceId: t.serviceId, fingerprint: fp, labels: routed }),
    });
  }
  const unrouted = targets.every((t) => t.serviceId === null);
  const suppressedBy =
    targets.length === 0
      ? await noise.mutedBy({ serviceId: null, fingerprint: fp, labels })
      : (targets.find((t) => t.suppressedBy !== null)?.suppressedBy ?? null);
  return { targets, steps: [...decision.steps], unrouted, suppressedBy };
}
