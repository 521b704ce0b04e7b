import { Type } from 'typebox';
import { INTEGRATION_KINDS, URGENCIES } from './model.ts';

/** HTTP schemas of the catalog (TypeBox): bodies are validated strictly, responses are serialised from these. */

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z]{2,8}_[0-9A-Za-z]{10,40}$' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Text = (maxLength: number) => Type.String({ maxLength });

export const IdParams = Type.Object({ id: Id });
export const ListServicesQuery = Type.Object({ teamId: Type.Optional(Id) });
/**
 * Actions that take no input accept an empty JSON object or no body at all (`curl -X POST` sends none). The schema
 * has no `type`, since Fastify validates an absent body as `null`; `not` refuses strings, numbers and arrays.
 */
export const NoBody = Type.Unsafe<Record<string, never> | undefined>({
  properties: {},
  additionalProperties: false,
  not: { type: ['string', 'number', 'integer', 'boolean', 'array'] },
  description: 'no input: send nothing, or {}',
});

export const UrgencySchema = Type.Union(URGENCIES.map((u) => Type.Literal(u)));
export const IntegrationKindSchema = Type.Union(INTEGRATION_KINDS.map((k) => Type.Literal(k)));

/** Prometheus label names (the classic character set, which Alertmanager's group_by also uses). */
const LabelName = Type.String({ minLength: 1, maxLength: 128, pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' });

export const GroupingSchema = Type.Union([
  Type.Object(
    {
      mode: Type.Literal('labels'),
      labels: Type.Array(LabelName, { minItems: 1, maxItems: 10, uniqueItems: true }),
    },
    { additionalProperties: false },
  ),
  Type.Object({ mode: Type.Literal('sender') }, { additionalProperties: false }),
  Type.Object({ mode: Type.Literal('alert') }, { additionalProperties: false }),
]);

const serviceFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Text(2000),
  teamId: Id,
  escalationPolicyId: Nullable(Type.String({ minLength: 1, maxLength: 64 })),
  grouping: GroupingSchema,
  autoResolve: Type.Boolean({ description: 'resolve the incident when all of its alerts resolve' }),
  urgency: UrgencySchema,
};

export const CreateServiceBody = Type.Object(
  {
    name: serviceFields.name,
    teamId: serviceFields.teamId,
    description: Type.Optional(serviceFields.description),
    escalationPolicyId: Type.Optional(serviceFields.escalationPolicyId),
    grouping: Type.Optional(serviceFields.grouping),
    autoResolve: Type.Optional(serviceFields.autoResolve),
    urgency: Type.Optional(serviceFields.urgency),
  },
  { additionalProperties: false },
);

export const UpdateServiceBody = Type.Object(
  {
    name: Type.Optional(serviceFields.name),
    teamId: Type.Optional(serviceFields.teamId),
    description: Type.Optional(serviceFields.description),
    escalationPolicyId: Type.Optional(serviceFields.escalationPolicyId),
    grouping: Type.Optional(serviceFields.grouping),
    autoResolve: Type.Optional(serviceFields.autoResolve),
    urgency: Type.Optional(serviceFields.urgency),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ServiceView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  teamId: Type.String(),
  escalationPolicyId: Nullable(Type.String()),
  grouping: GroupingSchema,
  autoResolve: Type.Boolean(),
  urgency: UrgencySchema,
  declared: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** Opaque per-kind settings; the size limit (16 KiB of JSON) is checked by the verb. */
const IntegrationConfig = Type.Record(Type.String({ maxLength: 200 }), Type.Unknown(), {
  description: 'per-kind settings, e.g. the generic webhook mapping; never secrets',
});

export const CreateIntegrationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    kind: IntegrationKindSchema,
    config: Type.Optional(IntegrationConfig),
  },
  { additionalProperties: false },
);

export const UpdateIntegrationBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    config: Type.Optional(IntegrationConfig),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const IntegrationView = Type.Object({
  id: Type.String(),
  serviceId: Type.String(),
  name: Type.String(),
  kind: IntegrationKindSchema,
  keyPrefix: Type.String({ description: 'the first characters of the key, to tell keys apart' }),
  config: IntegrationConfig,
  signingSecretCount: Type.Integer({
    description: 'how many signing secrets are active (two while rotating)',
  }),
  declared: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  lastEventAt: Nullable(Type.String()),
});

export const IntegrationEndpoints = Type.Object({
  url: Nullable(Type.String()),
  address: Type.Optional(Type.String()),
  routingKey: Type.Optional(Type.String()),
  notice: Type.Optional(Type.String()),
  snippets: Type.Object({
    prometheus: Type.Optional(Type.String()),
    alertmanager: Type.Optional(Type.String()),
    pagerduty: Type.Optional(Type.String()),
    curl: Type.Optional(Type.String()),
  }),
});

export const IssuedIntegrationKey = Type.Object({
  integration: IntegrationView,
  key: Type.String({ description: 'The key itself. Shown only in this response; store it now.' }),
  endpoints: IntegrationEndpoints,
});

export const IssuedSigningSecret = Type.Object({
  integration: IntegrationView,
  signingSecret: Type.String({ description: 'The HMAC secret. Shown only in this response; store it now.' }),
});
