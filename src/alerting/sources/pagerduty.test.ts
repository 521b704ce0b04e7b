import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochMs } from '../../platform/clock.ts';
import { type AppError, isAppError, validationError } from '../../platform/errors.ts';
import ack from './fixtures/pagerduty-events-v2-acknowledge.json' with { type: 'json' };
import change from './fixtures/pagerduty-events-v2-change.json' with { type: 'json' };
import resolve from './fixtures/pagerduty-events-v2-resolve.json' with { type: 'json' };
import trigger from './fixtures/pagerduty-events-v2-trigger.json' with { type: 'json' };
import triggerV1 from './fixtures/pagerduty-events-v1-trigger.json' with { type: 'json' };
import {
  pagerDutyErrorBody,
  parsePagerDutyChangeEvent,
  parsePagerDutyEvent,
  parsePagerDutyV1Event,
} from './pagerduty.ts';

/** Any JSON value, kept shallow so a thousand runs stay fast. */
const anyJson = fc.jsonValue({ maxDepth: 3 });

const now = epochMs(Date.parse('2026-11-23T19:45:00Z'));
let generated = 0;
const opts = { now, generateDedupKey: () => `generated-${++generated}` };

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('PagerDuty Events API v2', () => {
  it('turns the documented trigger example into an alert with labels, details and the sender link', () => {
    const { routingKey, event } = parsePagerDutyEvent(trigger, opts);
    expect(routingKey).toBe('e93facc04764012d7bfb002500d5d1a6');
    expect(event).toMatchObject({
      action: 'trigger',
      fingerprint: 'srv01/mysql',
      summary: 'DISK at 99% on machine prod-datapipe03.example.com',
      severity: 'critical',
      labels: {
        source: 'prod-datapipe03.example.com',
        component: 'mysql',
        group: 'prod-datapipe',
        class: 'disk',
      },
      annotations: { 'free space': '1%', 'ping time': '1500ms', 'load avg': '0.75' },
      startsAt: Date.parse('2026-11-23T19:40:58.315Z'),
      endsAt: null,
      generatorUrl: 'https://monitoring.service.com',
    });
  });

  it('keeps the payload for the detail page but never the routing key', () => {
    const { event } = parsePagerDutyEvent(trigger, opts);
    expect(event.raw).toMatchObject({
      payload: trigger.payload,
      links: trigger.links,
      images: trigger.images,
    });
    expect(JSON.stringify(event.raw)).not.toContain(trigger.routing_key);
  });

  it('acknowledges and resolves by dedup key, the resolve ending now', () => {
    expect(parsePagerDutyEvent(ack, opts).event).toMatchObject({
      action: 'acknowledge',
      fingerprint: 'srv01/mysql',
      endsAt: null,
    });
    expect(parsePagerDutyEvent(resolve, opts).event).toMatchObject({
      action: 'resolve',
      fingerprint: 'srv01/mysql',
      summary: 'srv01/mysql',
      endsAt: now,
    });
  });

  it('gives a trigger without dedup_key a fresh key, so each one is a new alert', () => {
    const { dedup_key: _, ...noKey } = trigger;
    const a = parsePagerDutyEvent(noKey, opts).event.fingerprint;
    const b = parsePagerDutyEvent({ ...noKey, dedup_key: '' }, opts).event.fingerprint;
    expect(a).toMatch(/^generated-/);
    expect(b).toMatch(/^generated-/);
    expect(a).not.toBe(b);
  });

  it("refuses a trigger missing summary, source and severity with PagerDuty's own error body", () => {
    const e = refusal(() =>
      parsePagerDutyEvent({ routing_key: 'k', event_action: 'trigger', payload: { severity: 'high' } }, opts),
    );
    expect(e.code).toBe('validation');
    expect(pagerDutyErrorBody(e)).toEqual({
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: [
        "'summary' is missing or blank",
        "'source' is missing or blank",
        "'severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')",
      ],
    });
    expect(e.errors?.map((x) => x.pointer)).toEqual([
      '/payload/summary',
      '/payload/source',
      '/payload/severity',
    ]);
  });

  it('refuses a trigger with no payload, an unknown action, or no routing key', () => {
    expect(
      pagerDutyErrorBody(
        refusal(() => parsePagerDutyEvent({ routing_key: 'k', event_action: 'trigger' }, opts)),
      ),
    ).toMatchObject({ errors: ["'payload' is missing or blank"] });
    expect(
      pagerDutyErrorBody(refusal(() => parsePagerDutyEvent({ event_action: 'snooze', dedup_key: 'x' }, opts)))
        ?.errors,
    ).toEqual([
      "'routing_key' is missing or blank",
      "'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')",
    ]);
  });

  it('requires dedup_key to acknowledge or resolve, and at most 255 characters of it', () => {
    const { dedup_key: _, ...noKey } = resolve;
    expect(pagerDutyErrorBody(refusal(() => parsePagerDutyEvent(noKey, opts)))?.errors).toEqual([
      "'dedup_key' is missing or blank",
    ]);
    expect(
      pagerDutyErrorBody(refusal(() => parsePagerDutyEvent({ ...trigger, dedup_key: 'k'.repeat(256) }, opts)))
        ?.errors,
    ).toEqual(["'dedup_key' is too long (maximum is 255 characters)"]);
    expect(
      parsePagerDutyEvent({ ...trigger, dedup_key: 'k'.repeat(255) }, opts).event.fingerprint,
    ).toHaveLength(255);
  });

  it('truncates a summary over 1,024 characters instead of dropping the page as PagerDuty does', () => {
    const long = `${'x'.repeat(2_000)}`;
    const { event } = parsePagerDutyEvent(
      { ...trigger, payload: { ...trigger.payload, summary: long } },
      opts,
    );
    expect(event.summary).toHaveLength(1_024);
    expect(event.summary.endsWith('…')).toBe(true);
  });

  it('treats the sender timestamp as advisory: unparseable or in the future means now', () => {
    const at = (timestamp: unknown) =>
      parsePagerDutyEvent({ ...trigger, payload: { ...trigger.payload, timestamp } }, opts).event.startsAt;
    expect(at('last tuesday')).toBe(now);
    expect(at('2027-01-01T00:00:00Z')).toBe(now);
    expect(at(undefined)).toBe(now);
    expect(at('2026-11-23T19:00:00-0100')).toBe(now); // 20:00Z, a quarter of an hour ahead of us
    expect(at('2026-11-23T18:00:00+01:00')).toBe(Date.parse('2026-11-23T17:00:00Z'));
  });

  it('shows non-object custom_details as one annotation', () => {
    const { event } = parsePagerDutyEvent(
      { ...trigger, payload: { ...trigger.payload, custom_details: 'disk /var is full' } },
      opts,
    );
    expect(event.annotations).toEqual({ custom_details: 'disk /var is full' });
  });

  it('answers a body that is not an object like PagerDuty does for unrecognised objects', () => {
    expect(pagerDutyErrorBody(refusal(() => parsePagerDutyEvent([1, 2], opts)))).toEqual({
      status: 'Unrecognized object',
      message: 'Event object format is unrecognized',
      errors: ['Event must be a JSON object'],
    });
    expect(pagerDutyErrorBody(validationError('not from PagerDuty'))).toBeUndefined();
    expect(pagerDutyErrorBody(new Error('x'))).toBeUndefined();
  });

  it('answers any JSON with an enqueue or an AppError, never another exception', () => {
    const near = fc.record(
      {
        routing_key: fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1 }) }, anyJson),
        event_action: fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom('trigger', 'acknowledge', 'resolve') },
          anyJson,
        ),
        dedup_key: fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1 }) }, anyJson),
        payload: fc.oneof(
          fc.record(
            {
              summary: fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1 }) }, anyJson),
              source: fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: 1 }) }, anyJson),
              severity: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('critical', 'info') }, anyJson),
              timestamp: anyJson,
              custom_details: anyJson,
            },
            { requiredKeys: [] },
          ),
          anyJson,
        ),
        client_url: anyJson,
        links: anyJson,
      },
      { requiredKeys: ['routing_key', 'event_action'] },
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(anyJson, near), (body) => {
        for (const parse of [
          () => parsePagerDutyEvent(body, opts),
          () => parsePagerDutyChangeEvent(body, opts),
        ]) {
          try {
            parse();
            accepted += 1;
          } catch (e) {
            expect(pagerDutyErrorBody(e)).toBeDefined();
          }
        }
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(25);
  });
});

describe('PagerDuty Events API v1', () => {
  it('turns the documented trigger into an alert: service_key, incident_key, description, client, details', () => {
    const { routingKey, event } = parsePagerDutyV1Event(triggerV1, opts);
    expect(routingKey).toBe('e93facc04764012d7bfb002500d5d1a6');
    expect(event).toMatchObject({
      action: 'trigger',
      fingerprint: 'srv01/HTTP',
      summary: 'FAILURE for production/HTTP on machine srv01.acme.com',
      severity: 'error',
      labels: { client: 'Sample Monitoring Service' },
      annotations: { 'ping time': '1500ms', 'load avg': '0.75' },
      startsAt: now,
      endsAt: null,
      generatorUrl: 'https://monitoring.service.com',
    });
    expect(JSON.stringify(event.raw)).not.toContain('e93facc04764012d7bfb002500d5d1a6');
  });

  it('acknowledges and resolves by incident_key, which they require', () => {
    const base = { service_key: 'k', incident_key: 'srv01/HTTP' };
    expect(parsePagerDutyV1Event({ ...base, event_type: 'acknowledge' }, opts).event).toMatchObject({
      action: 'acknowledge',
      fingerprint: 'srv01/HTTP',
    });
    expect(parsePagerDutyV1Event({ ...base, event_type: 'resolve' }, opts).event).toMatchObject({
      action: 'resolve',
      endsAt: now,
    });
    expect(
      pagerDutyErrorBody(
        refusal(() => parsePagerDutyV1Event({ service_key: 'k', event_type: 'resolve' }, opts)),
      ),
    ).toEqual({
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: ["'incident_key' is missing or blank"],
    });
  });

  it('gives a trigger without incident_key a fresh key, and refuses one without a description', () => {
    const { event } = parsePagerDutyV1Event(
      { service_key: 'k', event_type: 'trigger', description: 'x' },
      opts,
    );
    expect(event.fingerprint).toMatch(/^generated-/);
    const err = refusal(() => parsePagerDutyV1Event({ event_type: 'page', description: 7 }, opts));
    expect(pagerDutyErrorBody(err)?.errors).toEqual([
      "'service_key' is missing or blank",
      "'event_type' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')",
    ]);
    expect(
      refusal(() => parsePagerDutyV1Event({ service_key: 'k', event_type: 'trigger' }, opts)).errors,
    ).toEqual([{ pointer: '/description', detail: "'description' is missing or blank" }]);
  });

  it('answers any JSON with an enqueue or an AppError, never another exception', () => {
    fc.assert(
      fc.property(anyJson, (body) => {
        try {
          parsePagerDutyV1Event(body, opts);
        } catch (e) {
          expect(isAppError(e)).toBe(true);
        }
      }),
    );
  });
});

describe('PagerDuty change events', () => {
  it('turns the documented change example into a change with its source, time, links and details', () => {
    expect(parsePagerDutyChangeEvent(change, { now })).toEqual({
      routingKey: 'e93facc04764012d7bfb002500d5d1a6',
      change: {
        summary: 'Build Success: Increase snapshot create timeout to 30 seconds',
        source: 'acme-build-pipeline-tool-default-i-9999',
        at: Date.parse('2026-11-23T19:30:58.315Z'),
        links: [{ href: 'https://acme.pagerduty.dev/build/2', text: 'View more details in Acme!' }],
        details: { build_state: 'passed', build_number: '2', run_time: '1236s' },
      },
    });
  });

  it('requires a summary and drops links that are not http(s)', () => {
    const e = refusal(() => parsePagerDutyChangeEvent({ routing_key: 'k', payload: {} }, { now }));
    expect(pagerDutyErrorBody(e)?.errors).toEqual(["'summary' is missing or blank"]);
    const { change: c } = parsePagerDutyChangeEvent(
      {
        routing_key: 'k',
        payload: { summary: 'deploy' },
        links: [{ href: 'javascript:alert(1)' }, { href: 'https://ci/1' }],
      },
      { now },
    );
    expect(c).toMatchObject({
      summary: 'deploy',
      source: null,
      at: now,
      links: [{ href: 'https://ci/1' }],
      details: {},
    });
  });
});
