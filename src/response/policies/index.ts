/**
 * Escalation policies: who is paged, in which order, how long each step waits, how often the policy repeats.
 * The escalation engine pages from `policySnapshot`, taken when an incident opens.
 */
export {
  listPolicies,
  getPolicy,
  createPolicy,
  updatePolicy,
  deletePolicy,
  type CreatePolicyInput,
  type UpdatePolicyInput,
} from './policies.ts';
export { policySnapshot } from './snapshot.ts';
export { applyDeclaredPolicy, releaseUndeclaredPolicies, type DeclaredPolicyInput } from './declared.ts';
export { policiesTargeting, type PolicyRow } from './policies.repo.ts';
export { TARGET_TYPES, MAX_ESCALATE_AFTER_MINUTES, type PolicyStepInput } from './policy-checks.ts';
export type { PolicyView, PolicyStepView, PolicyTargetView } from './policy-views.ts';
export {
  MAX_REPEAT,
  MAX_STEPS,
  MAX_TARGETS_PER_STEP,
  type PolicySnapshot,
  type PolicyStep,
  type PolicyTarget,
} from './model.ts';
export * as PolicySchemas from './schemas.ts';
