import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { fixture, setupAlerting } from '../harness/alerting.ts';
import { TEST_DIALECT } from '../harness/db.ts';

type Recorded = { body: Record<string, unknown>[] };
type AmAlert = {
  fingerprint: string;
  labels: Record<string, string>;
  receivers: { name: string }[];
  status: { state: string; silencedBy: string[] };
  endsAt: string;
};
type Incident = {
  id: string;
  number: number;
  title: string;
  status: string;
  alertCount: number;
  openAlertCount: number;
};

const alert = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  labels,
  annotations: { summary: `${labels.alertname ?? 'alert'} on ${labels.instance ?? 'somewhere'}` },
  ...extra,
});

/** Prometheus points at Siaga as its Alertmanager: alerts become alerts, incidents and timeline entries. */
describe(`Alertmanager API v2 ingest (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function start() {
    t = await createTestApp();
    t.clock.set('2026-11-23T19:10:00.000Z');
    const s = await setupAlerting(t);
    const { key } = await s.integration('alertmanager');
    return { t, s, prometheus: s.bearer(key) };
  }

  it("accepts Prometheus 2.42's exact payload with the integration key, and repeats make one alert", async () => {
    const { t, s, prometheus } = await start();
    const recorded = fixture<Recorded>('prometheus-2.42-post-api-v2-alerts.json');
    for (let i = 0; i < 3; i++) {
      const res = await prometheus('POST', '/api/v2/alerts', recorded.body);
      expect(res.statusCode, res.body).toBe(200);
      t.clock.advance(1000);
    }
    const listed = await prometheus('GET', '/api/v2/alerts');
    expect(listed.statusCode, listed.body).toBe(200);
    const alerts = listed.json<AmAlert[]>();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      labels: { alertname: 'BenchAlwaysFiring', cluster: 'bench', severity: 'warning', team: 'bench' },
      receivers: [{ name: 'checkout' }],
      status: { state: 'active', silencedBy: [], inhibitedBy: [] },
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    const native = await s.admin('GET', '/api/v1/alerts');
    expect(native.statusCode, native.body).toBe(200);
    const items = native.json<{ items: { occurrences: number; incidentId: string; summary: string }[] }>()
      .items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      occurrences: 3,
      summary: 'always firing bench rule',
      serviceName: 'checkout',
      incidentNumber: 1,
    });
    const incidents = (await s.admin('GET', '/api/v1/incidents')).json<{ items: Incident[] }>().items;
    expect(incidents).toEqual([
      expect.objectContaining({ number: 1, status: 'triggered', alertCount: 1, openAlertCount: 1 }),
    ]);
    expect(items[0]!.incidentId).toBe(incidents[0]!.id);
  });

  it('groups alerts by alertname into one incident, records every join and resolve, and auto-resolves', async () => {
    const { t, s, prometheus } = await start();
    const a = alert({ alertname: 'HighLatency', instance: 'web-1' });
    const b = alert({ alertname: 'HighLatency', instance: 'web-2' });
    const c = alert({ alertname: 'DiskFull', instance: 'db-1' });
    expect((await prometheus('POST', '/api/v2/alerts', [a, b, c])).statusCode).toBe(200);
    let incidents = (await s.admin('GET', '/api/v1/incidents')).json<{ items: Incident[] }>().items;
    expect(incidents.map((i) => [i.number, i.alertCount]).sort()).toEqual([
      [1, 2],
      [2, 1],
    ]);
    const latency = incidents.find((i) => i.alertCount === 2)!;
    expect(latency.title).toContain('HighLatency');

    t.clock.advance(60_000);
    const past = new Date(t.clock.now() - 1000).toISOString();
    expect((await prometheus('POST', '/api/v2/alerts', [{ ...a, endsAt: past }])).statusCode).toBe(200);
    let detail = (await s.admin('GET', `/api/v1/incidents/${latency.id}`)).json<{
      incident: Incident;
      timeline: { type: string }[];
    }>();
    expect(detail.incident).toMatchObject({ status: 'triggered', openAlertCount: 1 });
    expect((await prometheus('POST', '/api/v2/alerts', [{ ...b, endsAt: past }])).statusCode).toBe(200);
    detail = (await s.admin('GET', `/api/v1/incidents/${latency.id}`)).json();
    expect(detail.incident).toMatchObject({ status: 'resolved', openAlertCount: 0 });
    expect(detail.timeline.map((e) => e.type)).toEqual([
      'incident.opened',
      'alert.joined',
      'alert.joined',
      'alert.resolved',
      'alert.resolved',
      'incident.resolved',
    ]);
    // Resolved alerts are no longer listed, as in Alertmanager.
    const listed = (await prometheus('GET', '/api/v2/alerts')).json<AmAlert[]>();
    expect(listed.map((x) => x.labels.alertname)).toEqual(['DiskFull']);
    incidents = (await s.admin('GET', '/api/v1/incidents')).json<{ items: Incident[] }>().items;
    expect(incidents).toHaveLength(1);
  });

  it('filters with Alertmanager matchers, including regexes and missing-label semantics', async () => {
    const { prometheus } = await start();
    await prometheus('POST', '/api/v2/alerts', [
      alert({ alertname: 'A', env: 'prod', instance: 'x1' }),
      alert({ alertname: 'B', env: 'staging', instance: 'x2' }),
      alert({ alertname: 'C', instance: 'x3' }),
    ]);
    const names = async (...filters: string[]) => {
      const qs = filters.map((f) => `filter=${encodeURIComponent(f)}`).join('&');
      const res = await prometheus('GET', `/api/v2/alerts?${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      return res
        .json<AmAlert[]>()
        .map((a) => a.labels.alertname)
        .sort();
    };
    expect(await names('env="prod"')).toEqual(['A']);
    expect(await names('env!="prod"')).toEqual(['B', 'C']);
    expect(await names('env=~"prod|stag.*"')).toEqual(['A', 'B']);
    expect(await names('env=~"pro"')).toEqual([]); // anchored
    expect(await names('env!~".+"')).toEqual(['C']);
    expect(await names('env=""')).toEqual(['C']);
    expect(await names('{alertname=~"A|B", env="staging"}')).toEqual(['B']);
    expect(await names('alertname=~"A|B"', 'instance="x1"')).toEqual(['A']);
    const bad = await prometheus('GET', `/api/v2/alerts?filter=${encodeURIComponent('env=~"("')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses bad alerts with 400 saying what is wrong, and unauthenticated senders with 401', async () => {
    t = await createTestApp();
    const s = await setupAlerting(t);
    const { key } = await s.integration('alertmanager');
    const prometheus = s.bearer(key);
    const anon = await t.app.http.inject({
      method: 'POST',
      url: '/api/v2/alerts',
      payload: [alert({ alertname: 'A' })],
    });
    expect(anon.statusCode).toBe(401);
    const wrongKey = await t.app.http.inject({
      method: 'POST',
      url: '/api/v2/alerts',
      headers: { authorization: 'Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
      payload: [alert({ alertname: 'A' })],
    });
    expect(wrongKey.statusCode).toBe(401);
    const cases: unknown[] = [
      [{ labels: {} }],
      [{ labels: { '': 'x' } }],
      [{ labels: { 'bad-name': 'x' } }],
      [{ labels: { a: 1 } }],
      [{ labels: { a: 'b' }, startsAt: '2026-11-23T10:00:00Z', endsAt: '2026-11-23T09:00:00Z' }],
      [{ labels: { a: 'b' }, startsAt: 'yesterday' }],
      { labels: { a: 'b' } },
    ];
    for (const payload of cases) {
      const res = await prometheus('POST', '/api/v2/alerts', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json<{ detail: string }>().detail.length).toBeGreaterThan(5);
    }
    const garbage = await t.app.http.inject({
      method: 'POST',
      url: '/api/v2/alerts',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: '[{"labels": {',
    });
    expect(garbage.statusCode).toBe(400);
    expect((await prometheus('GET', '/api/v2/alerts')).json()).toEqual([]);
  });

  it('makes one alert from 50 concurrent identical triggers', async () => {
    const { s, prometheus } = await start();
    const same = [alert({ alertname: 'Storm', instance: 'one' })];
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => prometheus('POST', '/api/v2/alerts', same)),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    const items = (await s.admin('GET', '/api/v1/alerts')).json<{ items: { occurrences: number }[] }>().items;
    expect(items).toEqual([expect.objectContaining({ occurrences: 50 })]);
  });
});
