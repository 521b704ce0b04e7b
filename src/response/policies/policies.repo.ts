import { queryTemplate, type Database, type Db, type QueryTarget } from '../../storage/index.ts';
import type { PolicyStep, PolicyTarget } from './model.ts';

/** The queries behind the policy verbs. Steps are stored as the JSON of `PolicyStep[]`, exactly as validated. */

export type PolicyRow = Database['escalation_policies'];

/** Upper bound of one list: the UI reads a team's policies whole, and an unbounded query would block SQLite. */
export const MAX_LISTED_POLICIES = 1000;

export const parseSteps = (row: Pick<PolicyRow, 'steps'>): PolicyStep[] =>
  JSON.parse(row.steps) as PolicyStep[];

/** One canonical serialisation (fixed key order, no spaces), which `policiesTargeting` relies on. */
export const stepsJson = (steps: readonly PolicyStep[]): string =>
  JSON.stringify(
    steps.map((s) => ({
      escalateAfterMinutes: s.escalateAfterMinutes,
      targets: s.targets.map((t) => ({ type: t.type, id: t.id })),
      roundRobin: s.roundRobin,
    })),
  );

// Read for every incident that opens (its policy snapshot): compiled once (storage/templates.ts).
const selectPolicy = queryTemplate((db, a: { id: string }) =>
  db.selectFrom('escalation_policies').selectAll().where('id', '=', a.id),
);

export async function findPolicyRow(ctx: QueryTarget, id: string): Promise<PolicyRow | undefined> {
  return (await selectPolicy.run(ctx, { id })).rows[0];
}

export async function findPolicyRowByName(db: Db, name: string): Promise<PolicyRow | undefined> {
  return db.selectFrom('escalation_policies').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function policyNameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('escalation_policies').select('id').where('name', '=', name);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

/** Policies of the given teams, by name. */
export async function listPolicyRows(db: Db, teams: readonly string[]): Promise<PolicyRow[]> {
  if (teams.length === 0) return [];
  return db
    .selectFrom('escalation_policies')
    .selectAll()
    .where('team_id', 'in', [...teams])
    .orderBy('name')
    .limit(MAX_LISTED_POLICIES)
    .execute();
}

export async function insertPolicyRow(db: Db, row: PolicyRow): Promise<void> {
  await db.insertInto('escalation_policies').values(row).execute();
}

export async function updatePolicyRow(
  db: Db,
  id: string,
  changes: Partial<Omit<PolicyRow, 'id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('escalation_policies').set(changes).where('id', '=', id).execute();
}

export async function deletePolicyRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('escalation_policies').where('id', '=', id).execute();
}

/** Services that page through the policy (a few are enough to say which). */
export async function servicesUsingPolicy(
  db: Db,
  policyId: string,
): Promise<{ id: string; name: string; team_id: string }[]> {
  return db
    .selectFrom('services')
    .select(['id', 'name', 'team_id'])
    .where('escalation_policy_id', '=', policyId)
    .orderBy('name')
    .limit(20)
    .execute();
}

/**
 * Policies with a step that targets `target`. The LIKE narrows by the id as `stepsJson` writes it (`_` in ids is
 * a one-character wildcard, which can only add candidates); the parsed steps decide.
 */
export async function policiesTargeting(db: Db, target: PolicyTarget): Promise<PolicyRow[]> {
  const candidates = await db
    .selectFrom('escalation_policies')
    .selectAll()
    .where('steps', 'like', `%"id":"${target.id}"%`)
    .orderBy('name')
    .limit(MAX_LISTED_POLICIES)
    .execute();
  return candidates.filter((row) =>
    parseSteps(row).some((s) => s.targets.some((t) => t.type === target.type && t.id === target.id)),
  );
}
