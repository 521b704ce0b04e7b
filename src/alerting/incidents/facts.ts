import { Type } from 'typebox';
import { defineJobType, enqueue, type JobType } from '../../jobs/index.ts';
import type { Ctx } from '../../storage/index.ts';

/**
 * Facts about incidents that later stages act on (escalation, notifications). Alerting declares them and enqueues
 * them in the transaction that changes the incident; the response stage registers the handlers. Priority 10:
 * paging goes before housekeeping.
 */
const fact = (kind: string) =>
  defineJobType({
    kind,
    payload: Type.Object({ incidentId: Type.String() }),
    maxAttempts: 20,
    priority: 10,
    backoffMs: (attempt) => Math.min(30_000, 500 * 2 ** attempt),
  });

export const IncidentOpened = fact('incident.opened');
export const IncidentAcknowledged = fact('incident.acknowledged');
export const IncidentUnacknowledged = fact('incident.unacknowledged');
export const IncidentResolved = fact('incident.resolved');

export type IncidentFact = typeof IncidentOpened;

export async function announceIncident(ctx: Ctx, type: JobType<IncidentFact['payload']>, incidentId: string) {
  await enqueue(ctx, type, { incidentId });
}
