import { Type } from 'typebox';
import { MaintenanceScheduleSchema } from '../../../alerting/index.ts';

/**
 * Bodies and answers of the rule APIs: routing rules, maintenance windows and inhibition rules. Bodies check the
 * shape strictly; what JSON Schema cannot say (a valid regex, a real time zone, one default route) the verbs
 * check and report with a JSON pointer.
 */

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z]{2,8}_[0-9A-Za-z]{10,40}$' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Severity = Type.Union(['critical', 'error', 'warning', 'info'].map((s) => Type.Literal(s)));
const StringMap = Type.Record(Type.String(), Type.String());

export const IdParams = Type.Object({ id: Id });

/** Alertmanager API v2's matcher: `isEqual` may be left out and means true. */
const MatcherIn = Type.Object(
  {
    name: Type.String({ maxLength: 128 }),
    value: Type.String({ maxLength: 4096 }),
    isRegex: Type.Boolean(),
    isEqual: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const Matchers = Type.Array(MatcherIn, { maxItems: 32 });
const MatcherOut = Type.Object({
  name: Type.String(),
  value: Type.String(),
  isRegex: Type.Boolean(),
  isEqual: Type.Boolean(),
});

// ---------------------------------------------------------------------------------------------------------------
// Routing rules

const routeFields = {
  name: Name,
  matchers: Matchers,
  serviceId: Nullable(Id),
  continue: Type.Boolean({ description: 'go on trying the rules after this one when it matches' }),
  setSeverity: Nullable(Severity),
  setLabels: Type.Record(Type.String({ maxLength: 128 }), Type.String({ maxLength: 4096 }), {
    maxProperties: 32,
    description: 'labels added to (or replaced on) the alert this rule takes',
  }),
  isDefault: Type.Boolean({ description: 'takes what no other rule took; at most one, without matchers' }),
  position: Type.Integer({ minimum: 0, description: '0-based place in the evaluation order' }),
};

export const CreateRouteBody = Type.Object(
  {
    name: routeFields.name,
    matchers: routeFields.matchers,
    serviceId: routeFields.serviceId,
    continue: Type.Optional(routeFields.continue),
    setSeverity: Type.Optional(routeFields.setSeverity),
    setLabels: Type.Optional(routeFields.setLabels),
    isDefault: Type.Optional(routeFields.isDefault),
    position: Type.Optional(routeFields.position),
  },
  { additionalProperties: false },
);

export const UpdateRouteBody = Type.Object(
  {
    name: Type.Optional(routeFields.name),
    matchers: Type.Optional(routeFields.matchers),
    serviceId: Type.Optional(routeFields.serviceId),
    continue: Type.Optional(routeFields.continue),
    setSeverity: Type.Optional(routeFields.setSeverity),
    setLabels: Type.Optional(routeFields.setLabels),
    isDefault: Type.Optional(routeFields.isDefault),
    position: Type.Optional(routeFields.position),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ReorderRoutesBody = Type.Object(
  { ids: Type.Array(Id, { maxItems: 1000, description: 'every route, in the order to try them' }) },
  { additionalProperties: false },
);

export const RouteView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  position: Type.Integer(),
  matchers: Type.Array(MatcherOut),
  serviceId: Nullable(Type.String()),
  serviceName: Nullable(Type.String()),
  continue: Type.Boolean(),
  isDefault: Type.Boolean(),
  setSeverity: Nullable(Severity),
  setLabels: StringMap,
  declared: Type.Boolean(),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const DryRunBody = Type.Object(
  {
    labels: Type.Record(Type.String(), Type.Unknown(), {
      description: 'the labels of a hypothetical alert, checked like an alert’s',
    }),
  },
  { additionalProperties: false },
);

export const DryRunResult = Type.Object({
  targets: Type.Array(
    Type.Object({
      ruleId: Type.String(),
      ruleName: Type.String(),
      serviceId: Nullable(Type.String()),
      serviceName: Nullable(Type.String()),
      setSeverity: Nullable(Severity),
      setLabels: StringMap,
      suppressedBy: Nullable(Type.String()),
    }),
  ),
  steps: Type.Array(
    Type.Object({
      ruleId: Type.String(),
      name: Type.String(),
      outcome: Type.Union(['matched', 'not-matched', 'skipped', 'default'].map((s) => Type.Literal(s))),
      reason: Type.String(),
    }),
  ),
  unrouted: Type.Boolean(),
  suppressedBy: Nullable(
    Type.String({ description: 'silence:<id>, maintenance:<id> or inhibited:<rule> if muted right now' }),
  ),
});

// ---------------------------------------------------------------------------------------------------------------
// Maintenance windows

/**
 * The schedule's shape is documented by `MaintenanceScheduleSchema` but only loosely checked here: the verb checks
 * it in full and answers with a pointer to the exact field, which a union's schema errors cannot.
 */
const ScheduleIn = Type.Object(
  { kind: Type.Union([Type.Literal('once'), Type.Literal('weekly')]) },
  {
    additionalProperties: true,
    description:
      '{kind: "once", startsAt, endsAt} (epoch ms) or {kind: "weekly", days, start: "HH:MM", durationMinutes, timeZone, from?, until?}',
  },
);

export const CreateWindowBody = Type.Object(
  { name: Name, serviceId: Nullable(Id), matchers: Matchers, schedule: ScheduleIn },
  { additionalProperties: false },
);

export const UpdateWindowBody = Type.Object(
  {
    name: Type.Optional(Name),
    serviceId: Type.Optional(Nullable(Id)),
    matchers: Type.Optional(Matchers),
    schedule: Type.Optional(ScheduleIn),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const WindowView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  serviceId: Nullable(Type.String()),
  serviceName: Nullable(Type.String()),
  matchers: Type.Array(MatcherOut),
  schedule: MaintenanceScheduleSchema,
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  active: Type.Boolean({ description: 'mutes new alert openings right now' }),
  next: Type.Array(Type.Object({ startsAt: DateTime, endsAt: DateTime }), {
    description: 'the next occurrences within 30 days (a running one first), at most 5',
  }),
});

// ---------------------------------------------------------------------------------------------------------------
// Inhibition rules

const LabelName = Type.String({ minLength: 1, maxLength: 128 });

export const CreateInhibitionBody = Type.Object(
  {
    name: Name,
    sourceMatchers: Matchers,
    targetMatchers: Matchers,
    equal: Type.Array(LabelName, { maxItems: 32 }),
  },
  { additionalProperties: false },
);

export const UpdateInhibitionBody = Type.Object(
  {
    name: Type.Optional(Name),
    sourceMatchers: Type.Optional(Matchers),
    targetMatchers: Type.Optional(Matchers),
    equal: Type.Optional(Type.Array(LabelName, { maxItems: 32 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const InhibitionView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  sourceMatchers: Type.Array(MatcherOut),
  targetMatchers: Type.Array(MatcherOut),
  equal: Type.Array(Type.String()),
  declared: Type.Boolean(),
  createdAt: DateTime,
  updatedAt: DateTime,
});
