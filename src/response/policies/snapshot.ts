import type { Ctx } from '../../storage/index.ts';
import type { PolicySnapshot } from './model.ts';
import { findPolicyRow, parseSteps } from './policies.repo.ts';

/**
 * The policy as stored now, for the escalation engine to copy into an incident when it opens (later edits then
 * never change paging in flight). No permission check: the engine runs as the system. Null when the policy is gone.
 */
export async function policySnapshot(ctx: Ctx, policyId: string): Promise<PolicySnapshot | null> {
  const row = await findPolicyRow(ctx, policyId);
  if (!row) return null;
  return { id: row.id, name: row.name, version: row.version, steps: parseSteps(row), repeat: row.repeat };
}
