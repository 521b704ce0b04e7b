import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { setupAlerting } from '../harness/alerting.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, login, person } from '../harness/identity.ts';

type Alert = {
  serviceId: string | null;
  severity: string;
  labels: Record<string, string>;
  incidentId: string | null;
  mutedBy: string | null;
};
type Route = { id: string; name: string; position: number; isDefault: boolean; declared: boolean };
type Problem = { detail: string; errors?: { pointer: string; detail: string }[] };
type DryRun = {
  targets: { ruleName: string; serviceName: string | null; setSeverity: string | null }[];
  steps: { name: string; outcome: string; reason: string }[];
  unrouted: boolean;
  suppressedBy: string | null;
};

const alert = (labels: Record<string, string>) => ({ labels, annotations: { summary: labels.alertname } });
const eq = (name: string, value: string) => ({ name, value, isRegex: false });

/** Routing rules decide which service takes an Alertmanager API alert; the dry run explains the decision. */
describe(`routing rules (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function start() {
    t = await createTestApp();
    t.clock.set('2026-11-23T10:00:00.000Z');
    const s = await setupAlerting(t);
    const db = await s.admin('POST', '/api/v1/services', { name: 'db', teamId: s.teamId });
    expect(db.statusCode, db.body).toBe(201);
    const dbId = db.json<{ id: string }>().id;
    const route = async (body: Record<string, unknown>) => {
      const res = await s.admin('POST', '/api/v1/routes', body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json<Route>();
    };
    const alerts = async () =>
      (await s.admin('GET', '/api/v1/alerts?limit=500')).json<{ items: Alert[] }>().items;
    /** alertname → the services that got it (null: unrouted), sorted. */
    const placed = async () => {
      const out: Record<string, (string | null)[]> = {};
      for (const a of await alerts()) (out[a.labels.alertname!] ??= []).push(a.serviceId);
      for (const v of Object.values(out)) v.sort();
      return out;
    };
    return { t, s, dbId, route, alerts, placed };
  }

  it('routes by the rules in order: continue fans out, rewrites apply, the default takes the rest', async () => {
    const { s, dbId, route, alerts, placed } = await start();
    const dbRule = await route({
      name: 'db team',
      matchers: [eq('team', 'db')],
      serviceId: dbId,
      continue: true,
    });
    const critical = await route({
      name: 'critical',
      matchers: [eq('severity', 'critical')],
      serviceId: s.serviceId,
      setSeverity: 'error',
      setLabels: { routed: 'critical-path' },
    });

    // Without a default, an alert no rule takes stays unrouted, or goes to the service of the key it came with.
    const key = await s.admin('POST', `/api/v1/services/${dbId}/integrations`, {
      name: 'prometheus',
      kind: 'alertmanager',
    });
    const prometheus = s.bearer(key.json<{ key: string }>().key);
    expect((await s.admin('POST', '/api/v2/alerts', [alert({ alertname: 'Lonely' })])).statusCode).toBe(200);
    expect((await prometheus('POST', '/api/v2/alerts', [alert({ alertname: 'Keyed' })])).statusCode).toBe(
      200,
    );
    expect(await placed()).toEqual({ Lonely: [null], Keyed: [dbId] });

    const fallback = await route({
      name: 'everything else',
      matchers: [],
      serviceId: s.serviceId,
      isDefault: true,
    });
    expect(fallback.position).toBe(2);
    const listed = (await s.admin('GET', '/api/v1/routes')).json<Route[]>();
    expect(listed.map((r) => [r.name, r.position])).toEqual([
      ['db team', 0],
      ['critical', 1],
      ['everything else', 2],
    ]);

    const posted = await s.admin('POST', '/api/v2/alerts', [
      alert({ alertname: 'DiskFull', team: 'db', severity: 'critical' }),
      alert({ alertname: 'Slow', team: 'db', severity: 'warning' }),
      alert({ alertname: 'Other', severity: 'warning' }),
      alert({ alertname: 'Crit', severity: 'critical' }),
    ]);
    expect(posted.statusCode, posted.body).toBe(200);
    const where = await placed();
    expect(where.DiskFull).toEqual([dbId, s.serviceId].sort());
    expect(where.Slow).toEqual([dbId]);
    expect(where.Other).toEqual([s.serviceId]);
    expect(where.Crit).toEqual([s.serviceId]);

    const all = await alerts();
    const crit = all.find((a) => a.labels.alertname === 'Crit')!;
    expect(crit).toMatchObject({
      severity: 'error',
      labels: { routed: 'critical-path', severity: 'critical' },
    });
    expect(crit.incidentId).not.toBeNull();
    const diskOnDb = all.find((a) => a.labels.alertname === 'DiskFull' && a.serviceId === dbId)!;
    expect(diskOnDb.severity).toBe('critical');
    expect(diskOnDb.labels.routed).toBeUndefined();
    const incidents = (await s.admin('GET', '/api/v1/incidents')).json<{ items: { serviceId: string }[] }>()
      .items;
    expect(incidents.filter((i) => i.serviceId === dbId).length).toBeGreaterThanOrEqual(2);

    // A key no longer decides once the default route takes everything.
    expect((await prometheus('POST', '/api/v2/alerts', [alert({ alertname: 'Keyed2' })])).statusCode).toBe(
      200,
    );
    expect((await placed()).Keyed2).toEqual([s.serviceId]);

    // The audit log has the changes.
    const audit = (await s.admin('GET', '/api/v1/audit')).json<{ action: string }[]>();
    expect(audit.filter((e) => e.action === 'route.created').length).toBe(3);
    expect(dbRule.id).not.toBe(critical.id);
  });

  it('explains with a dry run which rule takes an alert, naming the matcher that failed', async () => {
    const { s, dbId, route } = await start();
    await route({ name: 'db team', matchers: [eq('team', 'db')], serviceId: dbId, continue: true });
    await route({
      name: 'critical',
      matchers: [eq('severity', 'critical')],
      serviceId: s.serviceId,
      setSeverity: 'error',
    });
    const dry = async (labels: Record<string, unknown>) =>
      s.admin('POST', '/api/v1/routes/dry-run', { labels });

    let res = await dry({ alertname: 'Slow', team: 'db', severity: 'warning' });
    expect(res.statusCode, res.body).toBe(200);
    let answer = res.json<DryRun>();
    expect(answer.targets).toEqual([expect.objectContaining({ ruleName: 'db team', serviceName: 'db' })]);
    expect(answer.steps.map((x) => [x.name, x.outcome])).toEqual([
      ['db team', 'matched'],
      ['critical', 'not-matched'],
    ]);
    expect(answer.steps[1]!.reason).toBe('severity="critical" does not hold (severity is "warning")');
    expect(answer).toMatchObject({ unrouted: false, suppressedBy: null });

    answer = (await dry({ alertname: 'Nope' })).json<DryRun>();
    expect(answer.targets).toEqual([]);
    expect(answer.unrouted).toBe(true);
    expect(answer.steps[0]!.reason).toBe('team="db" does not hold (team is absent)');

    await route({ name: 'default', matchers: [], serviceId: s.serviceId, isDefault: true });
    answer = (await dry({ alertname: 'DiskFull', team: 'db', severity: 'critical' })).json<DryRun>();
    expect(answer.targets.map((x) => [x.ruleName, x.serviceName, x.setSeverity])).toEqual([
      ['db team', 'db', null],
      ['critical', 'checkout', 'error'],
    ]);
    expect(answer.steps.map((x) => x.outcome)).toEqual(['matched', 'matched', 'skipped']);
    answer = (await dry({ alertname: 'Nope' })).json<DryRun>();
    expect(answer.targets.map((x) => x.ruleName)).toEqual(['default']);
    expect(answer.steps.at(-1)).toMatchObject({ outcome: 'default', reason: 'no other rule took the alert' });

    // Labels are checked like an alert's.
    res = await dry({ 'bad-name': 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json<Problem>().errors?.[0]?.pointer).toBe('/labels/bad-name');
    expect((await dry({})).statusCode).toBe(400);

    // Observers may ask too; nothing is written.
    const observer = as(t!, await login(t!, await person(t!, 'observer')));
    expect((await observer('POST', '/api/v1/routes/dry-run', { labels: { a: 'b' } })).statusCode).toBe(200);
    expect((await s.admin('GET', '/api/v1/alerts')).json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('refuses bad rules with a pointer, a second default with 409, and non-admins with 403', async () => {
    const { t, s, dbId } = await start();
    const bad = await s.admin('POST', '/api/v1/routes', {
      name: 'broken',
      matchers: [{ name: 'instance', value: '(', isRegex: true }],
      serviceId: dbId,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().errors?.[0]?.pointer).toBe('/matchers/0');

    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x', matchers: [eq('bad-name', 'v')], serviceId: dbId }, '/matchers/0'],
      [{ name: '  ', matchers: [], serviceId: dbId }, '/name'],
      [{ name: 'x', matchers: [], serviceId: 'svc_0000000000NOTASERVICE000' }, '/serviceId'],
      [{ name: 'x', matchers: [], serviceId: dbId, setLabels: { 'bad-label': 'v' } }, '/setLabels/bad-label'],
      [{ name: 'x', matchers: [], serviceId: dbId, setLabels: { empty: '' } }, '/setLabels/empty'],
      [{ name: 'x', matchers: [], serviceId: dbId, position: 5 }, '/position'],
      [{ name: 'd', matchers: [eq('a', 'b')], serviceId: dbId, isDefault: true }, '/matchers'],
    ];
    for (const [body, pointer] of cases) {
      const res = await s.admin('POST', '/api/v1/routes', body);
      expect(`${res.statusCode} ${JSON.stringify(body)}`).toBe(`400 ${JSON.stringify(body)}`);
      expect(res.json<Problem>().errors?.map((e) => e.pointer)).toContain(pointer);
    }

    // Two concurrent defaults: the route writes take turns, so exactly one wins.
    const raced = await Promise.all(
      ['default', 'rival'].map((name) =>
        s.admin('POST', '/api/v1/routes', { name, matchers: [], serviceId: s.serviceId, isDefault: true }),
      ),
    );
    expect(raced.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const second = await s.admin('POST', '/api/v1/routes', {
      name: 'another default',
      matchers: [],
      serviceId: dbId,
      isDefault: true,
    });
    expect(second.statusCode).toBe(409);
    expect(second.json<Problem>().detail).toContain('already the default route');

    // A team admin is not a global admin: routes are everyone's configuration.
    const teamAdmin = as(t, await login(t, await person(t, 'responder', { [s.teamId]: 'admin' })));
    const denied = await teamAdmin('POST', '/api/v1/routes', { name: 'mine', matchers: [], serviceId: dbId });
    expect(denied.statusCode).toBe(403);
    expect(denied.json<Problem>().detail).toBe('this needs the admin role; you have responder');
    const responder = as(t, await login(t, await person(t, 'responder')));
    expect(
      (await responder('POST', '/api/v1/routes', { name: 'x', matchers: [], serviceId: dbId })).statusCode,
    ).toBe(403);
    expect((await responder('GET', '/api/v1/routes')).statusCode).toBe(200);
    const stakeholder = as(t, await login(t, await person(t, 'stakeholder', { [s.teamId]: 'observer' })));
    expect((await stakeholder('GET', '/api/v1/routes')).statusCode).toBe(403);
    expect((await s.admin('GET', '/api/v1/routes')).json<Route[]>()).toHaveLength(1);
  });

  it('moves rules with PATCH and reorder, deletes them, and keeps config-file rules read-only', async () => {
    const { t, s, dbId, route } = await start();
    const a = await route({ name: 'a', matchers: [eq('x', 'a')], serviceId: dbId });
    const b = await route({ name: 'b', matchers: [eq('x', 'b')], serviceId: dbId });
    const c = await route({ name: 'c', matchers: [eq('x', 'c')], serviceId: dbId, position: 0 });
    const names = async () => (await s.admin('GET', '/api/v1/routes')).json<Route[]>().map((r) => r.name);
    expect(await names()).toEqual(['c', 'a', 'b']);

    const moved = await s.admin('PATCH', `/api/v1/routes/${c.id}`, { position: 2, continue: true });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ position: 2, continue: true, name: 'c' });
    expect(await names()).toEqual(['a', 'b', 'c']);

    const reordered = await s.admin('POST', '/api/v1/routes/reorder', { ids: [b.id, c.id, a.id] });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(reordered.json<Route[]>().map((r) => [r.name, r.position])).toEqual([
      ['b', 0],
      ['c', 1],
      ['a', 2],
    ]);
    const incomplete = await s.admin('POST', '/api/v1/routes/reorder', { ids: [b.id, c.id] });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json<Problem>().errors?.[0]?.pointer).toBe('/ids');

    expect((await s.admin('DELETE', `/api/v1/routes/${c.id}`)).statusCode).toBe(204);
    expect(await names()).toEqual(['b', 'a']);
    expect((await s.admin('GET', `/api/v1/routes/${c.id}`)).statusCode).toBe(404);

    // Rules declared in the config file are managed there. The server writes them at start, first in the
    // evaluation order (negative positions, in the file's order), as src/app/declarations.ts does.
    const now = t.clock.now();
    const one = 'rte_01DECLAREDONE0000000000000';
    const two = 'rte_01DECLAREDTWO0000000000000';
    for (const [i, id] of [one, two].entries())
      await t.tdb.storage.db
        .insertInto('routes')
        .values({
          id,
          position: -1_000_000 + i,
          name: `declared ${i + 1}`,
          matchers: JSON.stringify([{ name: 'y', value: String(i), isRegex: false, isEqual: true }]),
          service_id: dbId,
          continue: false,
          is_default: false,
          set_severity: null,
          set_labels: '{}',
          declared: true,
          created_at: now,
          updated_at: now,
        })
        .execute();
    expect(await names()).toEqual(['declared 1', 'declared 2', 'b', 'a']);
    const patch = await s.admin('PATCH', `/api/v1/routes/${one}`, { name: 'mine now' });
    expect(patch.statusCode).toBe(409);
    expect(patch.json<Problem>().detail).toContain('managed there');
    expect((await s.admin('DELETE', `/api/v1/routes/${one}`)).statusCode).toBe(409);
    for (const ids of [
      [two, one, b.id, a.id],
      [one, b.id, two, a.id],
    ])
      expect((await s.admin('POST', '/api/v1/routes/reorder', { ids })).statusCode).toBe(409);
    const ahead = await s.admin('POST', '/api/v1/routes', {
      name: 'ahead',
      matchers: [eq('x', 'z')],
      serviceId: dbId,
      position: 1,
    });
    expect(ahead.statusCode).toBe(400);
    expect(ahead.json<Problem>().errors?.[0]?.detail).toContain('declared in the config file come first');
    // API rules move freely after them.
    const swapped = await s.admin('POST', '/api/v1/routes/reorder', { ids: [one, two, a.id, b.id] });
    expect(swapped.statusCode, swapped.body).toBe(200);
    expect(await names()).toEqual(['declared 1', 'declared 2', 'a', 'b']);
    expect((await s.admin('PATCH', `/api/v1/routes/${b.id}`, { position: 2 })).json()).toMatchObject({
      position: 2,
    });
    expect(await names()).toEqual(['declared 1', 'declared 2', 'b', 'a']);
    const stored = await t.tdb.storage.db
      .selectFrom('routes')
      .select(['id', 'position'])
      .orderBy('position')
      .execute();
    expect(stored.map((r) => [r.id, Number(r.position)])).toEqual([
      [one, -1_000_000],
      [two, -999_999],
      [b.id, 0],
      [a.id, 1],
    ]);
  });
});
