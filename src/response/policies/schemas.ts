import { Type } from 'typebox';
import { CHANNEL_KINDS } from '../../storage/migrations/0006-response.ts';
import { MAX_ESCALATE_AFTER_MINUTES, TARGET_TYPES } from './policy-checks.ts';
import { MAX_REPEAT, MAX_STEPS, MAX_TARGETS_PER_STEP } from './model.ts';

/** HTTP schemas of escalation policies (TypeBox): bodies are validated strictly, responses serialised from these. */

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z]{2,8}_[0-9A-Za-z]{10,40}$' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const IdParams = Type.Object({ id: Id });
export const ListPoliciesQuery = Type.Object({ teamId: Type.Optional(Id) });

const TargetType = Type.Union(TARGET_TYPES.map((t) => Type.Literal(t)));

export const PolicyTarget = Type.Object(
  {
    type: TargetType,
    id: Id,
  },
  {
    additionalProperties: false,
    description:
      'a user, a schedule (whoever is on call), a team (whoever is on call in its schedules) or a channel',
  },
);

export const PolicyStep = Type.Object(
  {
    escalateAfterMinutes: Type.Integer({
      minimum: 1,
      maximum: MAX_ESCALATE_AFTER_MINUTES,
      description:
        'minutes to wait for an acknowledgement before the next step (after the last: before repeating)',
    }),
    targets: Type.Array(PolicyTarget, { minItems: 1, maxItems: MAX_TARGETS_PER_STEP }),
    roundRobin: Type.Optional(
      Type.Boolean({
        description: 'page one of the step’s people per round, in turn, instead of all of them',
      }),
    ),
  },
  { additionalProperties: false },
);

const policyFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.String({ maxLength: 2000 }),
  teamId: Id,
  steps: Type.Array(PolicyStep, { minItems: 1, maxItems: MAX_STEPS }),
  repeat: Type.Integer({
    minimum: 0,
    maximum: MAX_REPEAT,
    description: 'how many times the whole policy runs again after its last step (0: once)',
  }),
};

export const CreatePolicyBody = Type.Object(
  {
    name: policyFields.name,
    teamId: policyFields.teamId,
    description: Type.Optional(policyFields.description),
    steps: policyFields.steps,
    repeat: Type.Optional(policyFields.repeat),
  },
  { additionalProperties: false },
);

export const UpdatePolicyBody = Type.Object(
  {
    name: Type.Optional(policyFields.name),
    teamId: Type.Optional(policyFields.teamId),
    description: Type.Optional(policyFields.description),
    steps: Type.Optional(policyFields.steps),
    repeat: Type.Optional(policyFields.repeat),
  },
  { additionalProperties: false, minProperties: 1 },
);

const ChannelKindSchema = Type.Union(CHANNEL_KINDS.map((k) => Type.Literal(k)));

export const PolicyTargetView = Type.Object({
  type: TargetType,
  id: Type.String(),
  name: Nullable(Type.String()),
  channelKind: Type.Union([ChannelKindSchema, Type.Null()]),
  warning: Nullable(Type.String()),
});

export const PolicyView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  teamId: Type.String(),
  steps: Type.Array(
    Type.Object({
      escalateAfterMinutes: Type.Integer(),
      roundRobin: Type.Boolean(),
      targets: Type.Array(PolicyTargetView),
    }),
  ),
  repeat: Type.Integer(),
  version: Type.Integer({
    description: 'bumped by every change; incidents page from the version they opened with',
  }),
  declared: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
