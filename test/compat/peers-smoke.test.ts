import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alwaysFiringRules,
  prometheusConfig,
  runAmtool,
  scrapeMetric,
  startAlertmanager,
  startPrometheus,
  stopAllPeers,
  waitFor,
  type PeerProcess,
} from './peers.ts';

/**
 * Proves the compatibility harness against the peers themselves, before any Siaga test relies on it: Prometheus
 * fires a rule at a real Alertmanager, and amtool sees the alert and silences it. If this fails, a failing Siaga
 * compatibility test says nothing about Siaga.
 */

const SILENCE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface ApiAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string; silencedBy: string[] };
}

describe('peer harness: Prometheus 2.42 → Alertmanager 0.25, amtool 0.25', () => {
  let am: PeerProcess;
  let prom: PeerProcess;

  beforeAll(async () => {
    am = await startAlertmanager();
    prom = await startPrometheus({
      config: prometheusConfig([{ url: am.url }]),
      rules: alwaysFiringRules('AlwaysFiring', { compat: 'smoke' }),
    });
  }, 60_000);

  afterAll(async () => {
    await stopAllPeers();
  });

  const queryJson = async (args: readonly string[]): Promise<ApiAlert[]> => {
    const r = await runAmtool(['-o', 'json', 'alert', 'query', ...args], { url: am.url });
    if (r.code !== 0) throw new Error(`amtool exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as ApiAlert[];
  };

  it('Prometheus delivers an always-firing rule to Alertmanager and amtool lists it', async () => {
    const [alert] = await waitFor(
      async () => {
        const alerts = await queryJson(['alertname=AlwaysFiring']);
        return alerts.length > 0 && alerts;
      },
      { timeoutMs: 20_000, intervalMs: 250, what: 'AlwaysFiring in Alertmanager' },
    );
    expect(alert?.labels).toEqual({ alertname: 'AlwaysFiring', severity: 'page', compat: 'smoke' });
    expect(alert?.annotations.summary).toBe('AlwaysFiring fires on every evaluation');
    expect(alert?.status.state).toBe('active');

    const simple = await runAmtool(['alert', 'query', 'AlwaysFiring'], { url: am.url });
    expect(simple.code).toBe(0);
    expect(simple.stdout).toMatch(/^Alertname\s+Starts At\s+Summary\s+State/);
    expect(simple.stdout).toMatch(/AlwaysFiring\s.*AlwaysFiring fires on every evaluation\s+active/);

    // Each side's counters agree that the notification path works.
    expect(await scrapeMetric(prom.url, 'prometheus_notifications_sent_total')).toBeGreaterThan(0);
    expect(await scrapeMetric(prom.url, 'prometheus_notifications_errors_total')).toBe(0);
    expect(
      await scrapeMetric(am.url, 'alertmanager_alerts_received_total', { status: 'firing' }),
    ).toBeGreaterThan(0);
    expect(await scrapeMetric(am.url, 'alertmanager_alerts_invalid_total')).toBe(0);
  }, 60_000);

  it('amtool adds a silence that hides the alert, then expires it', async () => {
    const add = await runAmtool(
      [
        'silence',
        'add',
        'alertname=AlwaysFiring',
        '--author=compat-smoke',
        '--comment=peer harness smoke test',
        '--duration=10m',
      ],
      { url: am.url },
    );
    expect(add.code, add.stderr).toBe(0);
    const id = add.stdout.trim();
    expect(id).toMatch(SILENCE_ID);

    const active = await runAmtool(['silence', 'query', '-q'], { url: am.url });
    expect(active.stdout.trim().split('\n')).toContain(id);
    const listed = await runAmtool(['silence', 'query'], { url: am.url });
    expect(listed.stdout).toMatch(/^ID\s+Matchers\s+Ends At\s+Created By\s+Comment/);
    expect(listed.stdout).toContain('alertname="AlwaysFiring"');
    expect(listed.stdout).toContain('compat-smoke');

    // amtool's alert query shows only unsilenced alerts unless asked (it sends silenced=false).
    await waitFor(async () => (await queryJson(['alertname=AlwaysFiring'])).length === 0, {
      what: 'the silenced alert to leave the default query',
    });
    const [silenced] = await queryJson(['--silenced', 'alertname=AlwaysFiring']);
    expect(silenced?.status.state).toBe('suppressed');
    expect(silenced?.status.silencedBy).toEqual([id]);

    const expire = await runAmtool(['silence', 'expire', id], { url: am.url });
    expect(expire.code, expire.stderr).toBe(0);
    expect(expire.stdout).toBe('');
    expect((await runAmtool(['silence', 'query', '-q'], { url: am.url })).stdout.trim()).toBe('');
    expect(
      (await runAmtool(['silence', 'query', '--expired', '-q'], { url: am.url })).stdout.trim().split('\n'),
    ).toContain(id);
    const [back] = await waitFor(
      async () => {
        const alerts = await queryJson(['alertname=AlwaysFiring']);
        return alerts.length > 0 && alerts;
      },
      { what: 'the alert to be active again after the silence expired' },
    );
    expect(back?.status.state).toBe('active');
  }, 60_000);

  it('runAmtool sends a bearer token on every request (what Siaga will require)', async () => {
    const seen: string[] = [];
    const proxy = await bearerProxy('compat-token', am.url, seen);
    try {
      const url = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
      const ok = await runAmtool(['-o', 'json', 'alert', 'query', 'AlwaysFiring'], {
        url,
        bearerToken: 'compat-token',
      });
      expect(ok.code, ok.stderr).toBe(0);
      expect(JSON.parse(ok.stdout)).toHaveLength(1);
      // The version check (GET /api/v2/status) and the query both carry the header.
      expect(seen).toEqual(['/api/v2/status Bearer compat-token', '/api/v2/alerts Bearer compat-token']);

      const refused = await runAmtool(['alert', 'query'], { url });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/401|unauthorized/i);
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  }, 60_000);
});

/** A loopback reverse proxy to `upstream` that answers 401 unless `Authorization: Bearer <token>` is sent. */
async function bearerProxy(token: string, upstream: string, seen: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    const auth = req.headers.authorization ?? '(none)';
    seen.push(`${(req.url ?? '').split('?')[0]} ${auth}`);
    if (auth !== `Bearer ${token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":401,"message":"unauthorized"}');
      return;
    }
    const out = request(
      new URL(req.url ?? '/', upstream),
      { method: req.method, headers: { ...req.headers, host: new URL(upstream).host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    out.once('error', () => res.writeHead(502).end());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
