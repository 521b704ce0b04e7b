import { describe, expect, it } from 'vitest';
import { epochMs } from '../../platform/clock.ts';
import { strictValidator } from '../../platform/json-schema.ts';
import amFiring from './fixtures/alertmanager-webhook-v4-firing.json' with { type: 'json' };
import amResolved from './fixtures/alertmanager-webhook-v4-resolved.json' with { type: 'json' };
import pdAck from './fixtures/pagerduty-events-v2-acknowledge.json' with { type: 'json' };
import pdChange from './fixtures/pagerduty-events-v2-change.json' with { type: 'json' };
import pdTrigger from './fixtures/pagerduty-events-v2-trigger.json' with { type: 'json' };
import recorded from './fixtures/prometheus-2.42-post-api-v2-alerts.json' with { type: 'json' };
import { pagerDutyErrorBody, parsePagerDutyEvent } from './pagerduty.ts';
import {
  AmApiPostAlertsBody,
  AmWebhookBody,
  GenericMappingSchema,
  PagerDutyChangeEventBody,
  PagerDutyErrorResponse,
  PagerDutyEventBody,
} from './schemas.ts';

const check = (schema: object, value: unknown) => strictValidator().validate(schema, value);

describe('payload schemas (Fastify bodies and OpenAPI)', () => {
  it('accept what real senders post', () => {
    expect(check(AmApiPostAlertsBody, recorded.body)).toBe(true);
    expect(check(AmWebhookBody, amFiring)).toBe(true);
    expect(check(AmWebhookBody, amResolved)).toBe(true);
    expect(check(PagerDutyEventBody, pdTrigger)).toBe(true);
    expect(check(PagerDutyEventBody, pdAck)).toBe(true);
    expect(check(PagerDutyChangeEventBody, pdChange)).toBe(true);
  });

  it('leave field rules to the PagerDuty handler, so clients get PagerDuty-shaped errors', () => {
    const incomplete = { routing_key: 'k', event_action: 'trigger', payload: {} };
    expect(check(PagerDutyEventBody, incomplete)).toBe(true);
    let body: unknown;
    try {
      parsePagerDutyEvent(incomplete, { now: epochMs(0), generateDedupKey: () => 'k' });
    } catch (e) {
      body = pagerDutyErrorBody(e);
    }
    expect(check(PagerDutyErrorResponse, body)).toBe(true);
  });

  it('refuse more than 1,000 alerts before any parsing', () => {
    expect(
      check(
        AmApiPostAlertsBody,
        Array.from({ length: 1_001 }, () => ({ labels: { a: 'b' } })),
      ),
    ).toBe(false);
  });

  it('describe the generic mapping strictly: label names, severities, actions, no unknown keys', () => {
    const good = {
      summary: '{{ item.name }}',
      labels: { team: '/team' },
      severityMap: { P1: 'critical' },
      actionMap: { ok: 'resolve' },
      itemsPointer: '/alerts',
    };
    expect(check(GenericMappingSchema, good)).toBe(true);
    expect(check(GenericMappingSchema, { ...good, labels: { 'bad-name': '/x' } })).toBe(false);
    expect(check(GenericMappingSchema, { ...good, severityMap: { P1: 'urgent' } })).toBe(false);
    expect(check(GenericMappingSchema, { ...good, actionMap: { ok: 'close' } })).toBe(false);
    expect(check(GenericMappingSchema, { ...good, titel: 'typo' })).toBe(false);
    expect(check(GenericMappingSchema, { ...good, itemsPointer: 'alerts' })).toBe(false);
  });
});
