import { Type } from 'typebox';
import {
  ATTEMPT_OUTCOMES,
  CHANNEL_KINDS,
  DELIVERY_EVENTS,
  DELIVERY_KINDS,
  DELIVERY_STATUSES,
} from '../../storage/migrations/0006-response.ts';

/** HTTP schemas of the delivery log, paging drills and one-click actions. */

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z]{2,8}_[0-9A-Za-z]{10,40}$' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const IdParams = Type.Object({ id: Id });
export const TokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 2000 }) });

export const DeliveryAttempt = Type.Object({
  attempt: Type.Integer(),
  startedAt: Type.String(),
  latencyMs: Type.Integer(),
  outcome: literals(ATTEMPT_OUTCOMES),
  statusCode: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.String()),
});

export const Delivery = Type.Object({
  id: Type.String(),
  kind: literals(DELIVERY_KINDS),
  event: literals(DELIVERY_EVENTS),
  status: literals(DELIVERY_STATUSES),
  channelKind: literals(CHANNEL_KINDS),
  to: Type.String(),
  userId: Nullable(Type.String()),
  contactMethodId: Nullable(Type.String()),
  contactMethodName: Nullable(Type.String()),
  channelId: Nullable(Type.String()),
  step: Nullable(Type.Integer()),
  round: Nullable(Type.Integer()),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  bundleId: Nullable(Type.String()),
  createdAt: Type.String(),
  sentAt: Nullable(Type.String()),
  providerStatus: Nullable(Type.String()),
  providerStatusAt: Nullable(Type.String()),
  history: Type.Array(DeliveryAttempt),
});

export const StartDrillBody = Type.Object(
  { userId: Type.Optional(Id), policyId: Type.Optional(Id) },
  { additionalProperties: false },
);

export const Drill = Type.Object({
  id: Type.String(),
  userId: Nullable(Type.String()),
  policyId: Nullable(Type.String()),
  outcome: literals(['running', 'passed', 'failed']),
  startedAt: Type.String(),
  finishedAt: Nullable(Type.String()),
  summary: Type.Object({
    steps: Type.Array(
      Type.Object({
        step: Type.Integer(),
        people: Type.Array(Type.String()),
        channels: Type.Array(Type.String()),
        warnings: Type.Array(Type.String()),
      }),
    ),
    warnings: Type.Array(Type.String()),
  }),
  deliveries: Type.Array(Delivery),
});

export const ListDrillsQuery = Type.Object({ userId: Type.Optional(Id), policyId: Type.Optional(Id) });

export const ActionResult = Type.Object({
  action: literals(['acknowledge', 'resolve']),
  incident: Type.Object({ id: Type.String(), number: Type.Integer(), status: Type.String() }),
});

/** An action POST carries nothing that matters: an empty HTML form, `{}`, or no body at all. */
export const AnyFormBody = Type.Unsafe<unknown>({
  description: 'nothing needed: an empty form, {} or no body',
  not: { type: ['string', 'number', 'integer', 'boolean', 'array'] },
});

export const Escalation = Type.Union([
  Type.Object({
    policyId: Type.String(),
    policyName: Type.String(),
    policyVersion: Type.Integer(),
    state: literals(['active', 'stopped', 'exhausted']),
    step: Nullable(Type.Integer()),
    steps: Type.Integer(),
    round: Type.Integer(),
    rounds: Type.Integer(),
    nextStepAt: Nullable(Type.String()),
    startedAt: Type.String(),
  }),
  Type.Null(),
]);
