import { canSee } from '../../identity/index.ts';
import { validationError, type FieldError } from '../../platform/errors.ts';
import type { Ctx } from '../../storage/index.ts';
import { MAX_REPEAT, MAX_STEPS, MAX_TARGETS_PER_STEP, type PolicyStep, type PolicyTarget } from './model.ts';

/** A step as callers give it: round-robin is off unless asked for. */
export interface PolicyStepInput {
  readonly escalateAfterMinutes: number;
  readonly targets: readonly PolicyTarget[];
  readonly roundRobin?: boolean;
}

export const TARGET_TYPES = ['user', 'schedule', 'team', 'channel'] as const;
/** A day: a longer wait is a policy nobody would notice failing. */
export const MAX_ESCALATE_AFTER_MINUTES = 1440;
const NAME_MAX = 100;

export function checkPolicyName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > NAME_MAX)
    throw validationError(`an escalation policy name has 1 to ${NAME_MAX} characters`, [
      { pointer: '/name', detail: `must have 1 to ${NAME_MAX} characters (not counting surrounding spaces)` },
    ]);
  return trimmed;
}

export function checkRepeat(repeat: number): number {
  if (!Number.isInteger(repeat) || repeat < 0 || repeat > MAX_REPEAT)
    throw validationError(`a policy repeats 0 to ${MAX_REPEAT} times`, [
      { pointer: '/repeat', detail: `must be an integer from 0 to ${MAX_REPEAT}` },
    ]);
  return repeat;
}

/**
 * The shape of the steps, every problem at once: 1..MAX_STEPS steps, each with 1..MAX_TARGETS_PER_STEP distinct
 * targets and a whole number of minutes (the last step's is the wait before the policy repeats). Pointers are
 * relative to the policy (`/steps/0/targets/1`).
 */
export function checkSteps(steps: readonly PolicyStepInput[]): PolicyStep[] {
  const errors: FieldError[] = [];
  if (!Array.isArray(steps) || steps.length < 1 || steps.length > MAX_STEPS) {
    throw validationError(`a policy has 1 to ${MAX_STEPS} steps`, [
      { pointer: '/steps', detail: `must have 1 to ${MAX_STEPS} steps` },
    ]);
  }
  const out = steps.map((step, i): PolicyStep => {
    const at = `/steps/${i}`;
    const minutes = step.escalateAfterMinutes;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_ESCALATE_AFTER_MINUTES)
      errors.push({
        pointer: `${at}/escalateAfterMinutes`,
        detail: `must be a whole number of minutes from 1 to ${MAX_ESCALATE_AFTER_MINUTES}`,
      });
    const targets: readonly PolicyTarget[] = Array.isArray(step.targets) ? step.targets : [];
    if (targets.length < 1 || targets.length > MAX_TARGETS_PER_STEP)
      errors.push({
        pointer: `${at}/targets`,
        detail: `must have 1 to ${MAX_TARGETS_PER_STEP} targets (a step that pages nobody would wait in silence)`,
      });
    const seen = new Set<string>();
    for (const [j, t] of targets.entries()) {
      if (!(TARGET_TYPES as readonly string[]).includes(t.type) || typeof t.id !== 'string' || t.id === '') {
        errors.push({
          pointer: `${at}/targets/${j}`,
          detail: `must be a ${TARGET_TYPES.join(', ')} with an id`,
        });
        continue;
      }
      const key = `${t.type}:${t.id}`;
      if (seen.has(key))
        errors.push({
          pointer: `${at}/targets/${j}`,
          detail: `${t.type} ${t.id} is already a target of this step`,
        });
      seen.add(key);
    }
    return {
      escalateAfterMinutes: minutes,
      targets: targets.map((t) => ({ type: t.type, id: t.id })),
      roundRobin: step.roundRobin ?? false,
    };
  });
  if (errors.length > 0) throw validationError('the policy steps are not valid', errors);
  return out;
}

/** Whether each target exists and the actor may name it; keyed `type:id`, true when it may. */
async function usableTargets(ctx: Ctx, targets: readonly PolicyTarget[]): Promise<Set<string>> {
  const ids = (type: PolicyTarget['type']) => [
    ...new Set(targets.filter((t) => t.type === type).map((t) => t.id)),
  ];
  const ok = new Set<string>();
  const users = ids('user');
  if (users.length > 0)
    for (const r of await ctx.db
      .selectFrom('users')
      .select('id')
      .where('id', 'in', users)
      .where('status', '=', 'active')
      .execute())
      ok.add(`user:${r.id}`);
  // Team-owned targets: one the actor cannot see is reported exactly as one that does not exist.
  const schedules = ids('schedule');
  if (schedules.length > 0)
    for (const r of await ctx.db
      .selectFrom('schedules')
      .select(['id', 'team_id'])
      .where('id', 'in', schedules)
      .execute())
      if (canSee(ctx, r.team_id)) ok.add(`schedule:${r.id}`);
  const teams = ids('team');
  if (teams.length > 0)
    for (const r of await ctx.db.selectFrom('teams').select('id').where('id', 'in', teams).execute())
      if (canSee(ctx, r.id)) ok.add(`team:${r.id}`);
  const channels = ids('channel');
  if (channels.length > 0)
    for (const r of await ctx.db
      .selectFrom('channels')
      .select(['id', 'team_id'])
      .where('id', 'in', channels)
      .execute())
      if (canSee(ctx, r.team_id)) ok.add(`channel:${r.id}`);
  return ok;
}

const MISSING: Record<PolicyTarget['type'], string> = {
  user: 'is not an active user',
  schedule: 'is not a schedule you can see',
  team: 'is not a team you can see',
  channel: 'is not a channel you can see',
};

/** Every target names something that exists (users: active) and that the actor sees; all problems at once. */
export async function checkTargetsExist(ctx: Ctx, steps: readonly PolicyStep[]): Promise<void> {
  const ok = await usableTargets(
    ctx,
    steps.flatMap((s) => s.targets),
  );
  const errors: FieldError[] = [];
  for (const [i, s] of steps.entries())
    for (const [j, t] of s.targets.entries())
      if (!ok.has(`${t.type}:${t.id}`))
        errors.push({ pointer: `/steps/${i}/targets/${j}/id`, detail: `${t.id} ${MISSING[t.type]}` });
  if (errors.length > 0) throw validationError('some targets of the policy do not exist', errors);
}
