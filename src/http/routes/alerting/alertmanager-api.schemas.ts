import { Type } from 'typebox';

/**
 * Response and parameter shapes of the Alertmanager API v2 as Alertmanager 0.25's OpenAPI document defines them,
 * so generated clients (amtool, Grafana) decode Siaga's answers.
 */
const StringMap = Type.Record(Type.String(), Type.String());
const DateTime = Type.String({ format: 'date-time' });
const Bool = (description: string) => Type.Optional(Type.Boolean({ description }));

export const AlertQuery = Type.Object({
  filter: Type.Optional(
    Type.Array(Type.String({ maxLength: 4096 }), {
      maxItems: 32,
      description: 'label matchers, e.g. alertname="Down"',
    }),
  ),
  active: Bool('show active alerts (default true)'),
  silenced: Bool('show silenced alerts (default true)'),
  inhibited: Bool('show inhibited alerts (default true)'),
  unprocessed: Bool('show unprocessed alerts (default true)'),
  receiver: Type.Optional(Type.String({ description: 'regex the receiver (service) name must match' })),
});

export const SilenceQuery = Type.Object({
  filter: Type.Optional(Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 32 })),
});

export const Matcher = Type.Object({
  name: Type.String(),
  value: Type.String(),
  isRegex: Type.Boolean(),
  isEqual: Type.Optional(Type.Boolean()),
});

export const GettableAlert = Type.Object({
  fingerprint: Type.String(),
  receivers: Type.Array(Type.Object({ name: Type.String() })),
  status: Type.Object({
    state: Type.Union([Type.Literal('active'), Type.Literal('suppressed'), Type.Literal('unprocessed')]),
    silencedBy: Type.Array(Type.String()),
    inhibitedBy: Type.Array(Type.String()),
  }),
  startsAt: DateTime,
  endsAt: DateTime,
  updatedAt: DateTime,
  annotations: StringMap,
  labels: StringMap,
  generatorURL: Type.Optional(Type.String()),
});
export const GettableAlerts = Type.Array(GettableAlert);

export const AlertGroups = Type.Array(
  Type.Object({ labels: StringMap, receiver: Type.Object({ name: Type.String() }), alerts: GettableAlerts }),
);

export const Status = Type.Object({
  cluster: Type.Object({ name: Type.String(), status: Type.String(), peers: Type.Array(Type.Unknown()) }),
  versionInfo: Type.Object({
    version: Type.String(),
    revision: Type.String(),
    branch: Type.String(),
    buildUser: Type.String(),
    buildDate: Type.String(),
    goVersion: Type.String(),
  }),
  config: Type.Object({ original: Type.String() }),
  uptime: DateTime,
});

export const Receivers = Type.Array(Type.Object({ name: Type.String() }));

export const PostableSilence = Type.Object({
  id: Type.Optional(Type.String({ maxLength: 64 })),
  matchers: Type.Array(Matcher, { maxItems: 32 }),
  startsAt: Type.String({ maxLength: 64 }),
  endsAt: Type.String({ maxLength: 64 }),
  createdBy: Type.String({ maxLength: 256 }),
  comment: Type.String({ maxLength: 4096 }),
});

export const GettableSilence = Type.Object({
  id: Type.String(),
  matchers: Type.Array(Matcher),
  startsAt: DateTime,
  endsAt: DateTime,
  updatedAt: DateTime,
  createdBy: Type.String(),
  comment: Type.String(),
  status: Type.Object({
    state: Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('expired')]),
  }),
});
export const GettableSilences = Type.Array(GettableSilence);

export const SilenceCreated = Type.Object({ silenceID: Type.String() });
export const SilenceParams = Type.Object({ silenceID: Type.String({ maxLength: 64 }) });
