import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { setupAlerting } from '../harness/alerting.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, login, person } from '../harness/identity.ts';

type Alert = {
  id: string;
  status: string;
  labels: Record<string, string>;
  incidentId: string | null;
  mutedBy: string | null;
};
type Incident = { id: string; status: string; openAlertCount: number };
type AmAlert = {
  fingerprint: string;
  labels: Record<string, string>;
  status: { state: string; silencedBy: string[]; inhibitedBy: string[] };
};
type Problem = { detail: string; errors?: { pointer: string; detail: string }[] };
type Window = { id: string; active: boolean; next: { startsAt: string; endsAt: string }[] };

const HOUR = 3_600_000;
const eq = (name: string, value: string) => ({ name, value, isRegex: false });

/** Silences, maintenance windows, inhibition and flap detection gate new incident openings, nothing else. */
describe(`noise reduction (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** Sunday 22 November 2026, 00:30 UTC = 01:30 in Berlin (CET, UTC+1). */
  async function start(at = '2026-11-22T00:30:00.000Z') {
    t = await createTestApp();
    t.clock.set(at);
    const s = await setupAlerting(t);
    const prometheus = s.bearer((await s.integration('alertmanager')).key);
    const app = t;
    /** Posts firing alerts (still firing for hours, as Prometheus keeps sending them) or, with `resolved`, ends them. */
    const send = async (labels: Record<string, string>, opts: { resolved?: boolean } = {}) => {
      const now = app.clock.now();
      const res = await prometheus('POST', '/api/v2/alerts', [
        {
          labels,
          annotations: { summary: labels.alertname },
          startsAt: new Date(now - 60_000).toISOString(),
          endsAt: new Date(opts.resolved ? now - 1000 : now + 4 * HOUR).toISOString(),
        },
      ]);
      expect(res.statusCode, res.body).toBe(200);
    };
    const alerts = async (status = 'all') =>
      (await s.admin('GET', `/api/v1/alerts?status=${status}&limit=500`)).json<{ items: Alert[] }>().items;
    const latest = async (alertname: string) =>
      (await alerts()).find((a) => a.labels.alertname === alertname)!;
    const incidents = async () =>
      (await s.admin('GET', '/api/v1/incidents?status=all')).json<{ items: Incident[] }>().items;
    const amAlerts = async (query = '') =>
      (await prometheus('GET', `/api/v2/alerts${query}`)).json<AmAlert[]>();
    return { t, s, send, alerts, latest, incidents, amAlerts };
  }

  describe('maintenance windows', () => {
    const weekly = {
      kind: 'weekly',
      days: ['sun'],
      start: '02:00',
      durationMinutes: 120,
      timeZone: 'Europe/Berlin',
    };

    it('mute new openings while active; older alerts still resolve; a repeat after the window opens the incident', async () => {
      const { t, s, send, latest, incidents } = await start();
      await send({ alertname: 'Before', instance: 'a' });
      const before = await latest('Before');
      expect(before.incidentId).not.toBeNull();

      const created = await s.admin('POST', '/api/v1/maintenance-windows', {
        name: 'Sunday patching',
        serviceId: s.serviceId,
        matchers: [],
        schedule: weekly,
      });
      expect(created.statusCode, created.body).toBe(201);
      const window = created.json<Window>();
      // 02:00-04:00 Berlin = 01:00-03:00 UTC, and weekly after that.
      expect(window.active).toBe(false);
      expect(window.next.slice(0, 2)).toEqual([
        { startsAt: '2026-11-22T01:00:00.000Z', endsAt: '2026-11-22T03:00:00.000Z' },
        { startsAt: '2026-11-29T01:00:00.000Z', endsAt: '2026-11-29T03:00:00.000Z' },
      ]);
      expect(window.next).toHaveLength(5);

      t.clock.set('2026-11-22T01:30:00.000Z');
      expect((await s.admin('GET', `/api/v1/maintenance-windows/${window.id}`)).json<Window>().active).toBe(
        true,
      );
      await send({ alertname: 'During', instance: 'b' });
      const during = await latest('During');
      expect(during).toMatchObject({
        status: 'triggered',
        mutedBy: `maintenance:${window.id}`,
        incidentId: null,
      });
      expect(await incidents()).toHaveLength(1);

      // The window gates only new openings: the alert opened before it resolves, and its incident with it.
      await send({ alertname: 'Before', instance: 'a' }, { resolved: true });
      expect(await latest('Before')).toMatchObject({ status: 'resolved' });
      expect((await incidents())[0]).toMatchObject({ id: before.incidentId, status: 'resolved' });

      // After the window, the next repeat of the still-firing muted alert opens its incident.
      t.clock.set('2026-11-22T03:00:00.000Z');
      expect((await s.admin('GET', `/api/v1/maintenance-windows/${window.id}`)).json<Window>().active).toBe(
        false,
      );
      await send({ alertname: 'During', instance: 'b' });
      const after = await latest('During');
      expect(after.id).toBe(during.id);
      expect(after.mutedBy).toBeNull();
      expect(after.incidentId).not.toBeNull();
      expect((await incidents()).find((i) => i.id === after.incidentId)).toMatchObject({
        status: 'triggered',
      });
    });

    it('mutes by labels across services, and is refused without a service or a matcher', async () => {
      const { s, send, latest } = await start('2026-11-22T01:30:00.000Z');
      const byLabels = await s.admin('POST', '/api/v1/maintenance-windows', {
        name: 'db-1 reboot',
        serviceId: null,
        matchers: [eq('instance', 'db-1')],
        schedule: {
          kind: 'once',
          startsAt: Date.parse('2026-11-22T01:00:00Z'),
          endsAt: Date.parse('2026-11-22T02:00:00Z'),
        },
      });
      expect(byLabels.statusCode, byLabels.body).toBe(201);
      const id = byLabels.json<Window>().id;
      await send({ alertname: 'Down', instance: 'db-1' });
      await send({ alertname: 'Down', instance: 'db-2' });
      const all = (await s.admin('GET', '/api/v1/alerts')).json<{ items: Alert[] }>().items;
      expect(all.find((a) => a.labels.instance === 'db-1')).toMatchObject({
        mutedBy: `maintenance:${id}`,
        incidentId: null,
      });
      expect(all.find((a) => a.labels.instance === 'db-2')!.incidentId).not.toBeNull();
      expect((await latest('Down')).status).toBe('triggered');

      const cases: [Record<string, unknown>, string][] = [
        [{ name: 'all', serviceId: null, matchers: [], schedule: weekly }, '/matchers'],
        [
          {
            name: 'all',
            serviceId: null,
            matchers: [{ name: 'x', value: '.*', isRegex: true }],
            schedule: weekly,
          },
          '/matchers',
        ],
        [
          {
            name: 'tz',
            serviceId: s.serviceId,
            matchers: [],
            schedule: { ...weekly, timeZone: 'Mars/Olympus' },
          },
          '/schedule/timeZone',
        ],
        [
          { name: 'tz', serviceId: s.serviceId, matchers: [], schedule: { ...weekly, timeZone: '+01:00' } },
          '/schedule/timeZone',
        ],
        [
          { name: 'day', serviceId: s.serviceId, matchers: [], schedule: { ...weekly, days: ['sunday'] } },
          '/schedule/days/0',
        ],
        [
          {
            name: 'past',
            serviceId: s.serviceId,
            matchers: [],
            schedule: { kind: 'once', startsAt: 0, endsAt: 1000 },
          },
          '/schedule/endsAt',
        ],
        [
          {
            name: 're',
            serviceId: s.serviceId,
            matchers: [{ name: 'x', value: '(', isRegex: true }],
            schedule: weekly,
          },
          '/matchers/0',
        ],
        [
          { name: 'svc', serviceId: 'svc_0000000000NOTASERVICE000', matchers: [], schedule: weekly },
          '/serviceId',
        ],
      ];
      for (const [body, pointer] of cases) {
        const res = await s.admin('POST', '/api/v1/maintenance-windows', body);
        expect(`${res.statusCode} ${JSON.stringify(body)}`).toBe(`400 ${JSON.stringify(body)}`);
        expect(res.json<Problem>().errors?.map((e) => e.pointer)).toContain(pointer);
      }
    });

    it('lets a team’s responders manage their service’s windows, and only global responders label-only ones', async () => {
      const { t, s } = await start();
      const teamResponder = as(t, await login(t, await person(t, 'observer', { [s.teamId]: 'responder' })));
      const body = { name: 'mine', serviceId: s.serviceId, matchers: [], schedule: weekly };
      const own = await teamResponder('POST', '/api/v1/maintenance-windows', body);
      expect(own.statusCode, own.body).toBe(201);
      const id = own.json<Window>().id;
      const global = await teamResponder('POST', '/api/v1/maintenance-windows', {
        ...body,
        serviceId: null,
        matchers: [eq('instance', 'x')],
      });
      expect(global.statusCode).toBe(403);
      expect(
        (await teamResponder('PATCH', `/api/v1/maintenance-windows/${id}`, { name: 'renamed' })).statusCode,
      ).toBe(200);
      // Moving it off the service needs the global role too.
      expect(
        (
          await teamResponder('PATCH', `/api/v1/maintenance-windows/${id}`, {
            serviceId: null,
            matchers: [eq('a', 'b')],
          })
        ).statusCode,
      ).toBe(403);

      // Outsiders do not see the team's window at all; a team observer sees it but may not change it.
      const outsider = as(t, await login(t, await person(t, 'responder')));
      expect((await outsider('GET', `/api/v1/maintenance-windows/${id}`)).statusCode).toBe(404);
      expect((await outsider('DELETE', `/api/v1/maintenance-windows/${id}`)).statusCode).toBe(404);
      expect((await outsider('GET', '/api/v1/maintenance-windows')).json()).toEqual([]);
      const teamObserver = as(t, await login(t, await person(t, 'observer', { [s.teamId]: 'observer' })));
      expect(
        (await teamObserver('GET', '/api/v1/maintenance-windows')).json<Window[]>().map((w) => w.id),
      ).toEqual([id]);
      expect((await teamObserver('DELETE', `/api/v1/maintenance-windows/${id}`)).statusCode).toBe(403);

      expect((await teamResponder('DELETE', `/api/v1/maintenance-windows/${id}`)).statusCode).toBe(204);
      const audit = (await s.admin('GET', '/api/v1/audit')).json<{ action: string }[]>().map((e) => e.action);
      expect(audit).toEqual(
        expect.arrayContaining(['maintenance.created', 'maintenance.updated', 'maintenance.deleted']),
      );
    });
  });

  describe('inhibition rules', () => {
    it('keep a warning quiet while a critical NodeDown fires on the same instance', async () => {
      const { t, s, send, amAlerts } = await start();
      const created = await s.admin('POST', '/api/v1/inhibition-rules', {
        name: 'node down hides its warnings',
        sourceMatchers: [eq('severity', 'critical'), eq('alertname', 'NodeDown')],
        targetMatchers: [eq('severity', 'warning')],
        equal: ['instance'],
      });
      expect(created.statusCode, created.body).toBe(201);
      const rule = created.json<{ id: string }>();

      await send({ alertname: 'NodeDown', severity: 'critical', instance: 'n1' });
      await send({ alertname: 'HighLoad', severity: 'warning', instance: 'n1' });
      await send({ alertname: 'HighLoad', severity: 'warning', instance: 'n2' });
      const all = (await s.admin('GET', '/api/v1/alerts')).json<{ items: Alert[] }>().items;
      const load = (instance: string) =>
        all.find((a) => a.labels.alertname === 'HighLoad' && a.labels.instance === instance)!;
      expect(load('n1')).toMatchObject({ mutedBy: `inhibited:${rule.id}`, incidentId: null });
      expect(load('n2')).toMatchObject({ mutedBy: null, incidentId: expect.any(String) });

      const am = await amAlerts();
      const source = am.find((a) => a.labels.alertname === 'NodeDown')!;
      const amLoad = (instance: string) =>
        am.find((a) => a.labels.alertname === 'HighLoad' && a.labels.instance === instance)!;
      expect(amLoad('n1').status).toEqual({
        state: 'suppressed',
        silencedBy: [],
        inhibitedBy: [source.fingerprint],
      });
      expect(amLoad('n2').status).toEqual({ state: 'active', silencedBy: [], inhibitedBy: [] });
      const shown = (await amAlerts('?inhibited=false')).map(
        (a) => `${a.labels.alertname}/${a.labels.instance}`,
      );
      expect(shown.sort()).toEqual(['HighLoad/n2', 'NodeDown/n1']);

      // The dry run says the same about a new alert.
      const dry = await s.admin('POST', '/api/v1/routes/dry-run', {
        labels: { alertname: 'DiskSlow', severity: 'warning', instance: 'n1' },
      });
      expect(dry.json()).toMatchObject({ unrouted: true, suppressedBy: `inhibited:${rule.id}` });

      // Once the source resolves, the next repeat of the inhibited alert opens its incident.
      t.clock.advance(60_000);
      await send({ alertname: 'NodeDown', severity: 'critical', instance: 'n1' }, { resolved: true });
      await send({ alertname: 'HighLoad', severity: 'warning', instance: 'n1' });
      const freed = (await s.admin('GET', '/api/v1/alerts')).json<{ items: Alert[] }>().items;
      expect(freed.find((a) => a.labels.instance === 'n1')).toMatchObject({
        mutedBy: null,
        incidentId: expect.any(String),
      });

      // Validation, and who may change rules.
      const bad = await s.admin('POST', '/api/v1/inhibition-rules', {
        name: 'bad',
        sourceMatchers: [],
        targetMatchers: [{ name: 'x', value: '(', isRegex: true }],
        equal: ['in-stance'],
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<Problem>().errors?.map((e) => e.pointer)).toEqual([
        '/sourceMatchers',
        '/targetMatchers/0',
        '/equal/0',
      ]);
      const teamAdmin = as(t, await login(t, await person(t, 'observer', { [s.teamId]: 'admin' })));
      expect((await teamAdmin('DELETE', `/api/v1/inhibition-rules/${rule.id}`)).statusCode).toBe(403);
      expect((await teamAdmin('GET', '/api/v1/inhibition-rules')).json()).toHaveLength(1);
      const patched = await s.admin('PATCH', `/api/v1/inhibition-rules/${rule.id}`, {
        equal: ['instance', 'cluster'],
      });
      expect(patched.json()).toMatchObject({ equal: ['instance', 'cluster'], declared: false });
      expect((await s.admin('DELETE', `/api/v1/inhibition-rules/${rule.id}`)).statusCode).toBe(204);
      expect((await s.admin('GET', `/api/v1/inhibition-rules/${rule.id}`)).statusCode).toBe(404);
    });

    /**
     * An alert past its endsAt is resolved for Alertmanager (`Resolved()`), and resolved alerts inhibit nothing,
     * even before a resolve or the sweep has marked the row. (Failed against noise/snapshot.ts at HEAD, which took
     * every row not yet `resolved` as a firing source.)
     */
    it('does not let a source past its endsAt inhibit a new alert', async () => {
      const { t, s, send } = await start();
      const created = await s.admin('POST', '/api/v1/inhibition-rules', {
        name: 'node down hides its warnings',
        sourceMatchers: [eq('alertname', 'NodeDown')],
        targetMatchers: [eq('severity', 'warning')],
        equal: ['instance'],
      });
      expect(created.statusCode, created.body).toBe(201);
      // Prometheus stopped sending it (it would have sent a resolve; say that got lost): it ends at its endsAt.
      await send({ alertname: 'NodeDown', severity: 'critical', instance: 'n1' });
      t.clock.advance(5 * HOUR);
      await send({ alertname: 'HighLoad', severity: 'warning', instance: 'n1' });
      const all = (await s.admin('GET', '/api/v1/alerts')).json<{ items: Alert[] }>().items;
      expect(all.find((a) => a.labels.alertname === 'HighLoad')).toMatchObject({
        mutedBy: null,
        incidentId: expect.any(String),
      });
    });

    it('refuses to change rules declared in the config file', async () => {
      const { t, s } = await start();
      const now = t.clock.now();
      await t.tdb.storage.db
        .insertInto('inhibition_rules')
        .values({
          id: 'inh_01DECLARED00000000000000000',
          name: 'from the file',
          source_matchers: JSON.stringify([
            { name: 'severity', value: 'critical', isRegex: false, isEqual: true },
          ]),
          target_matchers: JSON.stringify([
            { name: 'severity', value: 'warning', isRegex: false, isEqual: true },
          ]),
          equal: '[]',
          declared: true,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const res = await s.admin('PATCH', '/api/v1/inhibition-rules/inh_01DECLARED00000000000000000', {
        name: 'x',
      });
      expect(res.statusCode).toBe(409);
      expect(res.json<Problem>().detail).toContain('declared in the config file');
      expect(
        (await s.admin('DELETE', '/api/v1/inhibition-rules/inh_01DECLARED00000000000000000')).statusCode,
      ).toBe(409);
    });
  });

  it('silences gate new openings: suppressed in the Alertmanager view, and a repeat after expiry opens the incident', async () => {
    const { t, s, send, latest, incidents, amAlerts } = await start();
    const created = await s.admin('POST', '/api/v2/silences', {
      matchers: [eq('alertname', 'Noisy')],
      startsAt: new Date(t.clock.now()).toISOString(),
      endsAt: new Date(t.clock.now() + HOUR).toISOString(),
      createdBy: 'ops',
      comment: 'known noise',
    });
    expect(created.statusCode, created.body).toBe(200);
    const { silenceID } = created.json<{ silenceID: string }>();

    await send({ alertname: 'Noisy', instance: 'a' });
    await send({ alertname: 'Calm', instance: 'a' });
    const noisy = await latest('Noisy');
    expect(noisy).toMatchObject({ mutedBy: `silence:${silenceID}`, incidentId: null });
    expect(await incidents()).toHaveLength(1);
    const am = await amAlerts();
    expect(am.find((a) => a.labels.alertname === 'Noisy')!.status).toEqual({
      state: 'suppressed',
      silencedBy: [silenceID],
      inhibitedBy: [],
    });
    expect((await amAlerts('?silenced=false')).map((a) => a.labels.alertname)).toEqual(['Calm']);

    expect((await s.admin('DELETE', `/api/v2/silence/${silenceID}`)).statusCode).toBe(200);
    t.clock.advance(60_000);
    await send({ alertname: 'Noisy', instance: 'a' });
    const after = await latest('Noisy');
    expect(after.id).toBe(noisy.id);
    expect(after).toMatchObject({ mutedBy: null, incidentId: expect.any(String) });
    expect(await incidents()).toHaveLength(2);
  });

  it('holds back the sixth opening of an alert within 30 minutes as flapping', async () => {
    const { t, send, alerts, incidents } = await start();
    for (let i = 1; i <= 6; i++) {
      await send({ alertname: 'Flappy', instance: 'a' });
      if (i < 6) {
        t.clock.advance(2 * 60_000);
        await send({ alertname: 'Flappy', instance: 'a' }, { resolved: true });
        t.clock.advance(2 * 60_000);
      }
    }
    const history = await alerts();
    expect(history).toHaveLength(6);
    const [sixth, ...earlier] = history;
    expect(sixth).toMatchObject({ status: 'triggered', mutedBy: 'flapping', incidentId: null });
    expect(earlier.every((a) => a.status === 'resolved' && a.incidentId !== null && a.mutedBy === null)).toBe(
      true,
    );
    const all = await incidents();
    expect(all).toHaveLength(5);
    expect(all.every((i) => i.status === 'resolved')).toBe(true);
  });

  /**
   * Flap detection holds an alert back only until it is stable again (noise/flapping.ts): one that keeps firing
   * gets its incident once its openings within the window fall back to the limit. (Failed against apply.ts at
   * HEAD, which never looked at a flapping alert again.)
   */
  it('opens the incident of a flapping alert that keeps firing once it is stable again', async () => {
    const { t, send, latest, incidents } = await start();
    for (let i = 1; i <= 6; i++) {
      await send({ alertname: 'Flappy', instance: 'a' });
      if (i < 6) {
        t.clock.advance(2 * 60_000);
        await send({ alertname: 'Flappy', instance: 'a' }, { resolved: true });
        t.clock.advance(2 * 60_000);
      }
    }
    const muted = await latest('Flappy');
    expect(muted.mutedBy).toBe('flapping');
    // It keeps firing, repeated every 5 minutes; 30 minutes after its last opening no other opening is in the window.
    for (let minutes = 5; minutes <= 35; minutes += 5) {
      t.clock.advance(5 * 60_000);
      await send({ alertname: 'Flappy', instance: 'a' });
    }
    const stable = await latest('Flappy');
    expect(stable.id).toBe(muted.id);
    expect(stable).toMatchObject({ mutedBy: null, incidentId: expect.any(String) });
    expect((await incidents()).filter((i) => i.status === 'triggered')).toHaveLength(1);
  });
});
