import { Type, type Static } from 'typebox';

/**
 * JSON schemas of what the senders post, for Fastify body validation and the OpenAPI document.
 *
 * They describe shapes, not every rule, on purpose: the adapters re-validate everything and say what is wrong
 * with pointers and in the sender's own terms (PagerDuty clients parse PagerDuty's error body; Alertmanager
 * must get a 4xx, never a 5xx). A schema stricter than its adapter would pre-empt those messages.
 */

const Text = (description: string) => Type.String({ description });
const StringMap = (description: string) => Type.Record(Type.String(), Type.String(), { description });
const Rfc3339 = (description: string) =>
  Type.String({ description: `${description} (RFC 3339, e.g. 2026-01-31T09:00:00Z)` });

// ---- Alertmanager API v2 `POST /api/v2/alerts` ------------------------------------------------------------

export const AmApiPostableAlert = Type.Object(
  {
    labels: StringMap('identity of the alert; an empty value is an absent label; at least one label'),
    annotations: Type.Optional(StringMap('free text: summary, description, runbook_url…')),
    startsAt: Type.Optional(Rfc3339('when the alert started; default: receive time')),
    endsAt: Type.Optional(
      Rfc3339('when it ends; in the past resolves it; default: receive time + resolve_timeout'),
    ),
    generatorURL: Type.Optional(Text('link back to the rule or graph')),
  },
  { description: 'an Alertmanager API v2 postable alert, as Prometheus sends it' },
);

export const AmApiPostAlertsBody = Type.Array(AmApiPostableAlert, {
  maxItems: 1_000,
  description: 'what Prometheus posts to an Alertmanager (batches of up to 64)',
});
export type AmApiPostAlertsBody = Static<typeof AmApiPostAlertsBody>;

// ---- Alertmanager webhook (`webhook_config`, version 4) ---------------------------------------------------

export const AmWebhookAlert = Type.Object({
  status: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
  labels: StringMap('the alert label set'),
  annotations: Type.Optional(StringMap('the alert annotations')),
  startsAt: Type.Optional(Rfc3339('start of the alert')),
  endsAt: Type.Optional(Rfc3339('end of a resolved alert; 0001-01-01T00:00:00Z while firing')),
  generatorURL: Type.Optional(Type.String()),
  fingerprint: Type.Optional(Text('Alertmanager fingerprint, 16 hex digits; kept as the dedup key')),
});

export const AmWebhookBody = Type.Object(
  {
    version: Text('payload version; only "4" is accepted'),
    groupKey: Type.Optional(Text('identifies the alert group; kept as the sender group key')),
    truncatedAlerts: Type.Optional(Type.Integer({ minimum: 0 })),
    status: Type.Optional(Type.Union([Type.Literal('firing'), Type.Literal('resolved')])),
    receiver: Type.Optional(Type.String()),
    groupLabels: Type.Optional(StringMap('labels the group is keyed by')),
    commonLabels: Type.Optional(StringMap('labels every alert of the group has')),
    commonAnnotations: Type.Optional(StringMap('annotations every alert of the group has')),
    externalURL: Type.Optional(Type.String()),
    alerts: Type.Array(AmWebhookAlert),
  },
  { description: 'an Alertmanager webhook notification (webhook_config, payload version 4)' },
);
export type AmWebhookBody = Static<typeof AmWebhookBody>;

// ---- PagerDuty Events API v2 -------------------------------------------------------------------------------

const PdLinks = Type.Array(Type.Object({ href: Type.String(), text: Type.Optional(Type.String()) }), {
  description: 'links shown with the alert or change',
});

export const PagerDutyEventBody = Type.Object(
  {
    routing_key: Text('the integration key'),
    event_action: Type.Optional(Text('trigger, acknowledge or resolve')),
    dedup_key: Type.Optional(Text('correlates trigger, acknowledge and resolve; at most 255 characters')),
    payload: Type.Optional(
      Type.Object({
        summary: Type.Optional(
          Text('title of the alert; required to trigger; truncated past 1,024 characters'),
        ),
        source: Type.Optional(Text('the affected system, e.g. a hostname; required to trigger')),
        severity: Type.Optional(Text('critical, error, warning or info; required to trigger')),
        timestamp: Type.Optional(Text('when the sender detected the event (ISO 8601)')),
        component: Type.Optional(Type.String()),
        group: Type.Optional(Type.String()),
        class: Type.Optional(Type.String()),
        custom_details: Type.Optional(Type.Unknown({ description: 'shown as annotations; kept as sent' })),
      }),
    ),
    images: Type.Optional(Type.Array(Type.Unknown())),
    links: Type.Optional(PdLinks),
    client: Type.Optional(Type.String()),
    client_url: Type.Optional(Type.String()),
  },
  {
    description:
      "a PagerDuty Events API v2 alert event; field rules are checked by the handler, which answers in PagerDuty's error format",
  },
);

export const PagerDutyChangeEventBody = Type.Object(
  {
    routing_key: Text('the integration key'),
    payload: Type.Optional(
      Type.Object({
        summary: Type.Optional(Text('what changed; required')),
        source: Type.Optional(Type.String()),
        timestamp: Type.Optional(Type.String()),
        custom_details: Type.Optional(Type.Unknown()),
      }),
    ),
    links: Type.Optional(PdLinks),
  },
  { description: 'a PagerDuty Events API v2 change event' },
);

export const PagerDutyAcceptedResponse = Type.Object({
  status: Type.Literal('success'),
  message: Type.String({ description: '"Event processed"' }),
  dedup_key: Type.Optional(Type.String({ description: 'the key of the alert; absent for change events' })),
});

export const PagerDutyErrorResponse = Type.Object({
  status: Type.String({ description: 'e.g. "invalid event"' }),
  message: Type.String({ description: 'e.g. "Event object is invalid"' }),
  errors: Type.Array(Type.String()),
});

// ---- Generic JSON webhook ----------------------------------------------------------------------------------

export const GenericWebhookBody = Type.Unknown({
  description: 'any JSON document; the integration mapping turns it into alerts',
});

const MappedValue = (what: string) =>
  Type.String({
    maxLength: 10_000,
    description: `${what}: a JSON pointer into the item (/alert/title; "" = the item) or a Liquid template`,
  });
const Severity = Type.Union(['critical', 'error', 'warning', 'info'].map((s) => Type.Literal(s)));
const Action = Type.Union(['trigger', 'acknowledge', 'resolve'].map((a) => Type.Literal(a)));

export const GenericMappingSchema = Type.Object(
  {
    summary: MappedValue('the alert title'),
    severity: Type.Optional(MappedValue('the severity, looked up in severityMap then the usual names')),
    dedupKey: Type.Optional(MappedValue('the dedup key; default: fingerprint of labels and summary')),
    action: Type.Optional(MappedValue('trigger, acknowledge or resolve, via actionMap; default: trigger')),
    labels: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }), MappedValue('a label value'), {
        maxProperties: 64,
        additionalProperties: false,
      }),
    ),
    severityMap: Type.Optional(
      Type.Record(Type.String(), Severity, { description: 'sender value → severity' }),
    ),
    actionMap: Type.Optional(Type.Record(Type.String(), Action, { description: 'sender value → action' })),
    itemsPointer: Type.Optional(
      Type.String({ pattern: '^(/.*)?$', description: 'pointer to an array: one alert per element' }),
    ),
  },
  { additionalProperties: false, description: 'how a generic webhook payload becomes alerts' },
);
