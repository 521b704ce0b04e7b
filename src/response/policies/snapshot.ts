import { queryTemplate, type Ctx } from '../../storage/index.ts';
import type { PolicySnapshot } from './model.ts';
import { parseSteps } from './policies.repo.ts';

// Read once for every incident that opens: compiled once (storage/templates.ts).
const selectPolicy = queryTemplate((db, a: { id: string }) =>
  db.selectFrom('escalation_policies').selectAll().where('id', '=', a.id),
);

/**
 * The policy as stored now, for the escalation engine to copy into an incident when it opens (later edits then
 * never change paging in flight). No permission check: the engine runs as the system. Null when the policy is gone.
 */
export async function policySnapshot(ctx: Ctx, policyId: string): Promise<PolicySnapshot | null> {
  const row = (await selectPolicy.run(ctx, { id: policyId })).rows[0];
  if (!row) return null;
  return { id: row.id, name: row.name, version: row.version, steps: parseSteps(row), repeat: row.repeat };
}
