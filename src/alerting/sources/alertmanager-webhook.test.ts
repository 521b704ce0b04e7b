import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochMs } from '../../platform/clock.ts';
import { AppError, isAppError } from '../../platform/errors.ts';
import type { Fingerprinter } from './alertmanager-api.ts';
import { toAlertEventsFromAmWebhook } from './alertmanager-webhook.ts';
import firing from './fixtures/alertmanager-webhook-v4-firing.json' with { type: 'json' };
import resolved from './fixtures/alertmanager-webhook-v4-resolved.json' with { type: 'json' };

/** Any JSON value, kept shallow so a thousand runs stay fast. */
const anyJson = fc.jsonValue({ maxDepth: 3 });

const fingerprint: Fingerprinter = (labels) => `computed:${Object.keys(labels).sort().join(',')}`;
const now = epochMs(Date.parse('2026-11-23T19:45:00Z'));
const opts = { now, fingerprint };

function refusal(body: unknown): AppError {
  try {
    toAlertEventsFromAmWebhook(body, opts);
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const withAlerts = (alerts: unknown[]) => ({ ...firing, alerts });

describe('Alertmanager webhook receiver (payload version 4)', () => {
  it('opens one alert per firing alert, keeping Alertmanager fingerprints and the group key', () => {
    const events = toAlertEventsFromAmWebhook(firing, opts);
    expect(events).toHaveLength(2);
    expect(events[0]).toEqual({
      action: 'trigger',
      fingerprint: 'cdaa4d1853145156',
      summary: 'High error rate on api-1:8080',
      severity: 'critical',
      labels: firing.alerts[0]?.labels,
      annotations: firing.alerts[0]?.annotations,
      startsAt: Date.parse('2026-11-23T19:41:07.543Z'),
      // Firing alerts carry Go's zero time: they stay open until Alertmanager says resolved.
      endsAt: null,
      generatorUrl: firing.alerts[0]?.generatorURL,
      senderGroupKey: '{}/{team="payments"}:{alertname="HighErrorRate"}',
      raw: firing.alerts[0],
    });
    expect(events[1]?.fingerprint).toBe('a453962cff8aebb3');
  });

  it('resolves at the endsAt Alertmanager reports', () => {
    const [event] = toAlertEventsFromAmWebhook(resolved, opts);
    expect(event).toMatchObject({
      action: 'resolve',
      fingerprint: 'cdaa4d1853145156',
      endsAt: Date.parse('2026-11-23T19:52:22.543Z'),
    });
  });

  it('computes the fingerprint when the sent one is missing or not 16 hex digits', () => {
    const [a, b] = toAlertEventsFromAmWebhook(
      withAlerts([
        { status: 'firing', labels: { alertname: 'A' } },
        { status: 'firing', labels: { alertname: 'B', x: 'y' }, fingerprint: 'CDAA4D18; DROP' },
      ]),
      opts,
    );
    expect([a?.fingerprint, b?.fingerprint]).toEqual(['computed:alertname', 'computed:alertname,x']);
  });

  it('refuses other payload versions (e.g. Grafana\'s "1") with a message naming the expected one', () => {
    const e = refusal({ ...firing, version: '1' });
    expect(e.code).toBe('validation');
    expect(e.message).toBe(
      'unsupported webhook payload version "1": Siaga accepts Alertmanager webhook version "4"',
    );
    expect(refusal({ alerts: [] }).message).toMatch(/version undefined/);
  });

  it('refuses garbage with a 4xx-type error, since Alertmanager would retry a 5xx forever', () => {
    for (const body of [null, 'hello', 42, [], { version: '4' }, { version: '4', alerts: {} }]) {
      expect(refusal(body).code).toBe('validation');
    }
    const e = refusal(
      withAlerts([
        { status: 'pending', labels: { a: 'b' } },
        7,
        { status: 'resolved', labels: { 'a.b': 'c' } },
      ]),
    );
    expect(e.errors?.map((x) => x.pointer)).toEqual([
      '/alerts/0/status',
      '/alerts/1',
      '/alerts/2/labels/a.b',
    ]);
  });

  it('accepts an empty group (nothing to do) and refuses a resolved alert ending before it started', () => {
    expect(toAlertEventsFromAmWebhook(withAlerts([]), opts)).toEqual([]);
    const e = refusal(
      withAlerts([
        {
          status: 'resolved',
          labels: { a: 'b' },
          startsAt: '2026-11-23T19:00:00Z',
          endsAt: '2026-11-23T18:00:00Z',
        },
      ]),
    );
    expect(e.errors).toEqual([{ pointer: '/alerts/0/endsAt', detail: 'endsAt is before startsAt' }]);
  });

  it('answers any JSON value with events or an AppError, never another exception', () => {
    // Mostly well-formed alerts (so the success path is exercised too), some with any JSON in any field.
    const labelName = fc.constantFrom('alertname', 'instance', 'job', 'severity', '_team', 'le2');
    const goodAlert = fc.record(
      {
        status: fc.constantFrom('firing', 'resolved'),
        labels: fc.dictionary(labelName, fc.string(), { minKeys: 1, maxKeys: 4 }),
        annotations: fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
        startsAt: fc.constantFrom('2026-11-23T19:41:07.543Z', '0001-01-01T00:00:00Z'),
        endsAt: fc.constantFrom('0001-01-01T00:00:00Z', '2026-11-23T19:52:22.543+01:00'),
        generatorURL: fc.oneof(fc.constant('https://prom.example.com/graph?g0.expr=up'), fc.string()),
        fingerprint: fc.oneof(fc.constantFrom('cdaa4d1853145156', 'a453962cff8aebb3'), fc.string()),
      },
      { requiredKeys: ['status', 'labels'] },
    );
    const wildAlert = fc.record(
      {
        status: anyJson,
        labels: fc.oneof(fc.dictionary(fc.string(), anyJson), anyJson),
        annotations: anyJson,
        startsAt: fc.oneof(fc.string(), anyJson),
        endsAt: fc.oneof(fc.string(), anyJson),
        generatorURL: anyJson,
        fingerprint: anyJson,
      },
      { requiredKeys: [] },
    );
    const alert = fc.oneof({ weight: 8, arbitrary: goodAlert }, { weight: 1, arbitrary: wildAlert });
    const nearlyValid = fc.record(
      {
        version: fc.oneof({ weight: 8, arbitrary: fc.constant('4') }, { weight: 1, arbitrary: anyJson }),
        groupKey: fc.oneof({ weight: 8, arbitrary: fc.string() }, anyJson),
        alerts: fc.array(alert, { maxLength: 3 }),
      },
      { requiredKeys: ['version', 'alerts'] },
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(anyJson, { weight: 4, arbitrary: nearlyValid }), (body) => {
        try {
          if (toAlertEventsFromAmWebhook(body, opts).length > 0) accepted += 1;
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
          expect((e as AppError).code).toBe('validation');
        }
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});
