import { afterEach, describe, expect, it } from 'vitest';
import { ingestAlertEvents, resolveExpiredAlerts } from '../../src/alerting/index.ts';
import type { AlertEvent } from '../../src/alerting/events.ts';
import type { EpochMs } from '../../src/platform/clock.ts';
import { systemActor } from '../../src/platform/context.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { setupAlerting } from '../harness/alerting.ts';
import { TEST_DIALECT } from '../harness/db.ts';

const MINUTE = 60_000;

type Listed = { id: string; summary: string; status: string; occurrences: number };
type Page = { items: Listed[]; nextCursor: string | null };

/**
 * Alerts end when their sender stops repeating them (Alertmanager's resolve timeout), found by the periodic sweep;
 * repeats write no indexed column (migration 0009), so these pin what the sweep, the list and the alert detail
 * still show.
 */
describe(`alert ends, repeats and the alert list (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function start() {
    t = await createTestApp();
    t.clock.set('2026-11-23T19:10:00.000Z');
    const s = await setupAlerting(t, { autoResolve: true });
    const integration = await s.integration('alertmanager');
    const { key } = integration;
    const prometheus = s.bearer(key);
    const sweep = () => resolveExpiredAlerts(t!.app.ctx(systemActor('alerting')));
    const iso = (ms: number) => new Date(ms).toISOString();
    /** What Prometheus sends for a firing alert: `endsAt` four evaluation intervals ahead. */
    const fire = async (instance: string, endsInMs: number) => {
      const res = await prometheus('POST', '/api/v2/alerts', [
        {
          labels: { alertname: 'HighLatency', instance },
          annotations: { summary: `latency on ${instance}` },
          endsAt: iso(t!.clock.now() + endsInMs),
        },
      ]);
      expect(res.statusCode, res.body).toBe(200);
    };
    const list = async (query: string): Promise<Page> => {
      const res = await s.admin('GET', `/api/v1/alerts?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Page>();
    };
    return { t, s, sweep, fire, list, integrationId: integration.id };
  }

  it('keeps an alert open while repeats push its end, and resolves it (and its incident) once they stop', async () => {
    const { t, s, sweep, fire, list } = await start();
    await fire('web-1', 4 * MINUTE);
    for (let i = 0; i < 6; i++) {
      t.clock.advance(MINUTE);
      await fire('web-1', 4 * MINUTE);
      expect(await sweep()).toBe(0);
    }
    // Past the first repeat's end, and the second's: still firing, as the last repeat said.
    const open = await list('status=open');
    expect(open.items).toMatchObject([{ summary: 'latency on web-1', status: 'triggered', occurrences: 7 }]);

    t.clock.advance(4 * MINUTE - 1);
    expect(await sweep()).toBe(0);
    t.clock.advance(1);
    expect(await sweep()).toBe(1);
    expect((await list('status=open')).items).toEqual([]);
    const incidents = (await s.admin('GET', '/api/v1/incidents?status=all')).json<{
      items: { status: string }[];
    }>();
    expect(incidents.items).toMatchObject([{ status: 'resolved' }]);
  });

  it('resolves at an end that a repeat brought forward, not at the later one it replaced', async () => {
    const { t, sweep, fire, list } = await start();
    await fire('web-1', 30 * MINUTE);
    t.clock.advance(MINUTE);
    await fire('web-1', 2 * MINUTE);
    t.clock.advance(2 * MINUTE);
    expect(await sweep()).toBe(1);
    expect((await list('status=resolved')).items).toMatchObject([{ summary: 'latency on web-1' }]);
  });

  it('gives an alert that first had no end one once a repeat brings it', async () => {
    const { t, s, sweep, list, integrationId } = await start();
    const ctx = t.app.ctx(systemActor('test'));
    const event = (endsAt: EpochMs | null): AlertEvent => ({
      action: 'trigger',
      fingerprint: 'no-end-then-end',
      summary: 'queue backlog',
      severity: 'warning',
      labels: { alertname: 'QueueBacklog' },
      annotations: {},
      startsAt: t.clock.now(),
      endsAt,
      raw: { endsAt },
    });
    const integration = { id: integrationId, serviceId: s.serviceId };
    await ingestAlertEvents(ctx, { source: 'api', integration, events: [event(null)] });
    t.clock.advance(60 * MINUTE);
    expect(await sweep()).toBe(0);
    await ingestAlertEvents(ctx, {
      source: 'api',
      integration,
      events: [event((t.clock.now() + 5 * MINUTE) as EpochMs)],
    });
    t.clock.advance(5 * MINUTE);
    expect(await sweep()).toBe(1);
    expect((await list('status=resolved')).items).toMatchObject([{ summary: 'queue backlog' }]);
  });

  it('keeps the payload that opened the alert while repeats refresh its labels and annotations', async () => {
    const { t, s, fire } = await start();
    await fire('web-1', 4 * MINUTE);
    const firstEnd = new Date(t.clock.now() + 4 * MINUTE).toISOString();
    t.clock.advance(MINUTE);
    await fire('web-1', 4 * MINUTE);
    const [item] = (await s.admin('GET', '/api/v1/alerts')).json<Page>().items;
    const detail = (await s.admin('GET', `/api/v1/alerts/${item!.id}`)).json<{
      occurrences: number;
      lastSeenAt: string;
      raw: { endsAt: string };
    }>();
    expect(detail.occurrences).toBe(2);
    expect(detail.lastSeenAt).toBe(new Date(t.clock.now()).toISOString());
    expect(detail.raw.endsAt).toBe(firstEnd);
  });

  it('lists open and resolved alerts together by last occurrence, page after page', async () => {
    const { t, sweep, fire, list } = await start();
    // web-0 … web-5 open a minute apart; the even ones end, then web-1 repeats and becomes the newest.
    for (let i = 0; i < 6; i++) {
      await fire(`web-${i}`, (i % 2 === 0 ? 2 : 60) * MINUTE);
      t.clock.advance(MINUTE);
    }
    t.clock.advance(2 * MINUTE);
    expect(await sweep()).toBe(3);
    await fire('web-1', 60 * MINUTE);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`status=all&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((a) => `${a.summary.slice(-5)} ${a.status}`));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([
      'web-1 triggered',
      'web-5 triggered',
      'web-4 resolved',
      'web-3 triggered',
      'web-2 resolved',
      'web-0 resolved',
    ]);
    expect((await list('status=triggered')).items.map((a) => a.summary)).toEqual([
      'latency on web-1',
      'latency on web-5',
      'latency on web-3',
    ]);
  });
});
