import { Type } from 'typebox';
import { appendTimeline, type TimelineActor } from '../../alerting/index.ts';
import { defineJobType, enqueue } from '../../jobs/index.ts';
import { MINUTE, type EpochMs } from '../../platform/clock.ts';
import { queryTemplate, type Ctx } from '../../storage/index.ts';
import type { EscalationsTable, IncidentsTable } from '../../storage/schema.ts';
import { planPages } from '../notify/plan.ts';
import type { PolicySnapshot } from '../policies/model.ts';
import { policySnapshot } from '../policies/index.ts';
import { nextPosition, takeTurn } from './advance.ts';
import { resolveTargets } from './targets.ts';

/** Runs the escalation's next step when its time comes; `seq` fences it (see `escalations.seq`). */
export const EscalationStep = defineJobType({
  kind: 'escalation.step',
  payload: Type.Object({ incidentId: Type.String(), seq: Type.Integer() }),
  maxAttempts: 20,
  priority: 10,
  backoffMs: (attempt) => Math.min(30_000, 500 * 2 ** attempt),
});

const ENGINE: TimelineActor = { kind: 'system', reason: 'escalation' };

type Incident = Pick<IncidentsTable, 'id' | 'status' | 'urgency' | 'service_id'>;

// Every incident's escalation reads these at each step: compiled once (storage/templates.ts).
const selectIncident = queryTemplate((db, a: { id: string }) =>
  db.selectFrom('incidents').select(['id', 'status', 'urgency', 'service_id']).where('id', '=', a.id),
);
const selectEscalation = queryTemplate((db, a: { incidentId: string }) =>
  db.selectFrom('escalations').selectAll().where('incident_id', '=', a.incidentId),
);
const selectServicePolicy = queryTemplate((db, a: { id: string }) =>
  db.selectFrom('services').select(['name', 'escalation_policy_id']).where('id', '=', a.id),
);
const insertEscalation = queryTemplate(
  (db, row: EscalationsTable) => db.insertInto('escalations').values(row),
  [
    'incident_id',
    'policy_id',
    'policy_snapshot',
    'step_index',
    'round',
    'seq',
    'state',
    'cursors',
    'next_step_at',
    'started_at',
    'updated_at',
  ],
);
const updateEscalation = queryTemplate(
  (
    db,
    a: Pick<
      EscalationsTable,
      'step_index' | 'round' | 'seq' | 'state' | 'next_step_at' | 'cursors' | 'updated_at'
    > & {
      incidentId: string;
      beforeSeq: number;
    },
  ) =>
    db
      .updateTable('escalations')
      .set({
        step_index: a.step_index,
        round: a.round,
        seq: a.seq,
        state: a.state,
        next_step_at: a.next_step_at,
        cursors: a.cursors,
        updated_at: a.updated_at,
      })
      .where('incident_id', '=', a.incidentId)
      .where('seq', '=', a.beforeSeq),
);

async function loadIncident(ctx: Ctx, id: string): Promise<Incident | undefined> {
  return (await selectIncident.run(ctx, { id })).rows[0];
}

async function loadEscalation(ctx: Ctx, incidentId: string): Promise<EscalationsTable | undefined> {
  return (await selectEscalation.run(ctx, { incidentId })).rows[0];
}

async function note(
  ctx: Ctx,
  incidentId: string,
  type: Parameters<typeof appendTimeline>[1]['type'],
  data: Record<string, unknown>,
) {
  await appendTimeline(ctx, { incidentId, type, actor: ENGINE, data });
}

/**
 * The incident opened: copy its service's policy into the incident (later edits do not change paging in flight)
 * and run the first step now. Idempotent: a second run finds the escalation and does nothing.
 */
export async function startEscalation(ctx: Ctx, incidentId: string): Promise<void> {
  if (await loadEscalation(ctx, incidentId)) return;
  const incident = await loadIncident(ctx, incidentId);
  if (!incident || incident.status !== 'triggered') return;
  const service = (await selectServicePolicy.run(ctx, { id: incident.service_id })).rows[0];
  if (!service) throw new Error(`incident ${incidentId} names service ${incident.service_id}, which is gone`);
  const policy = service.escalation_policy_id
    ? await policySnapshot(ctx, service.escalation_policy_id)
    : null;
  if (!policy) {
    await note(ctx, incidentId, 'escalation.no_policy', {
      warning: `service ${service.name} has no escalation policy: nobody is paged`,
    });
    return;
  }
  const now = ctx.clock.now();
  const row: EscalationsTable = {
    incident_id: incidentId,
    policy_id: policy.id,
    policy_snapshot: JSON.stringify(policy),
    step_index: -1,
    round: 0,
    seq: 1,
    state: 'active',
    cursors: '{}',
    next_step_at: now,
    started_at: now,
    updated_at: now,
  };
  await insertEscalation.run(ctx, row);
  await note(ctx, incidentId, 'escalation.started', {
    policyId: policy.id,
    policy: policy.name,
    version: policy.version,
  });
  await runNextStep(ctx, row, incident);
}

/** The step job: runs the next step if the escalation is still where it was when the job was scheduled. */
export async function continueEscalation(ctx: Ctx, incidentId: string, seq: number): Promise<void> {
  const esc = await loadEscalation(ctx, incidentId);
  if (!esc || esc.state !== 'active' || esc.seq !== seq) return;
  const incident = await loadIncident(ctx, incidentId);
  if (!incident || incident.status !== 'triggered') return;
  await runNextStep(ctx, esc, incident);
}

/**
 * Pages the next step's targets and schedules the one after. A step whose targets come to nobody is skipped at
 * once, with a warning on the timeline, never waited out in silence.
 */
async function runNextStep(ctx: Ctx, start: EscalationsTable, incident: Incident): Promise<void> {
  const policy = JSON.parse(start.policy_snapshot) as PolicySnapshot;
  const cursors = JSON.parse(start.cursors) as Record<string, number>;
  const now = ctx.clock.now();
  let pos = { index: start.step_index, round: start.round };
  // Bounded: each pass moves one step forward and the policy has finitely many steps and rounds.
  for (let guard = 0; guard <= policy.steps.length * (policy.repeat + 1); guard++) {
    const next = nextPosition(policy, pos);
    const seq = start.seq + 1;
    if (next === 'exhausted') {
      await saveEscalation(ctx, start, { ...pos, seq, state: 'exhausted', nextStepAt: null, cursors, now });
      await note(ctx, incident.id, 'escalation.exhausted', {
        warning: `escalation policy ${policy.name} ran ${policy.repeat + 1} time(s) without an acknowledgement; paging has stopped`,
        rounds: policy.repeat + 1,
      });
      return;
    }
    pos = next;
    const step = policy.steps[next.index]!;
    const targets = await resolveTargets(ctx, step.targets, now);
    let people = targets.people;
    if (step.roundRobin) {
      const turn = takeTurn(people, cursors[String(next.index)] ?? 0);
      people = turn.chosen;
      cursors[String(next.index)] = turn.cursor;
    }
    const where = { step: next.index + 1, round: next.round + 1 };
    if (people.length === 0 && targets.channels.length === 0) {
      await note(ctx, incident.id, 'escalation.no_one_on_call', {
        ...where,
        warning: `step ${where.step} has nobody to page; escalating to the next step at once`,
        notes: targets.notes,
      });
      continue;
    }
    const planned = await planPages(
      ctx,
      { incidentId: incident.id, urgency: incident.urgency, seq, step: next.index, round: next.round, now },
      people,
      targets.channels,
    );
    await note(ctx, incident.id, 'escalation.step_started', {
      ...where,
      people: people.map((p) => ({ id: p.id, name: p.name })),
      channels: targets.channels.map((c) => ({ id: c.id, name: c.name, kind: c.kind })),
      notes: targets.notes,
    });
    if (planned.unreachable.length > 0)
      await note(ctx, incident.id, 'escalation.unreachable', {
        ...where,
        warning: `${planned.unreachable.map((p) => p.name).join(', ')} cannot be reached: no verified, enabled and unexpired contact method with a rule for ${incident.urgency} urgency`,
        people: planned.unreachable.map((p) => ({ id: p.id, name: p.name })),
        notes: planned.unreachableNotes,
      });
    const nextStepAt = (now + step.escalateAfterMinutes * MINUTE) as EpochMs;
    await saveEscalation(ctx, start, { ...pos, seq, state: 'active', nextStepAt, cursors, now });
    await enqueue(ctx, EscalationStep, { incidentId: incident.id, seq }, { runAt: nextStepAt });
    return;
  }
}

async function saveEscalation(
  ctx: Ctx,
  before: EscalationsTable,
  next: {
    index: number;
    round: number;
    seq: number;
    state: EscalationsTable['state'];
    nextStepAt: EpochMs | null;
    cursors: Record<string, number>;
    now: EpochMs;
  },
): Promise<void> {
  await updateEscalation.run(ctx, {
    step_index: next.index,
    round: next.round,
    seq: next.seq,
    state: next.state,
    next_step_at: next.nextStepAt,
    cursors: JSON.stringify(next.cursors),
    updated_at: next.now,
    incidentId: before.incident_id,
    beforeSeq: before.seq,
  });
}

/** Acknowledged or resolved: pending steps become no-ops (seq moves on) and the escalation says why it stopped. */
export async function stopEscalation(
  ctx: Ctx,
  incidentId: string,
  reason: 'acknowledged' | 'resolved',
): Promise<void> {
  const esc = await loadEscalation(ctx, incidentId);
  if (!esc || esc.state !== 'active') return;
  const now = ctx.clock.now();
  await ctx.db
    .updateTable('escalations')
    .set({ state: 'stopped', seq: esc.seq + 1, next_step_at: null, updated_at: now })
    .where('incident_id', '=', incidentId)
    .where('seq', '=', esc.seq)
    .execute();
  await note(ctx, incidentId, 'escalation.stopped', { reason: `incident ${reason}` });
}

/** Un-acknowledged: escalation starts again from the first step of the incident's snapshot. */
export async function restartEscalation(ctx: Ctx, incidentId: string): Promise<void> {
  const incident = await loadIncident(ctx, incidentId);
  if (!incident || incident.status !== 'triggered') return;
  const esc = await loadEscalation(ctx, incidentId);
  if (!esc) return startEscalation(ctx, incidentId);
  if (esc.state === 'active') return;
  const now = ctx.clock.now();
  const restarted: EscalationsTable = {
    ...esc,
    step_index: -1,
    round: 0,
    seq: esc.seq + 1,
    state: 'active',
    updated_at: now,
  };
  await ctx.db
    .updateTable('escalations')
    .set({ step_index: -1, round: 0, seq: restarted.seq, state: 'active', updated_at: now })
    .where('incident_id', '=', incidentId)
    .where('seq', '=', esc.seq)
    .execute();
  await note(ctx, incidentId, 'escalation.started', { restarted: true, policyId: esc.policy_id });
  await runNextStep(ctx, restarted, incident);
}
