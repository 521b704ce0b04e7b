import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeNtfy, type FakeNtfy } from '../../../test/harness/providers/ntfy.ts';
import {
  ACK_URL,
  bundleSummary,
  destination,
  HOSTILE,
  hostilePage,
  INCIDENT,
  RESOLVE_URL,
  resolvedUpdate,
  sendContext,
  triggeredPage,
} from '../../../test/harness/providers/sample-messages.ts';
import type { Notifier } from './notifier.ts';
import { checkNtfyDestination, createNtfyNotifier, ntfyTarget } from './ntfy.ts';

interface Body {
  topic: string;
  title: string;
  message: string;
  priority: number;
  tags: string[];
  click?: string;
  actions?: { action: string; label: string; url: string; clear: boolean }[];
  sequence_id?: string;
  markdown?: boolean;
}

let fake: FakeNtfy;
let notifier: Notifier;
const topic = (address = 'siaga-oncall-ana') => destination('ntfy', { address });

beforeEach(async () => {
  fake = await startFakeNtfy();
  notifier = createNtfyNotifier({ defaultServer: fake.baseUrl });
});
afterEach(async () => {
  await fake.close();
});

describe('ntfy publish', () => {
  it('publishes JSON to the server root with title, priority 5, click and view actions; records the id', async () => {
    const outcome = await notifier.send(triggeredPage(), topic(), sendContext());

    expect(outcome).toEqual({ status: 'sent', providerMessageId: 'fakeMsg00001', statusCode: 200 });
    const req = fake.last();
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/');
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(req.headers.authorization).toBeUndefined();
    const body = req.json as Body;
    expect(body).toMatchObject({
      topic: 'siaga-oncall-ana',
      title: '[critical] Checkout latency above 2s (checkout-api)',
      priority: 5,
      tags: ['rotating_light', 'critical'],
      click: INCIDENT.url,
      sequence_id: 'dlv_01JFAKE0000000000000000001',
    });
    expect(body.message).toContain('#42 · Service: checkout-api · Severity: critical');
    expect(body.actions).toEqual([
      { action: 'view', label: 'Acknowledge', url: ACK_URL, clear: true },
      { action: 'view', label: 'Resolve', url: RESOLVE_URL, clear: true },
    ]);
    expect(fake.published[0]).toMatchObject({ topic: 'siaga-oncall-ana', priority: 5 });
  });

  it('uses the default priority for low urgency and for updates, and drops the actions once resolved', async () => {
    const low = triggeredPage({ incident: { ...INCIDENT, urgency: 'low' } });
    await notifier.send(low, topic(), sendContext());
    expect((fake.last().json as Body).priority).toBe(3);

    await notifier.send(resolvedUpdate(), topic(), sendContext());
    const body = fake.last().json as Body;
    expect(body.priority).toBe(3);
    expect(body.actions).toBeUndefined();
    expect(body.tags).toContain('white_check_mark');
    expect(body.click).toBe(INCIDENT.url);
  });

  it('sends alert text as plain text, unchanged and without markdown', async () => {
    await notifier.send(hostilePage(), topic(), sendContext());
    const body = fake.last().json as Body;
    expect(body.markdown).toBeUndefined();
    expect(body.title).toBe(`[critical] ${HOSTILE}`);
    expect(body.message).toContain(HOSTILE);
    expect(body.actions?.every((a) => a.url.startsWith('https://siaga.example.com/'))).toBe(true);
  });

  it('sends the operator token to the default server only; a destination token goes to its own server', async () => {
    fake.protectedTopics.set('private-topic', 'tk_operator');
    const withToken = createNtfyNotifier({ defaultServer: fake.baseUrl, token: 'tk_operator' });
    expect(await withToken.send(triggeredPage(), topic('private-topic'), sendContext())).toMatchObject({
      status: 'sent',
    });
    expect(fake.last().headers.authorization).toBe('Bearer tk_operator');

    const other = await startFakeNtfy();
    try {
      const elsewhere = topic(`${other.baseUrl}/someone-elses-topic`);
      await withToken.send(triggeredPage(), elsewhere, sendContext());
      expect(other.last().headers.authorization).toBeUndefined();
      expect((other.last().json as Body).topic).toBe('someone-elses-topic');

      const own = destination('ntfy', { address: `${other.baseUrl}/mine`, secrets: { token: 'tk_mine' } });
      await withToken.send(triggeredPage(), own, sendContext());
      expect(other.last().headers.authorization).toBe('Bearer tk_mine');
    } finally {
      await other.close();
    }
  });

  it('classifies failures: 429 and 5xx temporary, a forbidden topic permanent', async () => {
    fake.rateLimit();
    expect(await notifier.send(triggeredPage(), topic(), sendContext())).toMatchObject({
      status: 'failed_temporary',
      statusCode: 429,
    });

    fake.reply({
      status: 429,
      headers: { 'retry-after': '20' },
      body: { code: 42901, http: 429, error: 'limit' },
    });
    expect(await notifier.send(triggeredPage(), topic(), sendContext())).toMatchObject({
      status: 'failed_temporary',
      retryAfterMs: 20_000,
    });

    fake.reply({ status: 500, body: { code: 50001, http: 500, error: 'internal server error' } });
    expect(await notifier.send(triggeredPage(), topic(), sendContext())).toMatchObject({
      status: 'failed_temporary',
    });

    fake.protectedTopics.set('private-topic', 'tk_operator');
    expect(await notifier.send(triggeredPage(), topic('private-topic'), sendContext())).toMatchObject({
      status: 'failed_permanent',
      statusCode: 403,
    });
  });

  it('lists the incidents of a bundled summary in the message', async () => {
    await notifier.send(bundleSummary(), topic(), sendContext());
    const body = fake.last().json as Body;
    expect(body.title).toBe('12 incidents need attention');
    expect(body.message).toContain('• #43 [warning] Disk almost full on db-43 (checkout-api)');
    expect(body.message).toContain('… and 9 more');
    expect(body.priority).toBe(5);
  });

  it('reads a bare topic or a topic URL, and checks addresses without calling the server', () => {
    expect(ntfyTarget('alerts', 'https://ntfy.sh')).toEqual({ server: 'https://ntfy.sh', topic: 'alerts' });
    expect(ntfyTarget('https://ntfy.example.com/team_a/', 'https://ntfy.sh')).toEqual({
      server: 'https://ntfy.example.com',
      topic: 'team_a',
    });
    expect(checkNtfyDestination(topic('alerts'))).toEqual([]);
    expect(checkNtfyDestination(topic('https://ntfy.example.com/alerts'))).toEqual([]);
    expect(checkNtfyDestination(topic('has spaces'))).toHaveLength(1);
    expect(checkNtfyDestination(topic('ftp://ntfy.example.com/alerts'))).toHaveLength(1);
    expect(checkNtfyDestination(topic(''))).toEqual([
      { pointer: '/address', detail: 'the ntfy topic is required' },
    ]);
    expect(
      checkNtfyDestination(destination('ntfy', { address: 'alerts', secrets: { token: 'tk bad' } })),
    ).toEqual([{ pointer: '/secrets/token', detail: expect.any(String) as string }]);
  });
});
