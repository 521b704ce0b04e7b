import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const StringMap = Type.Record(Type.String(), Type.String());
const Severity = Type.Union(['critical', 'error', 'warning', 'info'].map((s) => Type.Literal(s)));
const Status = Type.Union(['triggered', 'acknowledged', 'resolved'].map((s) => Type.Literal(s)));

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const Alert = Type.Object({
  id: Type.String(),
  serviceId: Nullable(Type.String()),
  integrationId: Nullable(Type.String()),
  fingerprint: Type.String(),
  source: Type.String(),
  status: Status,
  summary: Type.String(),
  severity: Severity,
  labels: StringMap,
  annotations: StringMap,
  generatorUrl: Nullable(Type.String()),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Nullable(Type.String({ format: 'date-time' })),
  firstSeenAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  occurrences: Type.Integer(),
  incidentId: Nullable(Type.String()),
  serviceName: Nullable(Type.String()),
  incidentNumber: Nullable(Type.Integer()),
  mutedBy: Nullable(
    Type.String({
      description: 'why no incident was opened: silence:<id>, maintenance:<id>, inhibited:<rule>, flapping',
    }),
  ),
  acknowledgedAt: Nullable(Type.String({ format: 'date-time' })),
  resolvedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const AlertDetail = Type.Intersect([
  Alert,
  Type.Object({ raw: Type.Unknown({ description: 'the payload it arrived with, while kept' }) }),
]);

export const AlertQuery = Type.Object({
  serviceId: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(
    Type.Union(['open', 'triggered', 'acknowledged', 'resolved', 'all'].map((s) => Type.Literal(s))),
  ),
  fingerprint: Type.Optional(Type.String({ maxLength: 512 })),
  filter: Type.Optional(
    Type.Array(Type.String({ maxLength: 4096 }), {
      maxItems: 32,
      description: 'label matchers, e.g. env=~"prod|staging"',
    }),
  ),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'text in the summary' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  cursor: Type.Optional(Type.String({ maxLength: 100 })),
});

export const AlertPage = Type.Object({ items: Type.Array(Alert), nextCursor: Nullable(Type.String()) });

export const Incident = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  serviceId: Type.String(),
  serviceName: Type.String(),
  title: Type.String(),
  severity: Severity,
  urgency: Type.Union([Type.Literal('high'), Type.Literal('low')]),
  status: Status,
  alertCount: Type.Integer(),
  openAlertCount: Type.Integer(),
  openedAt: Type.String({ format: 'date-time' }),
  acknowledgedAt: Nullable(Type.String({ format: 'date-time' })),
  resolvedAt: Nullable(Type.String({ format: 'date-time' })),
  version: Type.Integer(),
});

export const IncidentQuery = Type.Object({
  serviceId: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(
    Type.Union(['open', 'triggered', 'acknowledged', 'resolved', 'all'].map((s) => Type.Literal(s))),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  before: Type.Optional(Type.Integer({ minimum: 1 })),
});

export const IncidentPage = Type.Object({
  items: Type.Array(Incident),
  nextBefore: Nullable(Type.Integer()),
});

export const IncidentDetail = Type.Object({
  incident: Incident,
  alerts: Type.Array(Alert),
  timeline: Type.Array(
    Type.Object({
      id: Type.String(),
      at: Type.String({ format: 'date-time' }),
      type: Type.String(),
      actor: Type.Record(Type.String(), Type.Unknown()),
      data: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
  changes: Type.Array(
    Type.Object({
      id: Type.String(),
      summary: Type.String(),
      source: Nullable(Type.String()),
      at: Type.String({ format: 'date-time' }),
      links: Type.Unknown(),
    }),
  ),
});

export const Empty = Type.Object({});
