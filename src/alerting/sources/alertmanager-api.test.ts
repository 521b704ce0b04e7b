import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MINUTE, epochMs } from '../../platform/clock.ts';
import { type AppError, isAppError } from '../../platform/errors.ts';
import {
  mapSeverity,
  parseAmApiAlerts,
  parseRfc3339,
  toAlertEventsFromAmApi,
  type Fingerprinter,
} from './alertmanager-api.ts';
import batching from './fixtures/prometheus-2.42-batching.json' with { type: 'json' };
import recorded from './fixtures/prometheus-2.42-post-api-v2-alerts.json' with { type: 'json' };

/** Any JSON value, kept shallow so a thousand runs stay fast. */
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** Stand-in for the matchers' fingerprint: any stable function of the label set will do here. */
const fingerprint: Fingerprinter = (labels) =>
  `fp(${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',')})`;
const now = epochMs(Date.parse('2026-11-23T19:10:00.000Z'));
const opts = { now, fingerprint };
const at = (iso: string) => epochMs(Date.parse(iso));

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('Alertmanager API v2 alerts (what Prometheus posts)', () => {
  it('turns the recorded Prometheus 2.42 post into one firing alert with its summary, labels and times', () => {
    const [event, ...rest] = toAlertEventsFromAmApi(recorded.body, opts);
    expect(rest).toHaveLength(0);
    expect(event).toEqual({
      action: 'trigger',
      fingerprint: 'fp(alertname=BenchAlwaysFiring,cluster=bench,severity=warning,team=bench)',
      summary: 'always firing bench rule',
      severity: 'warning',
      labels: { alertname: 'BenchAlwaysFiring', cluster: 'bench', severity: 'warning', team: 'bench' },
      annotations: { description: 'value 1', summary: 'always firing bench rule' },
      startsAt: at('2026-11-23T19:09:51.542Z'),
      endsAt: at('2026-11-23T19:10:05.542Z'),
      generatorUrl: 'http://vm:9090/graph?g0.expr=vector%281%29&g0.tab=1',
      raw: recorded.body[0],
    });
  });

  it('gives each alert of a recorded batch its own fingerprint and maps severity "info"', () => {
    const events = toAlertEventsFromAmApi(batching.firstPostFirstTwoAlerts, {
      ...opts,
      now: at('2026-11-23T19:32:35Z'),
    });
    expect(events.map((e) => e.action)).toEqual(['trigger', 'trigger']);
    expect(new Set(events.map((e) => e.fingerprint)).size).toBe(2);
    expect(events.map((e) => e.severity)).toEqual(['info', 'info']);
    // No annotations: the alertname is the best title there is.
    expect(events[0]?.summary).toBe('BenchManySeries');
  });

  it('defaults startsAt to the receive time and endsAt to now + resolve_timeout (5 min unless configured)', () => {
    const [a] = toAlertEventsFromAmApi([{ labels: { alertname: 'A' } }], opts);
    expect(a).toMatchObject({ action: 'trigger', startsAt: now, endsAt: now + 5 * MINUTE });
    const [b] = toAlertEventsFromAmApi([{ labels: { alertname: 'A' } }], {
      ...opts,
      resolveTimeoutMs: MINUTE,
    });
    expect(b?.endsAt).toBe(now + MINUTE);
  });

  it('resolves an alert whose endsAt is now or in the past, even when only endsAt is sent', () => {
    const events = toAlertEventsFromAmApi(
      [
        { labels: { alertname: 'past' }, startsAt: '2026-11-23T19:00:00Z', endsAt: '2026-11-23T19:09:59Z' },
        {
          labels: { alertname: 'exactly-now' },
          startsAt: '2026-11-23T19:00:00Z',
          endsAt: '2026-11-23T19:10:00Z',
        },
        { labels: { alertname: 'bare-resolve' }, endsAt: '2026-11-23T19:05:00Z' },
        { labels: { alertname: 'future' }, endsAt: '2026-11-23T19:15:00Z' },
      ],
      opts,
    );
    expect(events.map((e) => [e.labels['alertname'], e.action])).toEqual([
      ['past', 'resolve'],
      ['exactly-now', 'resolve'],
      ['bare-resolve', 'resolve'],
      ['future', 'trigger'],
    ]);
    expect(events[2]).toMatchObject({
      startsAt: at('2026-11-23T19:05:00Z'),
      endsAt: at('2026-11-23T19:05:00Z'),
    });
    expect(events[3]).toMatchObject({ startsAt: now });
  });

  it('refuses endsAt before startsAt, pointing at the field', () => {
    const e = refusal(() =>
      toAlertEventsFromAmApi(
        [{ labels: { alertname: 'A' }, startsAt: '2026-11-23T19:00:00Z', endsAt: '2026-11-23T18:00:00Z' }],
        opts,
      ),
    );
    expect(e.code).toBe('validation');
    expect(e.errors).toEqual([{ pointer: '/0/endsAt', detail: 'endsAt is before startsAt' }]);
    expect(e.message).toContain('/0/endsAt: endsAt is before startsAt');
  });

  it('refuses dates that are not RFC 3339, saying which and what is expected', () => {
    const bad = [
      'yesterday',
      '2026-02-30T00:00:00Z',
      '2026-11-23 19:00:00Z',
      '2026-11-23T19:00:00',
      '2026-11-23',
    ];
    const e = refusal(() =>
      toAlertEventsFromAmApi(
        [
          ...bad.map((startsAt) => ({ labels: { alertname: 'A' }, startsAt })),
          { labels: { a: 'b' }, endsAt: 1_700_000_000 },
        ],
        opts,
      ),
    );
    expect(e.errors?.map((x) => x.pointer)).toEqual([
      '/0/startsAt',
      '/1/startsAt',
      '/2/startsAt',
      '/3/startsAt',
      '/4/startsAt',
      '/5/endsAt',
    ]);
    expect(e.errors?.[0]?.detail).toBe(
      'not an RFC 3339 date-time: "yesterday" (expected e.g. 2026-01-31T09:00:00Z)',
    );
    expect(e.errors?.[5]?.detail).toMatch(/expected an RFC 3339 date-time string, got 1700000000/);
  });

  it('reads the instants Go and Alertmanager write: nanoseconds, offsets, and the zero time as "unset"', () => {
    expect(parseRfc3339('2018-08-03T09:52:26.739266876+02:00')).toBe(Date.parse('2018-08-03T07:52:26.739Z'));
    expect(parseRfc3339('2015-07-17T08:42:58.315+0000')).toBe(Date.parse('2015-07-17T08:42:58.315Z'));
    expect(parseRfc3339('2024-02-29T23:59:59z')).toBe(Date.parse('2024-02-29T23:59:59Z'));
    expect(parseRfc3339('2023-02-29T00:00:00Z')).toBeUndefined();
    const [e] = toAlertEventsFromAmApi([{ labels: { a: 'b' }, startsAt: '0001-01-01T00:00:00Z' }], opts);
    expect(e?.startsAt).toBe(now);
  });

  it('treats an empty label value as an absent label, so both spellings are the same alert', () => {
    const [a, b] = toAlertEventsFromAmApi(
      [{ labels: { alertname: 'A', env: '' } }, { labels: { alertname: 'A' } }],
      opts,
    );
    expect(a?.labels).toEqual({ alertname: 'A' });
    expect(a?.fingerprint).toBe(b?.fingerprint);
  });

  it('lists every label problem at once with JSON pointers (escaped names included)', () => {
    const e = refusal(() =>
      toAlertEventsFromAmApi(
        [
          { labels: { alertname: 'ok', 'bad-name': 'x', 'a/b': 'y', foo: 3 } },
          { labels: { only: '' } },
          { annotations: { summary: 'no labels' } },
          { labels: { a: 'b' }, annotations: { n: 1 } },
          'not an alert',
        ],
        opts,
      ),
    );
    expect(e.errors).toEqual([
      {
        pointer: '/0/labels/bad-name',
        detail: 'invalid label name "bad-name" (must match [a-zA-Z_][a-zA-Z0-9_]*)',
      },
      { pointer: '/0/labels/a~1b', detail: 'invalid label name "a/b" (must match [a-zA-Z_][a-zA-Z0-9_]*)' },
      { pointer: '/0/labels/foo', detail: 'label value must be a string, got 3' },
      { pointer: '/1/labels', detail: 'at least one label with a non-empty value is required' },
      { pointer: '/2/labels', detail: 'labels are required' },
      { pointer: '/3/annotations/n', detail: 'annotation value must be a string, got 1' },
      { pointer: '/4', detail: 'expected an alert object, got "not an alert"' },
    ]);
    expect(e.message).toBe(
      'invalid alerts: /0/labels/bad-name: invalid label name "bad-name" (must match [a-zA-Z_][a-zA-Z0-9_]*) (and 6 more)',
    );
  });

  it('keeps the error list short on a hopeless payload but still counts everything', () => {
    const e = refusal(() =>
      toAlertEventsFromAmApi(
        Array.from({ length: 50 }, () => ({ labels: {} })),
        opts,
      ),
    );
    expect(e.errors).toHaveLength(20);
    expect(e.message).toMatch(/\(and 49 more\)$/);
  });

  it('refuses more than 1,000 alerts in one request, and a body that is not an array', () => {
    const many = Array.from({ length: 1_001 }, (_, i) => ({ labels: { n: String(i) } }));
    expect(refusal(() => toAlertEventsFromAmApi(many, opts)).message).toBe(
      'too many alerts in one request: 1001 (at most 1000; send them in batches)',
    );
    expect(toAlertEventsFromAmApi(many.slice(1), opts)).toHaveLength(1_000);
    expect(refusal(() => toAlertEventsFromAmApi({ labels: { a: 'b' } }, opts)).message).toMatch(
      /expected a JSON array/,
    );
  });

  it('can keep the valid alerts of a partly invalid batch, as Alertmanager does', () => {
    const { events, errors } = parseAmApiAlerts([{ labels: { a: 'b' } }, { labels: { 'x-y': 'z' } }], opts);
    expect(events.map((e) => e.labels)).toEqual([{ a: 'b' }]);
    expect(errors.map((x) => x.pointer)).toEqual(['/1/labels/x-y']);
  });

  it('titles the alert with summary, else description, else alertname, else the fingerprint; capped at 1,024', () => {
    const events = toAlertEventsFromAmApi(
      [
        { labels: { alertname: 'A', i: '1' }, annotations: { summary: ' ', description: 'the description' } },
        { labels: { alertname: 'A', i: '2' } },
        { labels: { i: '3' } },
        { labels: { i: '4' }, annotations: { summary: 'x'.repeat(5_000) } },
      ],
      opts,
    );
    expect(events.map((e) => e.summary.slice(0, 20))).toEqual([
      'the description',
      'A',
      'fp(i=3)',
      'x'.repeat(20),
    ]);
    expect(events[3]?.summary).toHaveLength(1_024);
    expect(events[3]?.summary.endsWith('…')).toBe(true);
  });

  it('maps the severity names teams use onto four levels, warning when unknown', () => {
    const cases: [string | undefined, string][] = [
      ['critical', 'critical'],
      ['PAGE', 'critical'],
      ['p1', 'critical'],
      ['high', 'error'],
      ['major', 'error'],
      ['warn', 'warning'],
      ['minor', 'warning'],
      ['low', 'info'],
      ['none', 'info'],
      ['info', 'info'],
      ['sev-whatever', 'warning'],
      ['constructor', 'warning'],
      [undefined, 'warning'],
    ];
    expect(cases.map(([v]) => mapSeverity(v))).toEqual(cases.map(([, s]) => s));
  });

  it('keeps only http(s) generator URLs, so a javascript: link never reaches the UI', () => {
    const events = toAlertEventsFromAmApi(
      [
        { labels: { i: '1' }, generatorURL: 'javascript:alert(1)' },
        { labels: { i: '2' }, generatorURL: 'https://prom.example.com/graph' },
      ],
      opts,
    );
    expect(events.map((e) => e.generatorUrl)).toEqual([undefined, 'https://prom.example.com/graph']);
  });

  it('keeps a label named __proto__ as an ordinary label', () => {
    const body: unknown = JSON.parse('[{"labels":{"__proto__":"x","alertname":"A"}}]');
    const [e] = toAlertEventsFromAmApi(body, opts);
    expect(Object.keys(e?.labels ?? {})).toEqual(['__proto__', 'alertname']);
    expect(JSON.stringify(e?.labels)).toBe('{"__proto__":"x","alertname":"A"}');
  });

  it('answers any JSON with events or a validation error, never another exception', () => {
    const labelName = fc.constantFrom('alertname', 'instance', 'job', 'severity', '_team', 'le2');
    // Mostly well-formed fields, so the success path is exercised too; now and then any JSON at all.
    const mostly = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: good }, anyJson);
    const alert = fc.record(
      {
        labels: mostly(fc.dictionary(labelName, fc.string(), { minKeys: 1, maxKeys: 4 })),
        annotations: mostly(fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 })),
        startsAt: mostly(fc.constantFrom('2026-11-23T19:00:00Z', '2026-11-23T19:20:00.5+02:00')),
        endsAt: mostly(fc.constantFrom('2026-11-23T19:30:00Z', '0001-01-01T00:00:00Z')),
        generatorURL: mostly(
          fc.constantFrom('https://prom.example.com/graph?g0.expr=up', 'javascript:alert(1)'),
        ),
      },
      { requiredKeys: ['labels'] },
    );
    let accepted = 0;
    fc.assert(
      fc.property(mostly(fc.array(alert, { maxLength: 3 })), (body) => {
        try {
          if (toAlertEventsFromAmApi(body, opts).length > 0) accepted += 1;
        } catch (e) {
          expect(isAppError(e) && e.code === 'validation').toBe(true);
        }
      }),
      { numRuns: 500 },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});
