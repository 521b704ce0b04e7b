import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Type } from 'typebox';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness/app.ts';
import { TEST_DIALECT } from '../../test/harness/db.ts';
import { AppError } from '../platform/errors.ts';
import { MIGRATIONS } from '../storage/migrations/index.ts';
import { routeTable } from './plugins/route-table.ts';

const PROBLEM = 'application/problem+json; charset=utf-8';

describe(`HTTP edge (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** A test route with a strict body schema, registered the way real routes are. */
  async function withEchoRoute(): Promise<TestApp> {
    t = await createTestApp();
    t.app.http.post(
      '/api/v1/test/echo',
      {
        config: { access: 'public' },
        schema: {
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
          body: Type.Object(
            { name: Type.String({ minLength: 1 }), count: Type.Integer() },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              name: Type.String(),
              count: Type.Integer(),
              limit: Type.Optional(Type.Integer()),
            }),
          },
        },
      },
      async (req) => ({ ...(req.body as object), ...(req.query as object) }),
    );
    t.app.http.get(
      '/api/v1/test/conflict',
      { config: { access: 'public' }, schema: { response: { 200: Type.Object({}) } } },
      async () => {
        throw new AppError('conflict', 'incident is already resolved', { details: { incidentId: 'inc_1' } });
      },
    );
    t.app.http.get(
      '/api/v1/test/bug',
      { config: { access: 'public' }, schema: { response: { 200: Type.Object({}) } } },
      async () => {
        throw new Error('secret internal detail: password=hunter2');
      },
    );
    return t;
  }

  it('answers liveness and readiness', async () => {
    t = await createTestApp();
    const live = await t.app.http.inject({ url: '/healthz' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    const ready = await t.app.http.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      checks: { database: { status: 'ok' }, migrations: { status: 'ok' } },
    });
  });

  it('is not ready while migrations are pending, and says which', async () => {
    t = await createTestApp({ migrated: false });
    const ready = await t.app.http.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({
      status: 'not_ready',
      checks: {
        database: { status: 'ok' },
        migrations: {
          status: 'fail',
          detail: `pending migrations: ${MIGRATIONS.map((m) => m.id).join(', ')}`,
        },
      },
    });
  });

  it('is not ready when the database does not answer', async () => {
    t = await createTestApp();
    await t.app.storage.close();
    const ready = await t.app.http.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'not_ready', checks: { database: { status: 'fail' } } });
  });

  it("answers Alertmanager's probe paths, so probes written for an Alertmanager keep working", async () => {
    t = await createTestApp();
    const probe = async (url: string) => {
      const r = await t!.app.http.inject({ url });
      return { status: r.statusCode, body: r.body, type: r.headers['content-type'] };
    };
    expect(await probe('/-/healthy')).toEqual({ status: 200, body: 'OK', type: 'text/plain; charset=utf-8' });
    expect(await probe('/-/ready')).toEqual({ status: 200, body: 'OK', type: 'text/plain; charset=utf-8' });
    await t.app.storage.close();
    expect((await probe('/-/ready')).status).toBe(503);
    expect((await probe('/-/healthy')).status).toBe(200);
  });

  it('tells about the node: version, runtime, database dialect', async () => {
    t = await createTestApp();
    t.clock.advance(90_000);
    const about = (await t.app.http.inject({ url: '/api/v1/about' })).json();
    expect(about).toMatchObject({
      name: 'siaga',
      version: '0.1.0',
      node: process.version,
      database: { dialect: TEST_DIALECT },
      uptimeSeconds: 90,
    });
  });

  it('answers an unknown API route with a problem+json 404 that carries the request id', async () => {
    t = await createTestApp();
    const r = await t.app.http.inject({ url: '/api/v1/nope?x=1', headers: { 'x-request-id': 'trace-42' } });
    expect(r.statusCode).toBe(404);
    expect(r.headers['content-type']).toBe(PROBLEM);
    expect(r.headers['x-request-id']).toBe('trace-42');
    expect(r.json()).toEqual({
      type: 'https://siaga.dev/problems/not_found',
      title: 'Not Found',
      status: 404,
      detail: 'no route for GET /api/v1/nope',
      instance: '/api/v1/nope',
      code: 'not_found',
      requestId: 'trace-42',
    });
  });

  it('replaces a request id that is unsafe to log', async () => {
    t = await createTestApp();
    const r = await t.app.http.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'evil\nFAKE LOG LINE' },
    });
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('validates bodies strictly: unknown properties, wrong types and missing fields are 400s that point at the field', async () => {
    const app = (await withEchoRoute()).app.http;
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/test/echo?limit=5',
      payload: { name: 'a', count: 1 },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ name: 'a', count: 1, limit: 5 });

    const extra = await app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      payload: { name: 'a', count: 1, admin: true },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.headers['content-type']).toBe(PROBLEM);
    expect(extra.json()).toMatchObject({
      code: 'validation',
      errors: [{ pointer: '/body/admin', detail: 'is not a known property' }],
    });

    const coerced = await app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      payload: { name: 'a', count: '5' },
    });
    expect(coerced.statusCode).toBe(400);
    expect(coerced.json().errors).toEqual([{ pointer: '/body/count', detail: 'must be integer' }]);

    const missing = await app.inject({ method: 'POST', url: '/api/v1/test/echo', payload: { count: 1 } });
    expect(missing.json()).toMatchObject({ status: 400, detail: '/body/name: is required' });

    const badQuery = await app.inject({
      method: 'POST',
      url: '/api/v1/test/echo?limit=1000',
      payload: { name: 'a', count: 1 },
    });
    expect(badQuery.json().errors).toEqual([{ pointer: '/querystring/limit', detail: 'must be <= 100' }]);
  });

  it('answers malformed JSON, a wrong media type and an oversized body with clear 4xx problems', async () => {
    const app = (await withEchoRoute()).app.http;
    const broken = await app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toBe(PROBLEM);

    const xml = await app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toMatchObject({ code: 'unsupported_media_type' });

    const huge = await app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 1), count: 1 }),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('maps domain errors once, and never leaks the message of an unexpected one', async () => {
    const app = (await withEchoRoute()).app.http;
    const conflict = await app.inject({ url: '/api/v1/test/conflict' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toMatchObject({
      code: 'conflict',
      detail: 'incident is already resolved',
      incidentId: 'inc_1',
    });

    const bug = await app.inject({ url: '/api/v1/test/bug' });
    expect(bug.statusCode).toBe(500);
    expect(bug.json()).toMatchObject({ code: 'internal', title: 'Internal Server Error' });
    expect(bug.body).not.toContain('hunter2');
  });

  it('exposes Prometheus metrics with process, HTTP and job series', async () => {
    t = await createTestApp();
    await t.app.http.inject({ url: '/healthz' });
    const m = await t.app.http.inject({ url: '/metrics' });
    expect(m.statusCode).toBe(200);
    expect(m.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(m.body).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(m.body).toContain(
      'siaga_http_request_duration_seconds_count{method="GET",route="/healthz",status_code="200"} 1',
    );
    expect(m.body).toContain('siaga_jobs{state="queued"} 0');
  });

  it('publishes an OpenAPI 3.1 document generated from the route schemas, with a reference page', async () => {
    t = await createTestApp();
    const doc = (await t.app.http.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/about', '/healthz', '/metrics', '/readyz', '/api/v1/users/{id}']),
    );
    expect(doc.paths['/api/v1/users'].post.requestBody.content['application/json'].schema.required).toEqual([
      'email',
      'name',
      'role',
    ]);
    expect(doc.paths['/readyz'].get.responses['503']).toBeDefined();
    const page = await t.app.http.inject({ url: '/api/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('refuses to register an API route without schemas, and lists every route it has', async () => {
    t = await createTestApp();
    expect(() => t!.app.http.get('/api/v1/unschemed', async () => ({}))).toThrow(
      'route GET /api/v1/unschemed has no response schema',
    );
    expect(() =>
      t!.app.http.post(
        '/api/v1/nobody',
        { schema: { response: { 200: Type.Object({}) } } },
        async () => ({}),
      ),
    ).toThrow('route POST /api/v1/nobody has no body schema');
    expect(() =>
      t!.app.http.get(
        '/api/v1/undecided',
        { schema: { response: { 200: Type.Object({}) } } },
        async () => ({}),
      ),
    ).toThrow('route GET /api/v1/undecided does not say who may call it (config.access)');
    const api = routeTable(t.app.http)
      .filter((r) => !r.hidden)
      .map((r) => `${r.method} ${r.url}`);
    expect(api).toEqual(
      expect.arrayContaining([
        'GET /api/v1/about',
        'GET /healthz',
        'GET /metrics',
        'GET /readyz',
        'POST /api/v1/auth/login',
      ]),
    );
    // Which routes are public is reviewed, route by route, in test/e2e/identity-access.test.ts (DECISIONS).
  });
});

describe('web app serving', () => {
  let t: TestApp | undefined;
  let dist: string;
  afterEach(async () => {
    await t?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves the SPA shell for deep links and caches hashed assets for a year', async () => {
    dist = mkdtempSync(path.join(os.tmpdir(), 'siaga-dist-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Siaga</title><div id="root"></div>');
    writeFileSync(path.join(dist, 'assets', 'app-3f9a.js'), 'console.log(1)');
    t = await createTestApp({ overrides: { webDistDir: dist } });
    const http = t.app.http;

    const root = await http.inject({ url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.headers['content-security-policy']).toContain("script-src 'self'");
    expect(root.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(http.server.headersTimeout).toBe(20_000);
    expect(http.server.requestTimeout).toBe(30_000);
    expect(root.body).toContain('<title>Siaga</title>');
    expect(root.headers['cache-control']).toBe('no-cache');

    const deep = await http.inject({ url: '/detect/alerts', headers: { accept: 'text/html' } });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<div id="root">');

    const asset = await http.inject({ url: '/assets/app-3f9a.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    // API paths never fall back to the shell, even for a browser.
    const api = await http.inject({ url: '/api/v1/missing', headers: { accept: 'text/html' } });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toBe(PROBLEM);
  });

  it('says how to build the UI when it is missing', async () => {
    dist = mkdtempSync(path.join(os.tmpdir(), 'siaga-nodist-'));
    t = await createTestApp({ overrides: { webDistDir: dist } });
    const root = await t.app.http.inject({ url: '/' });
    expect(root.statusCode).toBe(503);
    expect(root.body).toContain('npm run build');
  });
});
