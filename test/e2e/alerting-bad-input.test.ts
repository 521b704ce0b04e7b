import type { Response as InjectResponse } from 'light-my-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { addIntegration, setupAlerting, type AlertingSetup } from '../harness/alerting.ts';
import { TEST_DIALECT } from '../harness/db.ts';

/**
 * A client's mistake is never a 5xx (Prometheus and Alertmanager retry a 5xx, and an operator reads it as our
 * outage): it is a 4xx in problem+json whose detail names what is wrong, and a 2xx only ever means committed.
 * One server for the whole file, so the last test can check that nothing any refused request sent was stored.
 */
describe(`bad input to the Alertmanager API and the senders (${TEST_DIALECT})`, () => {
  let t: TestApp;
  let s: AlertingSetup;
  let amKey: string;
  let pdKey: string;
  let webhookKey: string;

  beforeAll(async () => {
    t = await createTestApp();
    t.clock.set('2026-11-23T19:10:00.000Z');
    s = await setupAlerting(t);
    amKey = (await addIntegration(s, 'alertmanager')).key;
    pdKey = (await addIntegration(s, 'pagerduty')).key;
    webhookKey = (await addIntegration(s, 'webhook')).key;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** What Prometheus does: the exact bytes given (or JSON), with its integration key as a bearer token. */
  const send = (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<InjectResponse> =>
    t.app.http.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${amKey}`,
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });

  /** The answer is the given 4xx, in problem+json, and its detail says what was wrong. */
  function expectProblem(res: InjectResponse, status: number, detail: RegExp): void {
    expect(res.statusCode, res.body.slice(0, 500)).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json<{ status: number; detail?: string; code: string }>();
    expect(body.status).toBe(status);
    expect(body.detail ?? '').toMatch(detail);
  }

  const deeplyNested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  describe('POST /api/v2/alerts', () => {
    const cases: { name: string; body: unknown; status?: number; detail: RegExp; contentType?: string }[] = [
      { name: 'malformed JSON', body: '[{"labels": {"alertname": "A"', detail: /JSON/ },
      { name: 'an empty body', body: '', detail: /body|empty|array/i },
      { name: 'a label value that is a number', body: [{ labels: { a: 1 } }], detail: /labels\/a.*string/ },
      { name: 'labels that are a string', body: [{ labels: 'a=b' }], detail: /labels/ },
      {
        name: 'an annotation value that is an object',
        body: [{ labels: { a: 'b' }, annotations: { summary: { text: 'x' } } }],
        detail: /annotations\/summary/,
      },
      {
        name: 'startsAt that is a number',
        body: [{ labels: { a: 'b' }, startsAt: 1700000000 }],
        detail: /startsAt/,
      },
      { name: 'an empty label name', body: [{ labels: { '': 'x' } }], detail: /label name ""/ },
      { name: 'an invalid label name', body: [{ labels: { 'bad-name': 'x' } }], detail: /bad-name/ },
      { name: 'no label with a value', body: [{ labels: { a: '' } }], detail: /label/ },
      {
        name: 'endsAt before startsAt',
        body: [{ labels: { a: 'b' }, startsAt: '2026-11-23T10:00:00Z', endsAt: '2026-11-23T09:00:00Z' }],
        detail: /endsAt is before startsAt/,
      },
      {
        name: 'an unparseable startsAt',
        body: [{ labels: { a: 'b' }, startsAt: 'yesterday' }],
        detail: /startsAt.*yesterday/,
      },
      {
        name: 'an impossible endsAt',
        body: [{ labels: { a: 'b' }, endsAt: '2026-02-30T25:61:00Z' }],
        detail: /endsAt/,
      },
      { name: 'an object instead of an array', body: { labels: { a: 'b' } }, detail: /array/ },
      { name: 'a string instead of an array', body: '"alerts"', detail: /array/ },
      {
        name: '1,001 alerts',
        body: Array.from({ length: 1001 }, (_, i) => ({ labels: { alertname: 'Many', i: String(i) } })),
        detail: /1,?000/,
      },
      {
        name: 'a batch with one bad alert',
        body: [{ labels: { alertname: 'Good' } }, { labels: { 'bad name': 'x' } }],
        detail: /\/1\/labels/,
      },
      {
        name: 'a label value nested 100,000 deep',
        body: `[{"labels": {"alertname": "Deep", "a": ${deeplyNested(100_000)}}}]`,
        detail: /nested deeper than 64 levels/,
      },
      {
        name: 'an ignored field nested 100,000 deep',
        body: `[{"labels": {"alertname": "Deep"}, "extra": ${deeplyNested(100_000)}}]`,
        detail: /nest|deep|extra/i,
      },
      {
        name: 'text/plain',
        body: '[{"labels": {"alertname": "Plain"}}]',
        contentType: 'text/plain',
        status: 415,
        detail: /text\/plain|media type|content-type/i,
      },
      {
        name: 'a form',
        body: 'labels=a',
        contentType: 'application/x-www-form-urlencoded',
        status: 415,
        detail: /media type|content-type|x-www-form-urlencoded/i,
      },
    ];

    it.each(cases)('refuses $name', async ({ body, status, detail, contentType }) => {
      const res = await send('POST', '/api/v2/alerts', body, contentType);
      expectProblem(res, status ?? 400, detail);
      // Whatever it was, the server still answers.
      expect((await send('GET', '/api/v2/alerts')).statusCode).toBe(200);
    });

    it('answers 413 for a body over the server.bodyLimit, and keeps answering', async () => {
      const limit = t.app.config.server.bodyLimit;
      expect(limit).toBe(1024 ** 2); // the default (src/platform/config/keys.ts)
      const body = JSON.stringify([
        { labels: { alertname: 'Huge' }, annotations: { description: 'x'.repeat(limit + 1024) } },
      ]);
      expectProblem(await send('POST', '/api/v2/alerts', body), 413, /too large/i);
      expect((await send('GET', '/api/v2/alerts')).statusCode).toBe(200);
    });

    it('refuses an invalid regex in a filter, or in the receiver, with 400', async () => {
      const filter = encodeURIComponent('env=~"("');
      expectProblem(await send('GET', `/api/v2/alerts?filter=${filter}`), 400, /regular expression.*\(/);
      expectProblem(await send('GET', `/api/v2/alerts/groups?filter=${filter}`), 400, /regular expression/);
      expectProblem(
        await send('GET', `/api/v2/alerts?filter=${encodeURIComponent('{env="prod"')}`),
        400,
        /closing '}'/,
      );
      expectProblem(await send('GET', `/api/v2/alerts?receiver=${encodeURIComponent('(')}`), 400, /receiver/);
    });
  });

  describe('silences', () => {
    const future = (minutes: number) => new Date(t.clock.now() + minutes * 60_000).toISOString();
    const silence = (extra: Record<string, unknown> = {}) => ({
      matchers: [{ name: 'alertname', value: 'Deploy', isRegex: false }],
      startsAt: future(0),
      endsAt: future(60),
      createdBy: 'amtool',
      comment: 'maintenance',
      ...extra,
    });
    const postSilence = (body: unknown) => s.admin('POST', '/api/v2/silences', body);

    it('refuses a matcher that matches every alert', async () => {
      const res = await postSilence(silence({ matchers: [{ name: 'foo', value: '', isRegex: false }] }));
      expectProblem(res, 400, /match(es)? every alert/);
      const regex = await postSilence(silence({ matchers: [{ name: 'foo', value: '.*', isRegex: true }] }));
      expectProblem(regex, 400, /match(es)? every alert/);
    });

    it('refuses an invalid regex, naming it', async () => {
      const res = await postSilence(
        silence({ matchers: [{ name: 'instance', value: 'web-(', isRegex: true }] }),
      );
      expectProblem(res, 400, /regular expression|regex/);
      expect(res.json<{ errors: { pointer: string }[] }>().errors).toEqual([
        expect.objectContaining({ pointer: '/matchers/0' }),
      ]);
    });

    it('refuses an end in the past, or before the start', async () => {
      expectProblem(
        await postSilence(silence({ startsAt: future(-120), endsAt: future(-60) })),
        400,
        /endsAt/,
      );
      expectProblem(
        await postSilence(silence({ startsAt: future(120), endsAt: future(60) })),
        400,
        /endsAt must be after startsAt/,
      );
      expectProblem(await postSilence(silence({ startsAt: 'tomorrow' })), 400, /startsAt/);
    });

    it('answers 404 (not Alertmanager’s 500) for an unknown silence, on expire, update and read', async () => {
      for (const id of ['sil_01M84Z1DK0PX6DW9AWRXHWGJEK', '1b7c3c1e-0c5f-4c3f-9a4a-0f0e2b8a6d11']) {
        expectProblem(await s.admin('DELETE', `/api/v2/silence/${id}`), 404, new RegExp(`silence.*${id}`));
        expectProblem(await postSilence(silence({ id })), 404, new RegExp(`silence.*${id}`));
        expectProblem(await s.admin('GET', `/api/v2/silence/${id}`), 404, new RegExp(`silence.*${id}`));
      }
    });

    it('refuses text/plain with 415', async () => {
      const res = await t.app.http.inject({
        method: 'POST',
        url: '/api/v2/silences',
        headers: { cookie: s.session.cookie, 'x-csrf-token': s.session.csrf, 'content-type': 'text/plain' },
        payload: JSON.stringify(silence()),
      });
      expectProblem(res, 415, /text\/plain|media type|content-type/i);
    });
  });

  describe('senders', () => {
    const post = (url: string, raw: string) =>
      t.app.http.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: raw,
      });
    const deep = deeplyNested(100_000);

    it('refuses 100,000 nested arrays on the Alertmanager webhook with a 4xx', async () => {
      const raw = `{"version": "4", "alerts": [{"status": "firing", "labels": {"alertname": "Deep"}, "x": ${deep}}]}`;
      const res = await post(`/integrations/alertmanager/${amKey}`, raw);
      expectProblem(res, 400, /nest|deep|\/x/i);
    });

    it('refuses 100,000 nested arrays on the generic webhook with a 4xx', async () => {
      const res = await post(
        `/integrations/webhook/${webhookKey}`,
        `{"summary": "Deep", "details": ${deep}}`,
      );
      expectProblem(res, 400, /nest|deep|details/i);
    });

    it("refuses 100,000 nested arrays on PagerDuty's endpoint with PagerDuty's 400 body", async () => {
      const raw = `{"routing_key": "${pdKey}", "event_action": "trigger", "payload": {"summary": "Deep", "source": "x", "severity": "info", "custom_details": {"a": ${deep}}}}`;
      const res = await post('/v2/enqueue', raw);
      expect(res.statusCode, res.body.slice(0, 500)).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toMatchObject({ status: 'invalid event', errors: [expect.any(String)] });
    });
  });

  it('stored nothing from any refused request, and still takes a valid alert', async () => {
    const alerts = await s.admin('GET', '/api/v1/alerts?status=all');
    expect(alerts.statusCode, alerts.body).toBe(200);
    expect(alerts.json<{ items: unknown[] }>().items).toEqual([]);
    expect((await send('GET', '/api/v2/alerts')).json()).toEqual([]);
    const incidents = await s.admin('GET', '/api/v1/incidents?status=all');
    expect(incidents.json<{ items: unknown[] }>().items).toEqual([]);
    expect((await s.admin('GET', '/api/v2/silences')).json()).toEqual([]);

    const ok = await send('POST', '/api/v2/alerts', [{ labels: { alertname: 'Fine' } }]);
    expect(ok.statusCode, ok.body).toBe(200);
    const after = (await send('GET', '/api/v2/alerts')).json<{ labels: Record<string, string> }[]>();
    expect(after.map((a) => a.labels)).toEqual([{ alertname: 'Fine' }]);
  });
});
