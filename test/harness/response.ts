import { DEFAULT_SETTINGS, type Settings } from '../../src/platform/settings.ts';
import type { TestApp } from './app.ts';
import { createTestApp } from './app.ts';
import { addIntegration, setupAlerting, type AlertingSetup } from './alerting.ts';
import { as, login, person } from './identity.ts';
import {
  startWebhookReceiver,
  type RecordedRequest,
  type WebhookReceiver,
} from './providers/webhook-receiver.ts';
import { TEST_SETTINGS } from './services.ts';

/** Test settings that let the server reach receivers on 127.0.0.1, with a short provider timeout. */
export function responseSettings(over: Partial<Settings['notify']> = {}): Settings {
  return {
    ...TEST_SETTINGS,
    notify: {
      ...DEFAULT_SETTINGS.notify,
      sendTimeoutMs: 1000,
      outbound: { allowPrivate: false, allow: ['127.0.0.1'] },
      ...over,
    },
  };
}

export interface Responder {
  readonly id: string;
  readonly name: string;
  readonly methodId: string;
  /** Where this person's webhook contact method points. */
  readonly path: string;
  readonly call: ReturnType<typeof as>;
}

export interface ResponseSetup extends AlertingSetup {
  readonly t: TestApp;
  readonly receiver: WebhookReceiver;
  readonly pdKey: string;
  /** A team responder with a verified webhook contact method (verified through the real code delivery). */
  responder(name: string): Promise<Responder>;
  /** Creates an escalation policy of the team and makes it the service's. */
  usePolicy(steps: unknown[], repeat?: number): Promise<string>;
  /** Triggers an alert through the PagerDuty Events API and runs everything that is due. */
  fire(dedupKey: string, summary?: string): Promise<void>;
  /** Runs due jobs and the dispatcher until nothing is due at the current (manual) time. */
  drain(): Promise<void>;
  /** Moves the manual clock and drains after each step of at most `stepMs`. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Messages the receiver got on a path, as parsed JSON. */
  received(
    path: string,
  ): { event: string; kind: string; id: string; subject: string; req: RecordedRequest }[];
  incidentId(): Promise<string>;
  timeline(incidentId: string): Promise<{ type: string; data: Record<string, unknown> }[]>;
}

export async function setupResponse(opts: { settings?: Settings } = {}): Promise<ResponseSetup> {
  const t = await createTestApp({ overrides: { settings: opts.settings ?? responseSettings() } });
  const s = await setupAlerting(t, { grouping: { mode: 'alert' } });
  const receiver = await startWebhookReceiver();
  const pd = await addIntegration(s, 'pagerduty');
  const drain = async () => {
    await t.app.runner.drainUntilIdle();
  };
  const received = (path: string) =>
    receiver.requests
      .filter((r) => r.path === path)
      .map((req) => {
        const j = req.json as { event: string; kind: string; id: string; subject: string };
        return { event: j.event, kind: j.kind, id: j.id, subject: j.subject, req };
      });
  const setup: ResponseSetup = {
    ...s,
    t,
    receiver,
    pdKey: pd.key,
    drain,
    received,
    async responder(name) {
      const p = await person(t, 'responder', { [s.teamId]: 'responder' }, name);
      const call = as(t, await login(t, p));
      const path = `/hook/${name}`;
      const created = await call('POST', '/api/v1/me/contact-methods', {
        kind: 'webhook',
        name: `${name}'s hook`,
        address: `${receiver.origin}${path}`,
      });
      if (created.statusCode !== 201)
        throw new Error(`contact method: ${created.statusCode} ${created.body}`);
      const methodId = created.json<{ id: string }>().id;
      await drain();
      const message = received(path).find((m) => m.kind === 'verification');
      const code = /(\d{6})/.exec(message?.subject ?? '')?.[1];
      if (!code) throw new Error(`no verification code reached ${path}`);
      const verified = await call('POST', `/api/v1/me/contact-methods/${methodId}/verify`, { code });
      if (verified.statusCode !== 200) throw new Error(`verify: ${verified.statusCode} ${verified.body}`);
      return { id: p.id, name, methodId, path, call };
    },
    async usePolicy(steps, repeat = 0) {
      const r = await s.admin('POST', '/api/v1/escalation-policies', {
        name: `policy ${Math.random().toString(36).slice(2, 8)}`,
        teamId: s.teamId,
        steps,
        repeat,
      });
      if (r.statusCode !== 201) throw new Error(`policy: ${r.statusCode} ${r.body}`);
      const id = r.json<{ id: string }>().id;
      const u = await s.admin('PATCH', `/api/v1/services/${s.serviceId}`, { escalationPolicyId: id });
      if (u.statusCode !== 200) throw new Error(`service: ${u.statusCode} ${u.body}`);
      return id;
    },
    async fire(dedupKey, summary = `alert ${dedupKey}`) {
      const r = await t.app.http.inject({
        method: 'POST',
        url: '/v2/enqueue',
        payload: {
          routing_key: pd.key,
          event_action: 'trigger',
          dedup_key: dedupKey,
          payload: { summary, source: 'test', severity: 'critical' },
        },
      });
      if (r.statusCode !== 202) throw new Error(`enqueue: ${r.statusCode} ${r.body}`);
      await drain();
    },
    async advance(ms, stepMs = 60_000) {
      let left = ms;
      while (left > 0) {
        const step = Math.min(stepMs, left);
        t.clock.advance(step);
        left -= step;
        await drain();
      }
    },
    async incidentId() {
      const row = await t.tdb.storage.db
        .selectFrom('incidents')
        .select('id')
        .orderBy('number', 'desc')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async timeline(incidentId) {
      const rows = await t.tdb.storage.db
        .selectFrom('timeline_events')
        .select(['type', 'data'])
        .where('incident_id', '=', incidentId)
        .orderBy('at')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ type: r.type, data: JSON.parse(r.data) as Record<string, unknown> }));
    },
  };
  const close = t.close.bind(t);
  (t as { close: () => Promise<void> }).close = async () => {
    await receiver.close();
    await close();
  };
  return setup;
}
