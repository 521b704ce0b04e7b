import { normalizeEmail } from '../../identity/index.ts';
import { validationError, type FieldError } from '../../platform/errors.ts';
import type { Ctx } from '../../storage/index.ts';
import type { PolicyTarget } from './model.ts';
import { checkPolicyName, checkRepeat, checkSteps, checkTargetsExist } from './policy-checks.ts';
import {
  findPolicyRowByName,
  insertPolicyRow,
  stepsJson,
  updatePolicyRow,
  type PolicyRow,
} from './policies.repo.ts';

/**
 * Policies declared in the YAML config file. The file names targets the way people know them (a user's e-mail,
 * a schedule's, team's or channel's name); they are resolved to ids here, at every start.
 */
export interface DeclaredPolicyInput {
  readonly name: string;
  readonly teamId: string;
  readonly description: string;
  readonly repeat: number;
  readonly steps: readonly {
    readonly escalateAfterMinutes: number;
    readonly roundRobin: boolean;
    readonly targets: readonly { readonly type: PolicyTarget['type']; readonly ref: string }[];
  }[];
}

async function resolveRef(ctx: Ctx, type: PolicyTarget['type'], ref: string): Promise<string | undefined> {
  switch (type) {
    case 'user':
      return (
        await ctx.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', normalizeEmail(ref))
          .where('status', '=', 'active')
          .executeTakeFirst()
      )?.id;
    case 'schedule':
      return (await ctx.db.selectFrom('schedules').select('id').where('name', '=', ref).executeTakeFirst())
        ?.id;
    case 'team':
      return (await ctx.db.selectFrom('teams').select('id').where('name', '=', ref).executeTakeFirst())?.id;
    case 'channel':
      return (await ctx.db.selectFrom('channels').select('id').where('name', '=', ref).executeTakeFirst())
        ?.id;
  }
}

const UNKNOWN: Record<PolicyTarget['type'], string> = {
  user: 'no active user has the e-mail address',
  schedule: 'no schedule is named',
  team: 'no team is named',
  channel: 'no channel is named',
};

/**
 * Creates or updates the declared policy of that name (an existing one made through the API is taken over) and
 * marks it declared. The version moves only when something changed, so a restart with the same file changes
 * nothing. Problems are validation errors with pointers into the declaration (`/steps/0/targets/1`).
 */
export async function applyDeclaredPolicy(
  ctx: Ctx,
  spec: DeclaredPolicyInput,
): Promise<{ id: string; name: string }> {
  const name = checkPolicyName(spec.name);
  const repeat = checkRepeat(spec.repeat);
  const errors: FieldError[] = [];
  const resolved = [];
  for (const [i, s] of spec.steps.entries()) {
    const targets: PolicyTarget[] = [];
    for (const [j, t] of s.targets.entries()) {
      const id = await resolveRef(ctx, t.type, t.ref);
      if (id === undefined)
        errors.push({ pointer: `/steps/${i}/targets/${j}`, detail: `${UNKNOWN[t.type]} "${t.ref}"` });
      else targets.push({ type: t.type, id });
    }
    resolved.push({ escalateAfterMinutes: s.escalateAfterMinutes, roundRobin: s.roundRobin, targets });
  }
  if (errors.length > 0) throw validationError(`policy ${name}: some targets do not exist`, errors);
  const steps = checkSteps(resolved);
  await checkTargetsExist(ctx, steps);

  const now = ctx.clock.now();
  const fields = {
    team_id: spec.teamId,
    description: spec.description,
    steps: stepsJson(steps),
    repeat,
  };
  const existing = await findPolicyRowByName(ctx.db, name);
  if (!existing) {
    const row: PolicyRow = {
      id: ctx.ids.next('pol'),
      name,
      ...fields,
      version: 1,
      declared: true,
      created_at: now,
      updated_at: now,
    };
    await insertPolicyRow(ctx.db, row);
    return { id: row.id, name };
  }
  const same =
    existing.team_id === fields.team_id &&
    existing.description === fields.description &&
    existing.steps === fields.steps &&
    existing.repeat === fields.repeat;
  if (same && existing.declared) return { id: existing.id, name };
  await updatePolicyRow(ctx.db, existing.id, {
    ...fields,
    declared: true,
    ...(same ? {} : { version: existing.version + 1 }),
    updated_at: now,
  });
  return { id: existing.id, name };
}

/** Policies the file no longer declares: kept (services may use them) and handed over to the API. */
export async function releaseUndeclaredPolicies(
  ctx: Ctx,
  declaredNames: readonly string[],
): Promise<string[]> {
  let q = ctx.db
    .selectFrom('escalation_policies')
    .select(['id', 'name'])
    .where('declared', '=', true)
    .orderBy('name');
  if (declaredNames.length > 0) q = q.where('name', 'not in', [...declaredNames]);
  const released = await q.execute();
  for (const r of released)
    await updatePolicyRow(ctx.db, r.id, { declared: false, updated_at: ctx.clock.now() });
  return released.map((r) => r.name);
}
