import type { EscalationPolicy, PolicyInput, TargetType } from '../../api/response.ts';

export interface TargetDraft {
  type: TargetType;
  /** '' until one is chosen. */
  id: string;
}

export interface StepDraft {
  escalateAfterMinutes: number;
  roundRobin: boolean;
  targets: TargetDraft[];
}

export const newStep = (target: TargetDraft): StepDraft => ({
  escalateAfterMinutes: 15,
  roundRobin: false,
  targets: [target],
});

export const stepsOf = (policy: EscalationPolicy): StepDraft[] =>
  policy.steps.map((step) => ({
    escalateAfterMinutes: step.escalateAfterMinutes,
    roundRobin: step.roundRobin,
    targets: step.targets.map((t) => ({ type: t.type, id: t.id })),
  }));

/** The body to send; targets left unchosen are dropped (a step needs at least one). */
export function policyBody(input: {
  name: string;
  teamId: string;
  description: string;
  repeat: number;
  steps: readonly StepDraft[];
}): PolicyInput {
  return {
    name: input.name.trim(),
    teamId: input.teamId,
    description: input.description.trim(),
    repeat: input.repeat,
    steps: input.steps.map((step) => ({
      escalateAfterMinutes: step.escalateAfterMinutes,
      roundRobin: step.roundRobin,
      targets: step.targets.filter((t) => t.id !== '').map((t) => ({ type: t.type, id: t.id })),
    })),
  };
}

/** What is missing before the policy can be saved; undefined when complete. */
export function stepsProblem(steps: readonly StepDraft[]): string | undefined {
  if (steps.length === 0) return 'Add at least one step.';
  const empty = steps.findIndex((step) => !step.targets.some((t) => t.id !== ''));
  if (empty >= 0) return `Step ${empty + 1} pages nobody: choose who it pages.`;
  const wait = steps.findIndex((step) => !(step.escalateAfterMinutes >= 1));
  if (wait >= 0) return `Step ${wait + 1} must wait at least 1 minute.`;
  return undefined;
}
