import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { routeTable } from '../../src/http/plugins/route-table.ts';
import { ROLE_ORDER, type Role } from '../../src/platform/context.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, login, person, team, withToken, type Session } from '../harness/identity.ts';

/**
 * Who may call what, reviewed by a person. A route missing here (or here but gone) fails the first test, so every
 * new route arrives with a decision; the second test then proves the server enforces each decision.
 */
const DECISIONS: Record<string, 'public' | `${Role}/${'read' | 'write' | 'admin' | 'ingest'}`> = {
  'GET /-/healthy': 'public',
  'GET /-/ready': 'public',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
  'GET /api/v1/about': 'public',
  'POST /api/v1/auth/login': 'public',
  'GET /api/v1/setup': 'public',
  'POST /api/v1/setup': 'public',
  'POST /api/v1/auth/logout': 'stakeholder/read',
  'GET /api/v1/auth/session': 'stakeholder/read',
  'GET /api/v1/me': 'stakeholder/read',
  'GET /api/v1/users': 'observer/read',
  'POST /api/v1/users': 'admin/admin',
  'GET /api/v1/users/:id': 'stakeholder/read',
  'PATCH /api/v1/users/:id': 'stakeholder/write',
  'PUT /api/v1/users/:id/password': 'stakeholder/write',
  'POST /api/v1/users/:id/deactivate': 'admin/admin',
  'POST /api/v1/users/:id/reactivate': 'admin/admin',
  'GET /api/v1/teams': 'stakeholder/read',
  'POST /api/v1/teams': 'admin/admin',
  'GET /api/v1/teams/:id': 'stakeholder/read',
  'PATCH /api/v1/teams/:id': 'admin/admin',
  'DELETE /api/v1/teams/:id': 'admin/admin',
  'PUT /api/v1/teams/:id/members/:userId': 'admin/admin',
  'DELETE /api/v1/teams/:id/members/:userId': 'admin/admin',
  'GET /api/v1/tokens': 'stakeholder/read',
  'POST /api/v1/tokens': 'stakeholder/write',
  'DELETE /api/v1/tokens/:id': 'stakeholder/write',
  'GET /api/v1/audit': 'admin/admin',
  'GET /api/v1/audit.csv': 'admin/admin',
  'GET /api/v1/sso/providers': 'admin/admin',
  'POST /api/v1/sso/providers': 'admin/admin',
  'PATCH /api/v1/sso/providers/:id': 'admin/admin',
  'DELETE /api/v1/sso/providers/:id': 'admin/admin',
  'GET /api/v1/auth/sso/providers': 'public',
  'GET /api/v1/auth/sso/:slug/start': 'public',
  'GET /api/v1/auth/sso/:slug/callback': 'public',
  'GET /api/v1/services': 'stakeholder/read',
  'POST /api/v1/services': 'responder/write',
  'GET /api/v1/services/:id': 'stakeholder/read',
  'PATCH /api/v1/services/:id': 'responder/write',
  'DELETE /api/v1/services/:id': 'responder/write',
  'GET /api/v1/services/:id/integrations': 'stakeholder/read',
  'POST /api/v1/services/:id/integrations': 'responder/write',
  'GET /api/v1/integrations/:id': 'stakeholder/read',
  'PATCH /api/v1/integrations/:id': 'responder/write',
  'DELETE /api/v1/integrations/:id': 'responder/write',
  'POST /api/v1/integrations/:id/rotate-key': 'responder/write',
  'POST /api/v1/integrations/:id/signing-secret': 'responder/write',
  'DELETE /api/v1/integrations/:id/signing-secret/previous': 'responder/write',
  'POST /api/v2/alerts': 'responder/ingest',
  'GET /api/v2/alerts': 'observer/read',
  'GET /api/v2/alerts/groups': 'observer/read',
  'GET /api/v2/status': 'observer/read',
  'GET /api/v2/receivers': 'observer/read',
  'GET /api/v2/silences': 'observer/read',
  'POST /api/v2/silences': 'responder/write',
  'GET /api/v2/silence/:silenceID': 'observer/read',
  'DELETE /api/v2/silence/:silenceID': 'responder/write',
  'GET /api/v1/alerts': 'stakeholder/read',
  'GET /api/v1/alerts/:id': 'stakeholder/read',
  'POST /api/v1/alerts/:id/acknowledge': 'responder/write',
  'POST /api/v1/alerts/:id/resolve': 'responder/write',
  'GET /api/v1/incidents': 'stakeholder/read',
  'GET /api/v1/incidents/:id': 'stakeholder/read',
  'POST /api/v1/incidents/:id/acknowledge': 'responder/write',
  'POST /api/v1/incidents/:id/resolve': 'responder/write',
  'POST /api/v1/incidents/:id/unacknowledge': 'responder/write',
  'GET /api/v1/incidents/:id/deliveries': 'stakeholder/read',
  'GET /api/v1/incidents/:id/escalation': 'stakeholder/read',
  'GET /api/v1/web-push': 'stakeholder/read',
  'POST /api/v1/me/push-subscriptions/renew': 'stakeholder/write',
  'POST /api/v1/drills': 'responder/write',
  'GET /api/v1/drills': 'stakeholder/read',
  'GET /api/v1/drills/:id': 'stakeholder/read',
  'GET /api/v1/actions/:token': 'public',
  'POST /api/v1/actions/:token': 'public',
  'POST /api/v1/callbacks/slack': 'public',
  'POST /api/v1/callbacks/twilio/sms': 'public',
  'POST /api/v1/callbacks/twilio/voice': 'public',
  'POST /api/v1/callbacks/twilio/status': 'public',
  'GET /api/v1/escalation-policies': 'stakeholder/read',
  'POST /api/v1/escalation-policies': 'responder/write',
  'GET /api/v1/escalation-policies/:id': 'stakeholder/read',
  'PATCH /api/v1/escalation-policies/:id': 'responder/write',
  'DELETE /api/v1/escalation-policies/:id': 'responder/write',
  'GET /api/v1/channels': 'stakeholder/read',
  'POST /api/v1/channels': 'responder/write',
  'GET /api/v1/channels/:id': 'stakeholder/read',
  'PATCH /api/v1/channels/:id': 'responder/write',
  'DELETE /api/v1/channels/:id': 'responder/write',
  'GET /api/v1/schedules': 'stakeholder/read',
  'POST /api/v1/schedules': 'responder/write',
  'GET /api/v1/schedules/:id': 'stakeholder/read',
  'PATCH /api/v1/schedules/:id': 'responder/write',
  'DELETE /api/v1/schedules/:id': 'responder/write',
  'POST /api/v1/schedules/:id/preview': 'stakeholder/read',
  'GET /api/v1/schedules/:id/on-call': 'stakeholder/read',
  'GET /api/v1/schedules/:id/shifts': 'stakeholder/read',
  'GET /api/v1/schedules/:id/gaps': 'stakeholder/read',
  'GET /api/v1/schedules/:id/overrides': 'stakeholder/read',
  'POST /api/v1/schedules/:id/overrides': 'responder/write',
  'DELETE /api/v1/schedules/:id/overrides/:overrideId': 'responder/write',
  'GET /api/v1/schedules/:id/ical-feeds': 'stakeholder/read',
  'POST /api/v1/schedules/:id/ical': 'stakeholder/write',
  'POST /api/v1/me/ical': 'stakeholder/write',
  'GET /api/v1/me/ical-feeds': 'stakeholder/read',
  'DELETE /api/v1/ical-feeds/:id': 'stakeholder/write',
  'GET /api/v1/me/on-call': 'stakeholder/read',
  'GET /api/v1/ical/:token.ics': 'public',
  'GET /api/v1/me/contact-methods': 'stakeholder/read',
  'POST /api/v1/me/contact-methods': 'stakeholder/write',
  'GET /api/v1/me/contact-methods/:id': 'stakeholder/read',
  'PATCH /api/v1/me/contact-methods/:id': 'stakeholder/write',
  'DELETE /api/v1/me/contact-methods/:id': 'stakeholder/write',
  'POST /api/v1/me/contact-methods/:id/verify': 'stakeholder/write',
  'POST /api/v1/me/contact-methods/:id/resend-code': 'stakeholder/write',
  'POST /api/v1/me/contact-methods/:id/disable': 'stakeholder/write',
  'POST /api/v1/me/contact-methods/:id/enable': 'stakeholder/write',
  'GET /api/v1/me/notification-rules': 'stakeholder/read',
  'POST /api/v1/me/notification-rules': 'stakeholder/write',
  'DELETE /api/v1/me/notification-rules/:id': 'stakeholder/write',
  'GET /api/v1/me/notification-setup': 'stakeholder/read',
  'GET /api/v1/users/:userId/contact-methods': 'stakeholder/read',
  'POST /api/v1/users/:userId/contact-methods': 'stakeholder/write',
  'GET /api/v1/users/:userId/contact-methods/:id': 'stakeholder/read',
  'PATCH /api/v1/users/:userId/contact-methods/:id': 'stakeholder/write',
  'DELETE /api/v1/users/:userId/contact-methods/:id': 'stakeholder/write',
  'POST /api/v1/users/:userId/contact-methods/:id/verify': 'stakeholder/write',
  'POST /api/v1/users/:userId/contact-methods/:id/resend-code': 'stakeholder/write',
  'POST /api/v1/users/:userId/contact-methods/:id/disable': 'stakeholder/write',
  'POST /api/v1/users/:userId/contact-methods/:id/enable': 'stakeholder/write',
  'GET /api/v1/users/:userId/notification-rules': 'stakeholder/read',
  'POST /api/v1/users/:userId/notification-rules': 'stakeholder/write',
  'DELETE /api/v1/users/:userId/notification-rules/:id': 'stakeholder/write',
  'GET /api/v1/users/:userId/notification-setup': 'stakeholder/read',
  'GET /api/v1/routes': 'observer/read',
  'POST /api/v1/routes': 'admin/admin',
  'POST /api/v1/routes/reorder': 'admin/admin',
  'POST /api/v1/routes/dry-run': 'observer/read',
  'GET /api/v1/routes/:id': 'observer/read',
  'PATCH /api/v1/routes/:id': 'admin/admin',
  'DELETE /api/v1/routes/:id': 'admin/admin',
  'GET /api/v1/maintenance-windows': 'observer/read',
  'POST /api/v1/maintenance-windows': 'responder/write',
  'GET /api/v1/maintenance-windows/:id': 'observer/read',
  'PATCH /api/v1/maintenance-windows/:id': 'responder/write',
  'DELETE /api/v1/maintenance-windows/:id': 'responder/write',
  'GET /api/v1/inhibition-rules': 'observer/read',
  'POST /api/v1/inhibition-rules': 'admin/admin',
  'GET /api/v1/inhibition-rules/:id': 'observer/read',
  'PATCH /api/v1/inhibition-rules/:id': 'admin/admin',
  'DELETE /api/v1/inhibition-rules/:id': 'admin/admin',
  'POST /integrations/alertmanager/:key': 'public',
  'POST /v2/enqueue': 'public',
  'POST /generic/2010-04-15/create_event.json': 'public',
  'POST /v2/change/enqueue': 'public',
  'POST /integrations/webhook/:key': 'public',
};

const FAKE_ID = 'usr_0000000000NOTAREALID00000';
const concrete = (url: string) => url.replace(/:[a-zA-Z]+/g, FAKE_ID);
const rank = (r: Role) => ROLE_ORDER.indexOf(r);

describe(`access control (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('has a reviewed access decision for every route, and only those routes', async () => {
    t = await createTestApp();
    await t.app.http.ready();
    const actual = Object.fromEntries(
      routeTable(t.app.http)
        .filter((r) => !r.hidden)
        .map((r) => [
          `${r.method} ${r.url}`,
          r.access === 'public' ? 'public' : `${r.access.minRole}/${r.access.scope}`,
        ]),
    );
    expect(actual).toEqual(DECISIONS);
  });

  it('enforces the role × route matrix for every route: 401 signed out, 403 below the role, through otherwise', async () => {
    t = await createTestApp();
    const sessions = new Map<Role, Session>();
    for (const role of ROLE_ORDER) sessions.set(role, await login(t, await person(t, role)));
    const failures: string[] = [];
    for (const r of routeTable(t.app.http).filter((x) => !x.hidden && x.access !== 'public')) {
      if (r.access === 'public' || r.url === '/api/v1/auth/logout') continue; // logout would end the session under test
      const method = r.method as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      const anon = await t.app.http.inject({
        method,
        url: concrete(r.url),
        ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
      });
      if (anon.statusCode !== 401) failures.push(`anonymous ${r.method} ${r.url} → ${anon.statusCode}`);
      for (const role of ROLE_ORDER) {
        const res = await as(t, sessions.get(role)!)(method, concrete(r.url));
        const gateDenied =
          res.statusCode === 403 && /^this route needs/.test(res.json<{ detail?: string }>().detail ?? '');
        const shouldDeny = rank(role) < rank(r.access.minRole);
        if (shouldDeny !== gateDenied)
          failures.push(`${role} ${r.method} ${r.url} → ${res.statusCode} ${res.body.slice(0, 120)}`);
        if (res.statusCode >= 500) failures.push(`${role} ${r.method} ${r.url} → ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('keeps team B invisible to team A: read, update, delete, members, tokens, audit and exports', async () => {
    t = await createTestApp();
    const a = await team(t, 'Team A');
    const b = await team(t, 'Team B');
    const aliceAdminOfA = await login(t, await person(t, 'responder', { [a]: 'admin' }));
    const bob = await person(t, 'responder', { [b]: 'admin' });
    const bobSession = await login(t, bob);
    const bToken = (
      await as(t, bobSession)('POST', '/api/v1/tokens', {
        name: 'b-ci',
        kind: 'service',
        scopes: ['read'],
        teamId: b,
        role: 'observer',
      })
    ).json();
    expect(bToken.apiToken.teamId).toBe(b);

    const alice = as(t, aliceAdminOfA);
    const checks: [string, Awaited<ReturnType<typeof alice>>][] = [
      ['GET team', await alice('GET', `/api/v1/teams/${b}`)],
      ['PATCH team', await alice('PATCH', `/api/v1/teams/${b}`, { description: 'mine now' })],
      ['PUT member', await alice('PUT', `/api/v1/teams/${b}/members/${bob.id}`, { role: 'observer' })],
      ['DELETE member', await alice('DELETE', `/api/v1/teams/${b}/members/${bob.id}`)],
      ['list team tokens', await alice('GET', `/api/v1/tokens?teamId=${b}`)],
      ['revoke team token', await alice('DELETE', `/api/v1/tokens/${bToken.apiToken.id}`)],
      ['audit of team', await alice('GET', `/api/v1/audit?teamId=${b}`)],
      ['audit export of team', await alice('GET', `/api/v1/audit.csv?teamId=${b}`)],
    ];
    for (const [what, res] of checks) expect(`${what} → ${res.statusCode}`).toBe(`${what} → 404`);
    expect((await alice('DELETE', `/api/v1/teams/${b}`)).statusCode).toBe(403); // only global admins delete teams
    // Lists never show the other team or its data.
    expect((await alice('GET', '/api/v1/teams')).json<{ id: string }[]>().map((x) => x.id)).toEqual([a]);
    expect((await alice('GET', '/api/v1/tokens')).json()).toEqual([]);
    const ownAudit = (await alice('GET', `/api/v1/audit?teamId=${a}`)).json<{ teamId: string }[]>();
    expect(ownAudit.length).toBeGreaterThan(0);
    expect(ownAudit.every((e) => e.teamId === a)).toBe(true);
    // And nothing changed in team B.
    const bView = (await as(t, bobSession)('GET', `/api/v1/teams/${b}`)).json();
    expect(bView).toMatchObject({ description: '', members: [{ userId: bob.id, role: 'admin' }] });
  });

  it('shows an API token once, stores only its hash, enforces scopes, and stops it on the next request after revocation', async () => {
    t = await createTestApp();
    const admin = await login(t, await person(t, 'admin'));
    const created = await as(t, admin)('POST', '/api/v1/tokens', {
      name: 'grafana',
      kind: 'personal',
      scopes: ['read'],
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const { token, apiToken } = created.json<{ token: string; apiToken: { id: string; prefix: string } }>();
    expect(token).toMatch(/^siaga_pat_[\w-]{43}$/);
    expect(token.startsWith(apiToken.prefix)).toBe(true);
    const listed = await as(t, admin)('GET', '/api/v1/tokens');
    expect(listed.body).not.toContain(token);
    const stored = await t.tdb.storage.db.selectFrom('api_tokens').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(token);

    const bearer = withToken(t, token);
    expect((await bearer('GET', '/api/v1/users')).statusCode).toBe(200);
    const write = await bearer('POST', '/api/v1/teams', { name: 'X' });
    expect(write.statusCode).toBe(403);
    expect(write.json().detail).toBe('this API token lacks the admin scope');
    expect(
      (await bearer('POST', '/api/v1/tokens', { name: 'child', kind: 'personal', scopes: ['read'] }))
        .statusCode,
    ).toBe(403);

    t.clock.advance(5 * 60_000);
    await bearer('GET', '/api/v1/me');
    const used = await as(t, admin)('GET', '/api/v1/tokens');
    expect(used.json<{ lastUsedAt: string }[]>()[0]!.lastUsedAt).toBe(new Date(t.clock.now()).toISOString());

    expect((await as(t, admin)('DELETE', `/api/v1/tokens/${apiToken.id}`)).statusCode).toBe(200);
    const after = await bearer('GET', '/api/v1/me');
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toBe('Bearer realm="siaga"');
  });

  it('expires tokens at their expiry time', async () => {
    t = await createTestApp();
    const s = await login(t, await person(t, 'observer'));
    const expiresAt = new Date(t.clock.now() + 3_600_000).toISOString();
    const { token } = (
      await as(t, s)('POST', '/api/v1/tokens', {
        name: 'short',
        kind: 'personal',
        scopes: ['read'],
        expiresAt,
      })
    ).json();
    expect((await withToken(t, token)('GET', '/api/v1/me')).statusCode).toBe(200);
    t.clock.advance(3_600_000);
    expect((await withToken(t, token)('GET', '/api/v1/me')).statusCode).toBe(401);
    const past = await as(t, s)('POST', '/api/v1/tokens', {
      name: 'past',
      kind: 'personal',
      scopes: ['read'],
      expiresAt: '2020-01-01T00:00:00Z',
    });
    expect(past.statusCode).toBe(400);
  });

  it('limits a service token to its team and to a role no higher than its creator’s', async () => {
    t = await createTestApp();
    const ops = await team(t, 'Ops');
    const other = await team(t, 'Other');
    const lead = await login(t, await person(t, 'observer', { [ops]: 'admin' }));
    const tooHigh = await as(t, lead)('POST', '/api/v1/tokens', {
      name: 'x',
      kind: 'service',
      scopes: ['admin'],
      teamId: other,
      role: 'observer',
    });
    expect(tooHigh.statusCode).toBe(404);
    const global = await as(t, lead)('POST', '/api/v1/tokens', {
      name: 'x',
      kind: 'service',
      scopes: ['admin'],
      role: 'observer',
    });
    expect(global.statusCode).toBe(403);
    const { token } = (
      await as(t, lead)('POST', '/api/v1/tokens', {
        name: 'bot',
        kind: 'service',
        scopes: ['read', 'admin'],
        teamId: ops,
        role: 'admin',
      })
    ).json();
    const bot = withToken(t, token);
    expect((await bot('GET', `/api/v1/teams/${ops}`)).statusCode).toBe(200);
    expect((await bot('PATCH', `/api/v1/teams/${ops}`, { description: 'by bot' })).statusCode).toBe(200);
    expect((await bot('GET', `/api/v1/teams/${other}`)).statusCode).toBe(404);
    expect((await bot('GET', '/api/v1/users')).statusCode).toBe(403); // no global role
  });

  it('records who did what in an append-only audit log, with secrets redacted, exportable as CSV', async () => {
    t = await createTestApp();
    const root = await person(t, 'admin');
    const s = await login(t, root);
    const created = await as(t, s)('POST', '/api/v1/users', {
      email: 'rina@example.com',
      name: 'Rina',
      role: 'observer',
      password: 'a brand new passphrase 7',
    });
    const rinaId = created.json().id as string;
    await as(t, s)('PATCH', `/api/v1/users/${rinaId}`, { role: 'responder' });
    await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'rina@example.com', password: 'wrong wrong wrong' },
      remoteAddress: '192.0.2.55',
    });

    const entries = (await as(t, s)('GET', `/api/v1/audit?objectId=${rinaId}`)).json<Record<string, any>[]>();
    expect(entries.map((e) => e.action)).toEqual(['auth.login_failed', 'user.role_changed', 'user.created']);
    const [failed, changed, createdEntry] = entries;
    expect(failed).toMatchObject({
      outcome: 'failure',
      ip: '192.0.2.55',
      detail: 'wrong password',
      actor: { kind: 'anonymous' },
    });
    expect(changed).toMatchObject({
      actor: { kind: 'user', id: root.id, label: root.email },
      before: { role: 'observer' },
      after: { role: 'responder' },
    });
    expect(changed!.requestId).toEqual(expect.any(String));
    expect(JSON.stringify(createdEntry)).not.toContain('a brand new passphrase 7');
    expect(Date.parse(changed!.at)).toBe(t.clock.now());

    const csv = await as(t, s)('GET', `/api/v1/audit.csv?objectId=${rinaId}`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="siaga-audit.csv"');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,at,actor_kind,actor_id,actor,action,outcome,object_type,object_id,team_id,before,after,detail,ip,request_id',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(',auth.login_failed,failure,');

    // Nothing edits or deletes history: no route does, and the database refuses.
    expect(
      routeTable(t.app.http).filter((r) => r.url.startsWith('/api/v1/audit') && r.method !== 'GET'),
    ).toEqual([]);
    const db = t.tdb.storage.db;
    await expect(db.updateTable('audit_log').set({ action: 'forged' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('keeps the last administrator', async () => {
    t = await createTestApp();
    const root = await person(t, 'admin');
    const s = await login(t, root);
    expect((await as(t, s)('PATCH', `/api/v1/users/${root.id}`, { role: 'observer' })).statusCode).toBe(409);
    expect((await as(t, s)('POST', `/api/v1/users/${root.id}/deactivate`)).statusCode).toBe(409);
  });
});
