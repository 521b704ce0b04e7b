import { appendAudit, appendTeamObjectUpdate, canSee, requireRole } from '../../identity/index.ts';
import { AppError, conflict, notFound, validationError } from '../../platform/errors.ts';
import type { Role } from '../../platform/context.ts';
import { inTx, type Ctx } from '../../storage/index.ts';
import type { PolicyStep } from './model.ts';
import {
  checkPolicyName,
  checkRepeat,
  checkSteps,
  checkTargetsExist,
  type PolicyStepInput,
} from './policy-checks.ts';
import { policyView, policyViews, type PolicyView } from './policy-views.ts';
import {
  deletePolicyRow,
  findPolicyRow,
  insertPolicyRow,
  listPolicyRows,
  policyNameTaken,
  servicesUsingPolicy,
  stepsJson,
  updatePolicyRow,
  type PolicyRow,
} from './policies.repo.ts';
import { refuseDeclared, requireTeamAdmin, teamExists, visibleTeamIds } from './team-access.ts';

export interface CreatePolicyInput {
  name: string;
  teamId: string;
  description?: string;
  steps: readonly PolicyStepInput[];
  /** How many times the whole policy runs again after its last step; 0 (the default) runs it once. */
  repeat?: number;
}

/** Every field may change; moving a policy to another team needs the admin role in both teams. */
export type UpdatePolicyInput = Partial<CreatePolicyInput>;

/** The policy, if the actor holds at least `min` in its team; 404 when they cannot see it at all. */
async function policyFor(ctx: Ctx, id: string, min: Role): Promise<PolicyRow> {
  const row = await findPolicyRow(ctx, id);
  if (!row) throw notFound('escalation policy', id);
  requireRole(ctx, min, { teamId: row.team_id, entity: 'escalation policy', id });
  return row;
}

async function checkTeam(ctx: Ctx, teamId: string): Promise<void> {
  // Only those who see every team get this far for a team that does not exist (others got a 404 for it).
  if (!(await teamExists(ctx.db, teamId)))
    throw validationError(`team ${teamId} does not exist`, [{ pointer: '/teamId', detail: 'is not a team' }]);
}

async function checkNameFree(ctx: Ctx, name: string, exceptId?: string): Promise<void> {
  if (await policyNameTaken(ctx.db, name, exceptId))
    throw conflict(`an escalation policy named ${name} already exists`, { name });
}

/** Policies of the teams the actor belongs to (every team's, for global admins), by name. */
export async function listPolicies(ctx: Ctx, filter: { teamId?: string } = {}): Promise<PolicyView[]> {
  if (ctx.actor.kind === 'anonymous') throw new AppError('unauthorized', 'sign in first');
  if (filter.teamId !== undefined) {
    requireRole(ctx, 'stakeholder', { teamId: filter.teamId, entity: 'team', id: filter.teamId });
    return policyViews(ctx.db, await listPolicyRows(ctx.db, [filter.teamId]));
  }
  return policyViews(ctx.db, await listPolicyRows(ctx.db, await visibleTeamIds(ctx)));
}

export async function getPolicy(ctx: Ctx, id: string): Promise<PolicyView> {
  return policyView(ctx.db, await policyFor(ctx, id, 'stakeholder'));
}

/** Team admins create policies in their team (global admins in any team). */
export async function createPolicy(ctx: Ctx, input: CreatePolicyInput): Promise<PolicyView> {
  requireTeamAdmin(ctx, input.teamId);
  const name = checkPolicyName(input.name);
  const steps = checkSteps(input.steps);
  const repeat = checkRepeat(input.repeat ?? 0);
  return inTx(
    ctx,
    async (tx) => {
      await checkTeam(tx, input.teamId);
      await checkTargetsExist(tx, steps);
      await checkNameFree(tx, name);
      const now = tx.clock.now();
      const row: PolicyRow = {
        id: tx.ids.next('pol'),
        team_id: input.teamId,
        name,
        description: input.description?.trim() ?? '',
        steps: stepsJson(steps),
        repeat,
        version: 1,
        declared: false,
        created_at: now,
        updated_at: now,
      };
      await insertPolicyRow(tx.db, row);
      const after = await policyView(tx.db, row);
      await appendAudit(tx, {
        action: 'escalation_policy.created',
        object: { type: 'escalation_policy', id: row.id },
        teamId: row.team_id,
        after,
      });
      return after;
    },
    // A concurrent create of the same name fails the insert; run again, the name check then answers 409.
    { retryOnUniqueViolation: true },
  );
}

/**
 * Changes a policy and bumps its version. Incidents already paging keep the snapshot they opened with; the new
 * version applies to incidents that open from now on.
 */
export async function updatePolicy(ctx: Ctx, id: string, patch: UpdatePolicyInput): Promise<PolicyView> {
  const name = patch.name === undefined ? undefined : checkPolicyName(patch.name);
  const steps: PolicyStep[] | undefined = patch.steps === undefined ? undefined : checkSteps(patch.steps);
  const repeat = patch.repeat === undefined ? undefined : checkRepeat(patch.repeat);
  return inTx(
    ctx,
    async (tx) => {
      const before = await policyFor(tx, id, 'admin');
      refuseDeclared(before, 'escalation policy');
      if (patch.teamId !== undefined && patch.teamId !== before.team_id) {
        requireTeamAdmin(tx, patch.teamId);
        await checkTeam(tx, patch.teamId);
      }
      if (steps !== undefined) await checkTargetsExist(tx, steps);
      if (name !== undefined && name !== before.name) await checkNameFree(tx, name, id);
      const after: PolicyRow = {
        ...before,
        name: name ?? before.name,
        description: patch.description?.trim() ?? before.description,
        team_id: patch.teamId ?? before.team_id,
        steps: steps === undefined ? before.steps : stepsJson(steps),
        repeat: repeat ?? before.repeat,
        version: before.version + 1,
        updated_at: tx.clock.now(),
      };
      const { id: _id, created_at: _created, declared: _declared, ...changes } = after;
      await updatePolicyRow(tx.db, id, changes);
      const [beforeView, result] = await policyViews(tx.db, [before, after]);
      await appendTeamObjectUpdate(tx, {
        action: 'escalation_policy.updated',
        object: { type: 'escalation_policy', id },
        teamBefore: before.team_id,
        teamAfter: after.team_id,
        before: beforeView,
        after: result,
      });
      return result!;
    },
    { retryOnUniqueViolation: true },
  );
}

/** Refused while a service pages through the policy: its incidents would open with nobody to wake. */
export async function deletePolicy(ctx: Ctx, id: string): Promise<void> {
  await inTx(ctx, async (tx) => {
    const before = await policyFor(tx, id, 'admin');
    refuseDeclared(before, 'escalation policy');
    const users = await servicesUsingPolicy(tx.db, id);
    if (users.length > 0) {
      // Name only the services the actor may see; the others are counted.
      const shown = users.filter((s) => canSee(tx, s.team_id));
      const hidden = users.length - shown.length;
      const which = [
        ...shown.map((s) => s.name),
        ...(hidden > 0 ? [`${hidden} other${hidden === 1 ? '' : 's'}`] : []),
      ];
      throw conflict(
        `escalation policy ${before.name} is used by ${users.length === 1 ? 'service' : 'services'} ${which.join(', ')}; give ${users.length === 1 ? 'it' : 'them'} another policy first`,
        { services: shown.map((s) => s.id) },
      );
    }
    const view = await policyView(tx.db, before);
    await deletePolicyRow(tx.db, id);
    await appendAudit(tx, {
      action: 'escalation_policy.deleted',
      object: { type: 'escalation_policy', id },
      teamId: before.team_id,
      before: view,
    });
  });
}
