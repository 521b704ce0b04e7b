import { requireRole } from '../../identity/index.ts';
import { toIso, toIsoOrNull } from '../../platform/clock.ts';
import { notFound } from '../../platform/errors.ts';
import type { Ctx } from '../../storage/index.ts';
import type { PolicySnapshot } from '../policies/model.ts';

export interface EscalationView {
  readonly policyId: string;
  readonly policyName: string;
  readonly policyVersion: number;
  readonly state: 'active' | 'stopped' | 'exhausted';
  /** 1-based; null before the first step ran. */
  readonly step: number | null;
  readonly steps: number;
  /** 1-based round of `repeat + 1`. */
  readonly round: number;
  readonly rounds: number;
  /** When the next step runs (active escalations only). */
  readonly nextStepAt: string | null;
  readonly startedAt: string;
}

/** Where an incident's escalation stands: null when the incident pages nobody (no policy). */
export async function getEscalation(ctx: Ctx, incidentId: string): Promise<EscalationView | null> {
  const incident = await ctx.db
    .selectFrom('incidents')
    .innerJoin('services', 'services.id', 'incidents.service_id')
    .select(['incidents.id', 'services.team_id'])
    .where('incidents.id', '=', incidentId)
    .executeTakeFirst();
  if (!incident) throw notFound('incident', incidentId);
  requireRole(ctx, 'stakeholder', { teamId: incident.team_id, entity: 'incident', id: incidentId });
  const esc = await ctx.db
    .selectFrom('escalations')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .executeTakeFirst();
  if (!esc) return null;
  const policy = JSON.parse(esc.policy_snapshot) as PolicySnapshot;
  return {
    policyId: policy.id,
    policyName: policy.name,
    policyVersion: policy.version,
    state: esc.state,
    step: esc.step_index < 0 ? null : esc.step_index + 1,
    steps: policy.steps.length,
    round: esc.round + 1,
    rounds: policy.repeat + 1,
    nextStepAt: esc.state === 'active' ? toIsoOrNull(esc.next_step_at) : null,
    startedAt: toIso(esc.started_at),
  };
}
