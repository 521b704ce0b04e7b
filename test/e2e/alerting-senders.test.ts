import { afterEach, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/alerting/sources/signature.ts';
import type { Settings } from '../../src/platform/settings.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { addIntegration, fixture, setupAlerting, type AlertingSetup } from '../harness/alerting.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { TEST_SETTINGS } from '../harness/services.ts';

type Json = Record<string, unknown>;
type Alert = {
  id: string;
  serviceId: string | null;
  integrationId: string | null;
  fingerprint: string;
  source: string;
  status: string;
  summary: string;
  severity: string;
  labels: Record<string, string>;
  occurrences: number;
  incidentId: string | null;
};
type Incident = { id: string; status: string; alertCount: number; openAlertCount: number };
type IncidentDetail = {
  incident: Incident;
  alerts: Alert[];
  timeline: { type: string; actor: Json; data: Json }[];
  changes: { summary: string; source: string | null; at: string; links: unknown }[];
};
type PdAnswer = { status: string; message: string; dedup_key?: string; errors?: string[] };

/** Any well-formed integration key that no integration has. */
const UNKNOWN_KEY = 'Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9';

/** Senders (Alertmanager, PagerDuty clients, anything with a webhook) post with only the integration key. */
describe(`senders: Alertmanager webhook, PagerDuty Events v2, generic webhook (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function start(alerting: Partial<Settings['alerting']> = {}) {
    const settings: Settings = { ...TEST_SETTINGS, alerting: { ...TEST_SETTINGS.alerting, ...alerting } };
    const app = await createTestApp({ overrides: { settings } });
    t = app;
    app.clock.set('2026-11-23T19:45:00.000Z');
    const s = await setupAlerting(app);
    return { t: app, s, post: poster(app) };
  }

  /** A sender's POST: JSON (or the exact text given) with the headers it adds. */
  function poster(app: TestApp) {
    return (url: string, body: unknown, headers: Record<string, string> = {}) =>
      app.app.http.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json', ...headers },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
  }

  async function alerts(s: AlertingSetup): Promise<Alert[]> {
    const res = await s.admin('GET', '/api/v1/alerts?status=all');
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Alert[] }>().items;
  }

  async function incidents(s: AlertingSetup): Promise<Incident[]> {
    const res = await s.admin('GET', '/api/v1/incidents?status=all');
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ items: Incident[] }>().items;
  }

  async function incident(s: AlertingSetup, id: string): Promise<IncidentDetail> {
    const res = await s.admin('GET', `/api/v1/incidents/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<IncidentDetail>();
  }

  const byFingerprint = (list: Alert[]) =>
    Object.fromEntries(list.map((a) => [a.fingerprint, a])) as Record<string, Alert>;

  describe('Alertmanager webhook receiver', () => {
    const firing = () => fixture<Json & { alerts: Json[] }>('alertmanager-webhook-v4-firing.json');
    const resolved = () => fixture<Json & { alerts: Json[] }>('alertmanager-webhook-v4-resolved.json');

    it("opens alerts under the payload's fingerprints, and re-deliveries of the group never duplicate them", async () => {
      const { t, s, post } = await start();
      const { id: integrationId, key } = await addIntegration(s, 'alertmanager');
      for (let i = 0; i < 3; i++) {
        const res = await post(`/integrations/alertmanager/${key}`, firing());
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toEqual({ status: 'success', alerts: 2 });
        t.clock.advance(60_000);
      }
      const list = await alerts(s);
      expect(list).toHaveLength(2);
      const fp = byFingerprint(list);
      expect(Object.keys(fp).sort()).toEqual(['a453962cff8aebb3', 'cdaa4d1853145156']);
      expect(fp['cdaa4d1853145156']).toMatchObject({
        status: 'triggered',
        source: 'alertmanager_webhook',
        serviceId: s.serviceId,
        integrationId,
        summary: 'High error rate on api-1:8080',
        severity: 'critical',
        occurrences: 3,
        labels: { alertname: 'HighErrorRate', instance: 'api-1:8080', job: 'api', team: 'payments' },
      });
      expect(fp['a453962cff8aebb3']).toMatchObject({ status: 'triggered', occurrences: 3 });
      // Both alerts of the group are one incident (grouped by alertname), opened once.
      const opened = await incidents(s);
      expect(opened).toEqual([
        expect.objectContaining({ status: 'triggered', alertCount: 2, openAlertCount: 2 }),
      ]);
      expect(list.map((a) => a.incidentId)).toEqual([opened[0]!.id, opened[0]!.id]);
      const detail = await incident(s, opened[0]!.id);
      expect(detail.timeline.filter((e) => e.type === 'incident.opened')).toHaveLength(1);
      expect(detail.timeline.filter((e) => e.type === 'alert.joined')).toHaveLength(2);
      // amtool, through the Alertmanager API, sees the same fingerprints Alertmanager computed.
      const am = await s.bearer(key)('GET', '/api/v2/alerts');
      expect(am.statusCode, am.body).toBe(200);
      expect(
        am
          .json<{ fingerprint: string }[]>()
          .map((a) => a.fingerprint)
          .sort(),
      ).toEqual(['a453962cff8aebb3', 'cdaa4d1853145156']);
    });

    it('resolves the alerts a resolved notification names, and the incident once none is open', async () => {
      const { t, s, post } = await start();
      const { key } = await addIntegration(s, 'alertmanager');
      expect((await post(`/integrations/alertmanager/${key}`, firing())).statusCode).toBe(200);
      t.clock.set('2026-11-23T19:53:00.000Z');

      // The recorded resolved notification: only api-1 ended.
      const first = await post(`/integrations/alertmanager/${key}`, resolved());
      expect(first.statusCode, first.body).toBe(200);
      let fp = byFingerprint(await alerts(s));
      expect(fp['cdaa4d1853145156']).toMatchObject({ status: 'resolved' });
      expect(fp['a453962cff8aebb3']).toMatchObject({ status: 'triggered' });
      const [inc] = await incidents(s);
      expect(inc).toMatchObject({ status: 'triggered', openAlertCount: 1 });

      // Then the rest of the group ends: Alertmanager sends every alert of the group, now all resolved.
      t.clock.advance(60_000);
      const all = resolved();
      const api2 = firing().alerts[1]!;
      all.alerts = [...all.alerts, { ...api2, status: 'resolved', endsAt: '2026-11-23T19:53:30.000Z' }];
      const second = await post(`/integrations/alertmanager/${key}`, all);
      expect(second.statusCode, second.body).toBe(200);
      fp = byFingerprint(await alerts(s));
      expect(Object.values(fp).map((a) => a.status)).toEqual(['resolved', 'resolved']);
      const detail = await incident(s, inc!.id);
      expect(detail.incident).toMatchObject({ status: 'resolved', openAlertCount: 0 });
      expect(detail.timeline.map((e) => e.type)).toEqual([
        'incident.opened',
        'alert.joined',
        'alert.joined',
        'alert.resolved',
        'alert.resolved',
        'incident.resolved',
      ]);
      expect(await alerts(s)).toHaveLength(2);
    });

    it('answers 404 for a key of another kind, an unknown key or a malformed one, and stores nothing', async () => {
      const { s, post } = await start();
      const pd = await addIntegration(s, 'pagerduty');
      const webhook = await addIntegration(s, 'webhook');
      for (const key of [pd.key, webhook.key, UNKNOWN_KEY, 'not-a-key']) {
        const res = await post(`/integrations/alertmanager/${key}`, firing());
        expect(res.statusCode, key).toBe(404);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json<{ detail: string }>().detail).toMatch(/integration/);
      }
      expect(await alerts(s)).toEqual([]);
    });

    it('refuses garbage and other payload versions with a 4xx that says why (Alertmanager drops a 4xx)', async () => {
      const { s, post } = await start();
      const { key } = await addIntegration(s, 'alertmanager');
      const cases: [unknown, RegExp][] = [
        ['{"version": "4", "alerts": [', /JSON/],
        ['not json at all', /JSON/],
        [{ ...firing(), version: '3' }, /version/],
        [{ ...firing(), version: 4 }, /version/],
        [{ version: '4' }, /alerts/],
        [[firing()], /object/],
        [{ ...firing(), alerts: [{ ...firing().alerts[0], status: 'pending' }] }, /status/],
        [{ ...firing(), alerts: [{ ...firing().alerts[0], startsAt: 'yesterday' }] }, /startsAt/],
      ];
      for (const [body, why] of cases) {
        const res = await post(`/integrations/alertmanager/${key}`, body);
        expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, res.body).toBeLessThan(500);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json<{ detail: string }>().detail).toMatch(why);
      }
      expect(await alerts(s)).toEqual([]);
    });
  });

  describe('PagerDuty Events API v1', () => {
    const V1 = '/generic/2010-04-15/create_event.json';
    const v1 = (serviceKey: string, extra: Json = {}) => ({
      ...fixture<Json>('pagerduty-events-v1-trigger.json'),
      service_key: serviceKey,
      ...extra,
    });

    it('triggers, acknowledges and resolves by incident_key, answering 200 as PagerDuty v1 does', async () => {
      const { t, s, post } = await start();
      const { id: integrationId, key } = await addIntegration(s, 'pagerduty');
      const first = await post(V1, v1(key));
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toEqual({
        status: 'success',
        message: 'Event processed',
        incident_key: 'srv01/HTTP',
      });
      let [alert] = await alerts(s);
      expect(alert).toMatchObject({
        fingerprint: 'srv01/HTTP',
        source: 'pagerduty',
        integrationId,
        status: 'triggered',
        summary: 'FAILURE for production/HTTP on machine srv01.acme.com',
        severity: 'error',
        labels: { client: 'Sample Monitoring Service' },
      });
      t.clock.advance(60_000);
      expect((await post(V1, v1(key, { event_type: 'acknowledge' }))).statusCode).toBe(200);
      [alert] = await alerts(s);
      expect(alert).toMatchObject({ status: 'acknowledged' });
      const resolved = await post(V1, {
        service_key: key,
        event_type: 'resolve',
        incident_key: 'srv01/HTTP',
      });
      expect(resolved.statusCode, resolved.body).toBe(200);
      [alert] = await alerts(s);
      expect(alert).toMatchObject({ status: 'resolved' });
      expect((await incident(s, alert!.incidentId!)).incident.status).toBe('resolved');
    });

    it("refuses an invalid event or an unknown service_key with PagerDuty's body, and throttles with 403", async () => {
      const { t, s, post } = await start({ pagerDutyEventsPerMinute: 1 });
      const { key } = await addIntegration(s, 'pagerduty');
      const invalid = await post(V1, { service_key: key, event_type: 'trigger' });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json()).toEqual({
        status: 'invalid event',
        message: 'Event object is invalid',
        errors: ["'description' is missing or blank"],
      });
      const unknown = await post(V1, v1('0'.repeat(32)));
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json<PdAnswer>().status).toBe('invalid event');
      expect((await post(V1, v1(key))).statusCode).toBe(200);
      const throttled = await post(V1, v1(key, { incident_key: 'another' }));
      expect(throttled.statusCode, throttled.body).toBe(403);
      expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
      expect((await alerts(s)).map((a) => a.fingerprint)).toEqual(['srv01/HTTP']);
      t.clock.advance(60_000);
      expect((await post(V1, v1(key, { incident_key: 'another' }))).statusCode).toBe(200);
    });
  });

  describe('PagerDuty Events API v2', () => {
    const trigger = () => fixture<Json & { payload: Json }>('pagerduty-events-v2-trigger.json');
    const event = (
      routingKey: string,
      name: 'trigger' | 'acknowledge' | 'resolve' | 'change',
      extra = {},
    ) => ({
      ...fixture<Json>(`pagerduty-events-v2-${name}.json`),
      routing_key: routingKey,
      ...extra,
    });

    it('answers a trigger 202 with the dedup key, and the same dedup key again is the same alert', async () => {
      const { t, s, post } = await start();
      const { id: integrationId, key } = await addIntegration(s, 'pagerduty');
      const first = await post('/v2/enqueue', event(key, 'trigger'));
      expect(first.statusCode, first.body).toBe(202);
      expect(first.headers['content-type']).toContain('application/json');
      expect(first.json()).toEqual({
        status: 'success',
        message: expect.any(String),
        dedup_key: 'srv01/mysql',
      });
      t.clock.advance(30_000);
      const again = await post('/v2/enqueue', event(key, 'trigger'));
      expect(again.statusCode, again.body).toBe(202);
      expect(again.json<PdAnswer>().dedup_key).toBe('srv01/mysql');

      const list = await alerts(s);
      expect(list).toHaveLength(1);
      expect(list[0]).toMatchObject({
        fingerprint: 'srv01/mysql',
        source: 'pagerduty',
        integrationId,
        serviceId: s.serviceId,
        status: 'triggered',
        summary: 'DISK at 99% on machine prod-datapipe03.example.com',
        severity: 'critical',
        occurrences: 2,
        labels: expect.objectContaining({ source: 'prod-datapipe03.example.com', component: 'mysql' }),
      });
      expect(await incidents(s)).toEqual([expect.objectContaining({ status: 'triggered', alertCount: 1 })]);
    });

    it('gives a trigger without dedup_key a new key, so each such trigger is a new alert', async () => {
      const { s, post } = await start();
      const { key } = await addIntegration(s, 'pagerduty');
      const { dedup_key: _unused, ...bare } = event(key, 'trigger') as Json;
      const answers: string[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await post('/v2/enqueue', bare);
        expect(res.statusCode, res.body).toBe(202);
        const body = res.json<PdAnswer>();
        expect(body.status).toBe('success');
        expect(body.dedup_key).toMatch(/\S/);
        answers.push(body.dedup_key!);
      }
      expect(answers[0]).not.toBe(answers[1]);
      const list = await alerts(s);
      expect(list.map((a) => a.fingerprint).sort()).toEqual([...answers].sort());
      expect(list.map((a) => a.occurrences)).toEqual([1, 1]);
    });

    it('acknowledges as the integration, then resolves, the alert and its incident', async () => {
      const { t, s, post } = await start();
      const { id: integrationId, key } = await addIntegration(s, 'pagerduty');
      expect((await post('/v2/enqueue', event(key, 'trigger'))).statusCode).toBe(202);
      t.clock.advance(60_000);

      const ack = await post('/v2/enqueue', event(key, 'acknowledge'));
      expect(ack.statusCode, ack.body).toBe(202);
      expect(ack.json()).toMatchObject({ status: 'success', dedup_key: 'srv01/mysql' });
      let [alert] = await alerts(s);
      expect(alert).toMatchObject({ status: 'acknowledged', occurrences: 1 });
      let detail = await incident(s, alert!.incidentId!);
      expect(detail.incident.status).toBe('acknowledged');
      expect(detail.timeline.find((e) => e.type === 'incident.acknowledged')).toMatchObject({
        actor: { kind: 'integration', id: integrationId },
      });

      t.clock.advance(60_000);
      const resolve = await post('/v2/enqueue', event(key, 'resolve'));
      expect(resolve.statusCode, resolve.body).toBe(202);
      expect(resolve.json()).toMatchObject({ status: 'success', dedup_key: 'srv01/mysql' });
      [alert] = await alerts(s);
      expect(alert).toMatchObject({ status: 'resolved' });
      detail = await incident(s, alert!.incidentId!);
      expect(detail.incident).toMatchObject({ status: 'resolved', openAlertCount: 0 });
      expect(detail.timeline.find((e) => e.type === 'alert.resolved')).toMatchObject({
        actor: { kind: 'integration', id: integrationId },
      });
      expect(detail.timeline.map((e) => e.type)).toEqual([
        'incident.opened',
        'alert.joined',
        'alert.acknowledged',
        'incident.acknowledged',
        'alert.resolved',
        'incident.resolved',
      ]);
    });

    it("refuses invalid events and unknown routing keys with PagerDuty's own 400 body", async () => {
      const { s, post } = await start();
      const { key } = await addIntegration(s, 'pagerduty');
      const { summary: _summary, ...withoutSummary } = trigger().payload;
      const noSummary = event(key, 'trigger', { payload: withoutSummary });
      const cases: [unknown, RegExp][] = [
        [noSummary, /summary/],
        [event(key, 'trigger', { event_action: 'explode' }), /event_action/],
        [event(key, 'trigger', { payload: { ...trigger().payload, severity: 'apocalyptic' } }), /severity/],
        [event(key, 'acknowledge', { dedup_key: undefined }), /dedup_key/],
        [event(key, 'trigger', { routing_key: undefined }), /routing_key/],
      ];
      for (const [body, why] of cases) {
        const res = await post('/v2/enqueue', body);
        expect(res.statusCode, res.body).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        const answer = res.json<PdAnswer>();
        expect(answer).toEqual({
          status: 'invalid event',
          message: 'Event object is invalid',
          errors: expect.arrayContaining([expect.stringMatching(why)]),
        });
      }
      for (const routingKey of [UNKNOWN_KEY, (await addIntegration(s, 'alertmanager')).key]) {
        const res = await post('/v2/enqueue', event(routingKey, 'trigger'));
        expect(res.statusCode, res.body).toBe(400);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.json()).toEqual({
          status: 'invalid event',
          message: 'Event object is invalid',
          errors: [expect.stringMatching(/routing key/i)],
        });
      }
      expect(await alerts(s)).toEqual([]);
    });

    it("answers a body that is not JSON with PagerDuty's 400 body, on both endpoints", async () => {
      const { s, post } = await start();
      await addIntegration(s, 'pagerduty');
      for (const url of ['/v2/enqueue', '/v2/change/enqueue']) {
        for (const raw of ['{"routing_key": ', 'routing_key=abc']) {
          const res = await post(url, raw);
          expect(res.statusCode, `${url} ${raw}: ${res.body}`).toBe(400);
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          expect(res.json()).toEqual({
            status: expect.any(String),
            message: expect.any(String),
            errors: expect.arrayContaining([expect.stringMatching(/JSON/i)]),
          });
        }
      }
      expect(await alerts(s)).toEqual([]);
    });

    it("throttles one routing key past its per-minute budget with 429, Retry-After and PagerDuty's body", async () => {
      const { t, s, post } = await start({ pagerDutyEventsPerMinute: 3 });
      const { key } = await addIntegration(s, 'pagerduty');
      const other = await addIntegration(s, 'pagerduty');
      for (let i = 0; i < 3; i++) {
        const res = await post('/v2/enqueue', event(key, 'trigger', { dedup_key: `k${i}` }));
        expect(res.statusCode, res.body).toBe(202);
        t.clock.advance(1_000);
      }
      const throttled = await post('/v2/enqueue', event(key, 'trigger', { dedup_key: 'k3' }));
      expect(throttled.statusCode, throttled.body).toBe(429);
      const retryAfter = Number(throttled.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(throttled.headers['content-type']).toMatch(/^application\/json/);
      expect(throttled.json()).toEqual({
        status: 'throttle event',
        message: expect.stringMatching(/retry/i),
        errors: [expect.any(String)],
      });
      // Change events count against the same key.
      const change = await post('/v2/change/enqueue', event(key, 'change'));
      expect(change.statusCode, change.body).toBe(429);
      // Another key has its own budget.
      expect((await post('/v2/enqueue', event(other.key, 'trigger'))).statusCode).toBe(202);
      // The throttled event was not stored.
      expect((await alerts(s)).map((a) => a.fingerprint).sort()).toEqual(['k0', 'k1', 'k2', 'srv01/mysql']);

      t.clock.advance(retryAfter * 1000);
      const later = await post('/v2/enqueue', event(key, 'trigger', { dedup_key: 'k3' }));
      expect(later.statusCode, later.body).toBe(202);
    });

    it('shows a change event on the incidents of its service opened within 6 hours', async () => {
      const { t, s, post } = await start();
      const { key } = await addIntegration(s, 'pagerduty');
      const res = await post('/v2/change/enqueue', event(key, 'change'));
      expect(res.statusCode, res.body).toBe(202);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toMatchObject({ status: 'success', message: expect.any(String) });

      // A change on another service is not context for this one.
      const otherService = await s.admin('POST', '/api/v1/services', { name: 'search', teamId: s.teamId });
      expect(otherService.statusCode, otherService.body).toBe(201);
      const otherKey = (
        await s.admin('POST', `/api/v1/services/${otherService.json<{ id: string }>().id}/integrations`, {
          name: 'pd',
          kind: 'pagerduty',
        })
      ).json<{ key: string }>().key;
      const elsewhere = event(otherKey, 'change', {
        payload: { summary: 'Deploy of search', timestamp: '2026-11-23T19:31:00Z' },
      });
      expect((await post('/v2/change/enqueue', elsewhere)).statusCode).toBe(202);

      t.clock.advance(10 * 60_000);
      expect((await post('/v2/enqueue', event(key, 'trigger'))).statusCode).toBe(202);
      const [opened] = await incidents(s);
      const detail = await incident(s, opened!.id);
      expect(detail.changes).toEqual([
        {
          id: expect.any(String),
          summary: 'Build Success: Increase snapshot create timeout to 30 seconds',
          source: 'acme-build-pipeline-tool-default-i-9999',
          at: '2026-11-23T19:30:58.315Z',
          links: [{ href: 'https://acme.pagerduty.dev/build/2', text: 'View more details in Acme!' }],
        },
      ]);
      // A change without a summary is refused in PagerDuty's shape.
      const bad = await post('/v2/change/enqueue', event(key, 'change', { payload: { source: 'ci' } }));
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json()).toMatchObject({
        status: 'invalid event',
        errors: expect.arrayContaining([expect.stringMatching(/summary/)]),
      });
    });

    it('does not show a change made more than 6 hours before the incident opened', async () => {
      const { t, s, post } = await start();
      const { key } = await addIntegration(s, 'pagerduty');
      expect((await post('/v2/change/enqueue', event(key, 'change'))).statusCode).toBe(202);
      t.clock.set('2026-11-24T01:45:00.000Z'); // 6 h 14 min after the change
      expect((await post('/v2/enqueue', event(key, 'trigger'))).statusCode).toBe(202);
      const [opened] = await incidents(s);
      expect((await incident(s, opened!.id)).changes).toEqual([]);
    });
  });

  describe('generic webhook', () => {
    const mapping = {
      summary: '{{ payload.host }} is {{ payload.state }}',
      dedupKey: '/check_id',
      action: '/state',
      actionMap: { down: 'trigger', up: 'resolve' },
      severity: '/level',
      labels: { host: '/host' },
    };

    it("maps a payload with the integration's mapping: down opens, up resolves", async () => {
      const { t, s, post } = await start();
      const { id: integrationId, key } = await addIntegration(s, 'webhook', { config: { mapping } });
      const down = { check_id: 'chk-7', host: 'web-1', state: 'down', level: 'critical' };
      const res = await post(`/integrations/webhook/${key}`, down);
      expect(res.statusCode, res.body).toBe(202);
      expect(res.json()).toEqual({ status: 'success', alerts: 1 });
      let [alert] = await alerts(s);
      expect(alert).toMatchObject({
        fingerprint: 'chk-7',
        summary: 'web-1 is down',
        severity: 'critical',
        labels: { host: 'web-1' },
        source: 'webhook',
        integrationId,
        status: 'triggered',
      });
      const [opened] = await incidents(s);
      expect(opened).toMatchObject({ status: 'triggered', alertCount: 1 });

      t.clock.advance(60_000);
      const up = await post(`/integrations/webhook/${key}`, { ...down, state: 'up' });
      expect(up.statusCode, up.body).toBe(202);
      [alert] = await alerts(s);
      expect(alert).toMatchObject({ fingerprint: 'chk-7', status: 'resolved' });
      expect((await incident(s, opened!.id)).incident.status).toBe('resolved');

      // A state the mapping does not know is refused, naming it, rather than guessed.
      const odd = await post(`/integrations/webhook/${key}`, { ...down, check_id: 'chk-8', state: 'flaky' });
      expect(odd.statusCode, odd.body).toBe(400);
      expect(odd.headers['content-type']).toContain('application/problem+json');
      expect(odd.json<{ detail: string }>().detail).toContain('flaky');
      expect(await alerts(s)).toHaveLength(1);
    });

    it('accepts {summary, severity, dedup_key, action} when the integration has no mapping', async () => {
      const { t, s, post } = await start();
      const { key } = await addIntegration(s, 'webhook');
      const body = {
        summary: 'Disk full on db-1',
        severity: 'error',
        dedup_key: 'db-1/disk',
        action: 'trigger',
      };
      expect((await post(`/integrations/webhook/${key}`, body)).statusCode).toBe(202);
      t.clock.advance(1_000);
      expect((await post(`/integrations/webhook/${key}`, body)).statusCode).toBe(202);
      let [alert] = await alerts(s);
      expect(alert).toMatchObject({
        fingerprint: 'db-1/disk',
        summary: 'Disk full on db-1',
        severity: 'error',
        occurrences: 2,
        status: 'triggered',
      });
      t.clock.advance(1_000);
      const res = await post(`/integrations/webhook/${key}`, { ...body, action: 'resolve' });
      expect(res.statusCode, res.body).toBe(202);
      [alert] = await alerts(s);
      expect(alert).toMatchObject({ status: 'resolved' });
      // Another kind's key is not a webhook key.
      const pd = await addIntegration(s, 'pagerduty');
      expect((await post(`/integrations/webhook/${pd.key}`, body)).statusCode).toBe(404);
      expect((await post(`/integrations/webhook/${UNKNOWN_KEY}`, body)).statusCode).toBe(404);
    });

    describe('signed', () => {
      async function signed() {
        const ctx = await start();
        const { id, key } = await addIntegration(ctx.s, 'webhook');
        const url = `/integrations/webhook/${key}`;
        const newSecret = async () => {
          const res = await ctx.s.admin('POST', `/api/v1/integrations/${id}/signing-secret`);
          expect(res.statusCode, res.body).toBe(200);
          return res.json<{ signingSecret: string }>().signingSecret;
        };
        const now = () => Math.floor(ctx.t.clock.now() / 1000);
        /** Posts the exact bytes given with the signature header given (none when undefined). */
        const send = (raw: string, signature?: string) =>
          ctx.post(url, raw, signature === undefined ? {} : { 'x-siaga-signature': signature });
        return { ...ctx, url, newSecret, now, send };
      }
      const body = (n: number) =>
        JSON.stringify({ summary: `CPU high on web-${n}`, severity: 'warning', dedup_key: `cpu-${n}` });

      const refused = (res: Awaited<ReturnType<TestApp['app']['http']['inject']>>, why: RegExp) => {
        expect(res.statusCode, res.body).toBe(401);
        expect(res.headers['content-type']).toContain('application/problem+json');
        expect(res.json<{ detail: string }>().detail).toMatch(why);
      };

      it('accepts only requests signed over the exact bytes, with a current timestamp', async () => {
        const { s, t, newSecret, now, send } = await signed();
        // Before a secret exists, unsigned requests are accepted.
        expect((await send(body(0))).statusCode).toBe(202);
        const secret = await newSecret();

        refused(await send(body(1)), /x-siaga-signature/i);
        refused(await send(body(1), 'sha256=deadbeef'), /x-siaga-signature/i);
        const ok = await send(body(1), signWebhook(secret, now(), body(1)));
        expect(ok.statusCode, ok.body).toBe(202);

        // One byte changed after signing.
        const original = body(2);
        const tampered = original.replace('web-2', 'web-3');
        expect(tampered.length).toBe(original.length);
        refused(await send(tampered, signWebhook(secret, now(), original)), /signature/);
        // Whitespace a proxy might add is a change too.
        refused(await send(`${original} `, signWebhook(secret, now(), original)), /signature/);
        // Signed with a secret that is not the integration's.
        refused(await send(original, signWebhook('someone-else', now(), original)), /signature/);

        // Stale: signed 301 s ago (the window is 5 minutes), and from 301 s in the future.
        refused(await send(original, signWebhook(secret, now() - 301, original)), /window|timestamp/);
        refused(await send(original, signWebhook(secret, now() + 301, original)), /window|timestamp/);
        // 299 s old is still inside.
        t.clock.advance(500);
        expect((await send(original, signWebhook(secret, now() - 299, original))).statusCode).toBe(202);

        expect((await alerts(s)).map((a) => a.fingerprint).sort()).toEqual(['cpu-0', 'cpu-1', 'cpu-2']);
      });

      it('refuses a signed request replayed within the window, without a duplicate occurrence', async () => {
        const { s, t, newSecret, now, send } = await signed();
        const secret = await newSecret();
        const raw = body(1);
        const signature = signWebhook(secret, now(), raw);
        expect((await send(raw, signature)).statusCode).toBe(202);
        t.clock.advance(10_000);
        refused(await send(raw, signature), /replay|already/);
        t.clock.advance(200_000);
        refused(await send(raw, signature), /replay|already|window/);
        // Past the window the replay is stale.
        t.clock.advance(100_000);
        refused(await send(raw, signature), /window|timestamp|replay/);
        const list = await alerts(s);
        expect(list).toEqual([expect.objectContaining({ fingerprint: 'cpu-1', occurrences: 1 })]);
        // The same event signed anew is a new delivery.
        expect((await send(raw, signWebhook(secret, now(), raw))).statusCode).toBe(202);
        expect((await alerts(s))[0]).toMatchObject({ occurrences: 2 });
      });

      it('accepts both the old and the new secret during a rotation, and only the new one after clearing', async () => {
        const { s, newSecret, now, send } = await signed();
        const old = await newSecret();
        const fresh = await newSecret();
        expect(fresh).not.toBe(old);
        const a = await send(body(1), signWebhook(old, now(), body(1)));
        expect(a.statusCode, a.body).toBe(202);
        const b = await send(body(2), signWebhook(fresh, now(), body(2)));
        expect(b.statusCode, b.body).toBe(202);
        // A sender mid-switch may send both signatures.
        const both = `${signWebhook(old, now(), body(3))},v1=${signWebhook(fresh, now(), body(3)).split('v1=')[1]}`;
        expect((await send(body(3), both)).statusCode).toBe(202);

        const integrationId = (await alerts(s))[0]!.integrationId!;
        const cleared = await s.admin(
          'DELETE',
          `/api/v1/integrations/${integrationId}/signing-secret/previous`,
        );
        expect(cleared.statusCode, cleared.body).toBe(200);
        refused(await send(body(4), signWebhook(old, now(), body(4))), /signature/);
        expect((await send(body(5), signWebhook(fresh, now(), body(5)))).statusCode).toBe(202);
        expect((await alerts(s)).map((x) => x.fingerprint).sort()).toEqual([
          'cpu-1',
          'cpu-2',
          'cpu-3',
          'cpu-5',
        ]);
      });
    });
  });
});
