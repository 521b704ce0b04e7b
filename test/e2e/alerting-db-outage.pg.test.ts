import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/build-app.ts';
import { loadConfig } from '../../src/platform/config/index.ts';
import { openStorage } from '../../src/storage/index.ts';
import { setupAlerting } from '../harness/alerting.ts';
import type { TestApp } from '../harness/app.ts';
import { createTestDatabase } from '../harness/db.ts';
import { testServices } from '../harness/services.ts';
import { startTcpProxy, type TcpProxy } from '../harness/tcp-proxy.ts';

/** PostgreSQL goes away under a running server and comes back: senders get 503 (never a 2xx), then it recovers. */
describe('database outage (postgres)', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
    closers.length = 0;
  });

  it('answers 503 within 5 s while the database is unreachable and recovers without a restart', async () => {
    const tdb = await createTestDatabase();
    closers.push(() => tdb.drop());
    const direct = new URL((tdb.target as { url: string }).url);
    const proxy: TcpProxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    closers.push(() => proxy.close());
    const viaProxy = new URL(direct);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const storage = await openStorage({ dialect: 'postgres', url: viaProxy.toString(), poolSize: 4 });
    closers.push(() => storage.close());
    const s = testServices();
    const app = await buildApp(
      loadConfig({ env: { SIAGA_DATA_DIR: '/tmp/siaga-test-unused' }, cwd: '/' }),
      storage,
      pino({ level: 'silent' }),
      s,
    );
    closers.push(() => app.http.close());
    const t: TestApp = { app, tdb: { ...tdb, storage }, clock: s.clock, close: async () => {} };
    const setup = await setupAlerting(t);
    const { key } = await setup.integration('alertmanager');
    const send = setup.bearer(key);
    const alert = (id: string) => [{ labels: { alertname: 'Outage', id } }];

    expect((await send('POST', '/api/v2/alerts', alert('before'))).statusCode).toBe(200);

    await proxy.cut();
    const t0 = performance.now();
    const during = await send('POST', '/api/v2/alerts', alert('during'));
    const waited = performance.now() - t0;
    expect(during.statusCode).toBe(503);
    expect(during.headers['content-type']).toContain('application/problem+json');
    expect(during.headers['retry-after']).toBe('5');
    expect(waited).toBeLessThan(5_500);

    await proxy.restore();
    let after = await send('POST', '/api/v2/alerts', alert('after'));
    // The pool notices the broken connections on first use; a second attempt at most gets a fresh one.
    for (let i = 0; i < 3 && after.statusCode === 503; i++)
      after = await send('POST', '/api/v2/alerts', alert('after'));
    expect(after.statusCode).toBe(200);
    const ids = (await send('GET', '/api/v2/alerts'))
      .json<{ labels: { id: string } }[]>()
      .map((a) => a.labels.id)
      .sort();
    expect(ids).toEqual(['after', 'before']);
  });
});
