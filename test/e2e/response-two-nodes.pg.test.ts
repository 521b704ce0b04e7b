import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app/build-app.ts';
import { loadConfig } from '../../src/platform/config/index.ts';
import { responseSettings, setupResponse, type ResponseSetup } from '../harness/response.ts';
import { TEST_SECRETS } from '../harness/services.ts';

const MINUTE = 60_000;

/**
 * Two nodes on one PostgreSQL database, each with its own job runner and dispatcher, driven at the same time:
 * every escalation step pages each person exactly once (reliability R-ESC-1).
 */
describe('two nodes on one PostgreSQL', () => {
  let s: ResponseSetup | undefined;
  let other: App | undefined;
  afterEach(async () => {
    await other?.http.close();
    await s?.t.close();
    s = other = undefined;
  });

  it('20 incidents × a 3-step policy: each step pages each person once, whichever node runs it', async () => {
    s = await setupResponse();
    const x = s;
    const config = loadConfig({ env: { SIAGA_DATA_DIR: '/tmp/siaga-test-unused' }, cwd: '/' });
    other = await buildApp(config, x.t.tdb.storage, pino({ level: 'silent' }), {
      clock: x.t.clock,
      settings: responseSettings(),
      secrets: TEST_SECRETS,
      random: () => 0.5,
      workerId: 'node-b',
    });
    const nodeB = other;
    const [ana, bo, cy] = [await x.responder('ana'), await x.responder('bo'), await x.responder('cy')];
    await x.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: bo.id }], roundRobin: false },
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: cy.id }], roundRobin: false },
    ]);
    const both = () => Promise.all([x.t.app.runner.drainUntilIdle(), nodeB.runner.drainUntilIdle()]);
    for (let i = 0; i < 20; i++) {
      const r = await x.t.app.http.inject({
        method: 'POST',
        url: '/v2/enqueue',
        payload: {
          routing_key: x.pdKey,
          event_action: 'trigger',
          dedup_key: `two-nodes-${i}`,
          payload: { summary: `incident ${i}`, source: 'test', severity: 'critical' },
        },
      });
      expect(r.statusCode).toBe(202);
    }
    for (let minute = 0; minute <= 20; minute++) {
      await both();
      x.t.clock.advance(MINUTE);
    }
    await both();
    const pages = (path: string) => x.received(path).filter((m) => m.kind === 'page');
    expect([pages(ana.path).length, pages(bo.path).length, pages(cy.path).length]).toEqual([20, 20, 20]);
    // One message per delivery id: no delivery was sent by both nodes.
    const ids = [ana, bo, cy].flatMap((p) => pages(p.path).map((m) => m.id));
    expect(new Set(ids).size).toBe(60);
  });
});
