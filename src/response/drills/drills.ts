import { appendAudit, requireRole } from '../../identity/index.ts';
import { toIso, toIsoOrNull } from '../../platform/clock.ts';
import { AppError, notFound, validationError } from '../../platform/errors.ts';
import { inTx, type Ctx } from '../../storage/index.ts';
import type { PagingDrillsTable } from '../../storage/schema.ts';
import { resolveTargets } from '../escalation/targets.ts';
import { policySnapshot } from '../policies/index.ts';
import { insertDelivery } from '../notify/deliveries.repo.ts';
import { deliveryViews, type DeliveryView } from '../notify/delivery-log.ts';
import { channelKindOf, notificationPlan } from '../people/index.ts';

export interface DrillSummary {
  readonly steps: { step: number; people: string[]; channels: string[]; warnings: string[] }[];
  readonly warnings: string[];
}

export interface DrillView {
  readonly id: string;
  readonly userId: string | null;
  readonly policyId: string | null;
  readonly outcome: PagingDrillsTable['outcome'];
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly summary: DrillSummary;
  readonly deliveries: DeliveryView[];
}

const TEXT = 'This is a paging drill from Siaga: a test page sent through the real path. Nothing is wrong.';

/**
 * "Send a test page": for one person, a test message to each of their verified contact methods; for a policy,
 * what each step would page right now (schedules resolved, notification rules applied), sent at once. The drill
 * passes when every message was delivered; its result stays for the preparedness score.
 */
export async function startDrill(
  ctx: Ctx,
  input: { userId?: string; policyId?: string },
): Promise<DrillView> {
  if ((input.userId === undefined) === (input.policyId === undefined))
    throw validationError('name either a person (userId) or an escalation policy (policyId)');
  const id = await inTx(ctx, async (tx) => {
    const now = tx.clock.now();
    const drillId = tx.ids.next('drl');
    const summary: DrillSummary = { steps: [], warnings: [] };
    let sent = 0;
    const test = async (d: {
      userId: string | null;
      contactMethodId: string | null;
      channelId: string | null;
      kind: string;
    }) => {
      const inserted = await insertDelivery(tx, {
        incidentId: null,
        kind: 'test',
        event: 'notice',
        userId: d.userId,
        contactMethodId: d.contactMethodId,
        channelId: d.channelId,
        channelKind: d.kind as never,
        dueAt: now,
        dedupKey: `test:${drillId}:${d.contactMethodId ?? d.channelId}`,
        payload: { drillId, subject: 'Siaga paging drill: test page', text: TEXT },
      });
      if (inserted) sent++;
    };
    if (input.userId !== undefined) {
      const actor = ctx.actor;
      const self = actor.kind === 'user' && actor.userId === input.userId;
      if (!self) requireRole(tx, 'admin', { teamId: null, entity: 'user', id: input.userId });
      const user = await tx.db
        .selectFrom('users')
        .select(['id', 'name', 'status'])
        .where('id', '=', input.userId)
        .executeTakeFirst();
      if (!user || user.status !== 'active') throw notFound('user', input.userId);
      const methods = await tx.db
        .selectFrom('contact_methods')
        .select(['id', 'kind'])
        .where('user_id', '=', user.id)
        .where('verified_at', 'is not', null)
        .where('disabled_at', 'is', null)
        .where('expired_at', 'is', null)
        .execute();
      if (methods.length === 0)
        summary.warnings.push(
          `${user.name} has no verified, enabled and unexpired contact method: nothing to test`,
        );
      for (const m of methods)
        await test({ userId: user.id, contactMethodId: m.id, channelId: null, kind: channelKindOf(m.kind) });
    } else {
      const policy = await policySnapshot(tx, input.policyId!);
      if (!policy) throw notFound('escalation policy', input.policyId!);
      const team = await tx.db
        .selectFrom('escalation_policies')
        .select('team_id')
        .where('id', '=', policy.id)
        .executeTakeFirstOrThrow();
      requireRole(tx, 'responder', { teamId: team.team_id, entity: 'escalation policy', id: policy.id });
      for (const [i, step] of policy.steps.entries()) {
        const targets = await resolveTargets(tx, step.targets, now);
        const warnings = [...targets.notes];
        if (targets.people.length === 0 && targets.channels.length === 0)
          warnings.push('nobody to page: a real incident would skip this step at once');
        for (const person of targets.people) {
          const plan = await notificationPlan(tx, person.id, 'high');
          if (plan.length === 0)
            warnings.push(`${person.name} cannot be reached (no verified method with a high-urgency rule)`);
          for (const r of plan)
            await test({
              userId: person.id,
              contactMethodId: r.contactMethodId,
              channelId: null,
              kind: r.channelKind,
            });
        }
        for (const c of targets.channels)
          await test({ userId: null, contactMethodId: null, channelId: c.id, kind: c.kind });
        summary.steps.push({
          step: i + 1,
          people: targets.people.map((p) => p.name),
          channels: targets.channels.map((c) => c.name),
          warnings,
        });
      }
    }
    await tx.db
      .insertInto('paging_drills')
      .values({
        id: drillId,
        user_id: input.userId ?? null,
        policy_id: input.policyId ?? null,
        started_by: ctx.actor.kind === 'user' ? ctx.actor.userId : ctx.actor.kind,
        started_at: now,
        finished_at: sent === 0 ? now : null,
        outcome: sent === 0 ? 'failed' : 'running',
        summary: JSON.stringify(summary),
      })
      .execute();
    await appendAudit(tx, {
      action: 'drill.started',
      object: { type: 'paging_drill', id: drillId },
      after: { userId: input.userId ?? null, policyId: input.policyId ?? null, messages: sent },
    });
    return drillId;
  });
  return getDrill(ctx, id);
}

export async function getDrill(ctx: Ctx, id: string): Promise<DrillView> {
  if (ctx.actor.kind === 'anonymous') throw new AppError('unauthorized', 'sign in first');
  const row = await ctx.db.selectFrom('paging_drills').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('paging drill', id);
  await requireDrillAccess(ctx, row);
  const deliveries = await ctx.db
    .selectFrom('deliveries')
    .selectAll()
    .where('dedup_key', 'like', `test:${id}:%`)
    .orderBy('created_at')
    .execute();
  return {
    id: row.id,
    userId: row.user_id,
    policyId: row.policy_id,
    outcome: row.outcome,
    startedAt: toIso(row.started_at),
    finishedAt: toIsoOrNull(row.finished_at),
    summary: JSON.parse(row.summary) as DrillSummary,
    deliveries: await deliveryViews(ctx, deliveries),
  };
}

/**
 * Called when a test message reaches a final state, or a sent one is later reported undelivered: the drill
 * finishes once all of its messages have, and a pass turns into a failure if one of them turns out not delivered.
 */
export async function settleDrill(ctx: Ctx, drillId: string): Promise<void> {
  const rows = await ctx.db
    .selectFrom('deliveries')
    .select('status')
    .where('dedup_key', 'like', `test:${drillId}:%`)
    .execute();
  if (rows.some((r) => r.status === 'pending' || r.status === 'sending')) return;
  const passed = rows.length > 0 && rows.every((r) => r.status === 'sent');
  const summary = await ctx.db
    .selectFrom('paging_drills')
    .select('summary')
    .where('id', '=', drillId)
    .executeTakeFirst();
  const warned = summary
    ? (JSON.parse(summary.summary) as DrillSummary).steps.some((s) => s.warnings.length > 0)
    : false;
  const outcome = passed && !warned ? 'passed' : 'failed';
  await ctx.db
    .updateTable('paging_drills')
    .set({ outcome, finished_at: ctx.clock.now() })
    .where('id', '=', drillId)
    .where('outcome', '=', 'running')
    .execute();
  // A test SMS or call that the provider reports undelivered after the drill passed (Twilio's status callback
  // comes after it accepted the message): the drill did not pass after all.
  if (outcome === 'failed')
    await ctx.db
      .updateTable('paging_drills')
      .set({ outcome })
      .where('id', '=', drillId)
      .where('outcome', '=', 'passed')
      .execute();
}

/** The latest drills for a person or a policy (the preparedness score reads the newest). */
export async function listDrills(
  ctx: Ctx,
  filter: { userId?: string; policyId?: string },
): Promise<DrillView[]> {
  if (ctx.actor.kind === 'anonymous') throw new AppError('unauthorized', 'sign in first');
  let q = ctx.db.selectFrom('paging_drills').select('id').orderBy('started_at', 'desc').limit(20);
  if (filter.userId) q = q.where('user_id', '=', filter.userId);
  if (filter.policyId) q = q.where('policy_id', '=', filter.policyId);
  const rows = await q.execute();
  const visible: DrillView[] = [];
  for (const r of rows) {
    try {
      visible.push(await getDrill(ctx, r.id));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  }
  return visible;
}

/** A person's drills are theirs (and global admins'); a policy's drills are its team's. Others get a 404. */
async function requireDrillAccess(ctx: Ctx, row: PagingDrillsTable): Promise<void> {
  if (row.policy_id) {
    const p = await ctx.db
      .selectFrom('escalation_policies')
      .select('team_id')
      .where('id', '=', row.policy_id)
      .executeTakeFirst();
    requireRole(ctx, 'stakeholder', { teamId: p?.team_id ?? null, entity: 'paging drill', id: row.id });
  } else if (!(ctx.actor.kind === 'user' && ctx.actor.userId === row.user_id))
    requireRole(ctx, 'admin', { teamId: null, entity: 'paging drill', id: row.id });
}
