import { afterEach, describe, expect, it } from 'vitest';
import { issueSetupToken } from '../../src/identity/index.ts';
import { DAY, HOUR, MINUTE, SECOND } from '../../src/platform/clock.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, cookieFrom, login, PASSWORD, person, team } from '../harness/identity.ts';
import { TEST_SETTINGS } from '../harness/services.ts';

describe(`sign-in and sessions (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const audit = async (action: string) =>
    t!.tdb.storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', action)
      .orderBy('id')
      .execute();

  it('creates the first administrator from a one-time setup token, and never again', async () => {
    t = await createTestApp();
    const system = t.app.ctx({ kind: 'system', name: 'test' });
    expect((await t.app.http.inject({ url: '/api/v1/setup' })).json()).toEqual({ needed: true });
    const token = await issueSetupToken(system);
    expect(token).toMatch(/^setup_[\w-]{43}$/);
    const body = { token: token!, email: 'Admin@Example.com', name: 'Ada', password: PASSWORD };

    const wrong = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { ...body, token: 'setup_wrongwrongwrong' },
    });
    expect(wrong.statusCode).toBe(403);
    const weak = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { ...body, password: 'password1234' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors).toEqual([
      { pointer: '/password', detail: 'is one of the most common passwords; choose another' },
    ]);

    const ok = await t.app.http.inject({ method: 'POST', url: '/api/v1/setup', payload: body });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().user).toMatchObject({ email: 'admin@example.com', role: 'admin', hasPassword: true });
    const cookie = cookieFrom(ok);
    const me = await t.app.http.inject({ url: '/api/v1/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ name: 'Ada', role: 'admin' });

    const again = await t.app.http.inject({ method: 'POST', url: '/api/v1/setup', payload: body });
    expect(again.statusCode).toBe(403);
    expect(await issueSetupToken(system)).toBeUndefined(); // once someone exists, no more setup links
    expect((await t.app.http.inject({ url: '/api/v1/setup' })).json()).toEqual({ needed: false });
  });

  it('lets a setup token expire after 24 hours', async () => {
    t = await createTestApp();
    const token = await issueSetupToken(t.app.ctx({ kind: 'system', name: 'test' }));
    t.clock.advance(DAY);
    const late = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { token, email: 'a@example.com', name: 'A', password: PASSWORD },
    });
    expect(late.statusCode).toBe(403);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie, Secure with the __Host- prefix behind TLS', async () => {
    t = await createTestApp();
    const p = await person(t, 'responder');
    const res = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: p.email, password: p.password },
    });
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(/^siaga_session=ssn_[\w-]{43}; Max-Age=2592000; Path=\/; HttpOnly; SameSite=Lax$/);
    await t.close();

    t = await createTestApp({
      overrides: { settings: { ...TEST_SETTINGS, publicUrl: 'https://siaga.example.com' } },
    });
    const q = await person(t, 'responder');
    const tls = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: q.email, password: q.password },
    });
    expect(String(tls.headers['set-cookie'])).toMatch(
      /^__Host-siaga_session=ssn_[\w-]{43}; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
  });

  it('issues a new session id at every sign-in and ends it server-side at logout', async () => {
    t = await createTestApp();
    const p = await person(t, 'observer');
    const a = await login(t, p);
    const b = await login(t, p);
    expect(a.cookie).not.toBe(b.cookie);
    expect((await as(t, a)('POST', '/api/v1/auth/logout')).statusCode).toBe(200);
    // The old cookie, replayed after logout, is refused; the other session lives on.
    expect((await as(t, a)('GET', '/api/v1/me')).statusCode).toBe(401);
    expect((await as(t, b)('GET', '/api/v1/me')).statusCode).toBe(200);
  });

  it('ends sessions after the idle timeout and after the absolute lifetime', async () => {
    t = await createTestApp();
    const p = await person(t, 'observer');
    const idle = await login(t, p);
    t.clock.advance(TEST_SETTINGS.auth.sessionIdleMs - MINUTE);
    expect((await as(t, idle)('GET', '/api/v1/me')).statusCode).toBe(200); // activity extends the idle window
    t.clock.advance(TEST_SETTINGS.auth.sessionIdleMs - MINUTE);
    expect((await as(t, idle)('GET', '/api/v1/me')).statusCode).toBe(200);
    t.clock.advance(TEST_SETTINGS.auth.sessionIdleMs);
    expect((await as(t, idle)('GET', '/api/v1/me')).statusCode).toBe(401);

    const busy = await login(t, p);
    // Active every 12 hours for 30 days: alive until the absolute lifetime, then over.
    const steps = TEST_SETTINGS.auth.sessionMaxAgeMs / (12 * HOUR);
    for (let i = 1; i < steps; i++) {
      t.clock.advance(12 * HOUR);
      expect((await as(t, busy)('GET', '/api/v1/me')).statusCode).toBe(200);
    }
    t.clock.advance(12 * HOUR);
    expect((await as(t, busy)('GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it('refuses a deactivated user on their very next request, session and tokens alike', async () => {
    t = await createTestApp();
    const admin = await login(t, await person(t, 'admin'));
    const bob = await person(t, 'responder');
    const bobSession = await login(t, bob);
    const created = await as(t, bobSession)('POST', '/api/v1/tokens', {
      name: 'cli',
      kind: 'personal',
      scopes: ['read'],
    });
    const token = created.json().token as string;
    expect(
      (await t.app.http.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(200);

    expect((await as(t, admin)('POST', `/api/v1/users/${bob.id}/deactivate`)).statusCode).toBe(200);
    expect((await as(t, bobSession)('GET', '/api/v1/me')).statusCode).toBe(401);
    expect(
      (await t.app.http.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }))
        .statusCode,
    ).toBe(401);
    const again = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: bob.email, password: bob.password },
    });
    expect(again.statusCode).toBe(401);
    // History stays: the user still exists, deactivated.
    expect((await as(t, admin)('GET', `/api/v1/users/${bob.id}`)).json()).toMatchObject({
      status: 'deactivated',
    });
  });

  it('applies a role removed mid-session on the next request', async () => {
    t = await createTestApp();
    const root = await login(t, await person(t, 'admin'));
    const payments = await team(t, 'Payments');
    const rina = await person(t, 'stakeholder', { [payments]: 'admin' });
    const s = await login(t, rina);
    expect((await as(t, s)('PATCH', `/api/v1/teams/${payments}`, { description: 'cards' })).statusCode).toBe(
      200,
    );
    expect(
      (await as(t, root)('PUT', `/api/v1/teams/${payments}/members/${rina.id}`, { role: 'observer' }))
        .statusCode,
    ).toBe(200);
    expect(
      (await as(t, s)('PATCH', `/api/v1/teams/${payments}`, { description: 'wallets' })).statusCode,
    ).toBe(403);
    expect((await as(t, root)('DELETE', `/api/v1/teams/${payments}/members/${rina.id}`)).statusCode).toBe(
      200,
    );
    expect((await as(t, s)('GET', `/api/v1/teams/${payments}`)).statusCode).toBe(404);
  });

  it('requires the CSRF token for writes made with the session cookie', async () => {
    t = await createTestApp();
    const s = await login(t, await person(t, 'admin'));
    const noToken = await as(t, s, { csrf: false })('POST', '/api/v1/teams', { name: 'Ops' });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json()).toMatchObject({ code: 'csrf', detail: expect.stringMatching(/X-CSRF-Token/) });
    const wrong = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/teams',
      payload: { name: 'Ops' },
      headers: { cookie: s.cookie, 'x-csrf-token': 'csrf_forged' },
    });
    expect(wrong.statusCode).toBe(403);
    expect((await as(t, s)('POST', '/api/v1/teams', { name: 'Ops' })).statusCode).toBe(201);
    expect((await as(t, s)('GET', '/api/v1/auth/session')).json().csrfToken).toBe(s.csrf);
  });

  it('throttles failed sign-ins per account: the 11th attempt in a minute gets 429, and the lock lifts by itself', async () => {
    t = await createTestApp();
    const p = await person(t, 'responder');
    const attempt = (password: string, ip = '198.51.100.7') =>
      t!.app.http.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: p.email, password },
        remoteAddress: ip,
      });
    for (let i = 0; i < 10; i++)
      expect((await attempt(`wrong password ${i}`, `198.51.100.${i}`)).statusCode).toBe(401);
    const blocked = await attempt(PASSWORD);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    t.clock.advance(60 * SECOND);
    expect((await attempt(PASSWORD)).statusCode).toBe(200); // never a permanent lockout
    expect(await audit('auth.login_failed')).toHaveLength(10);
    expect(await audit('auth.login_throttled')).toHaveLength(1);
    expect((await audit('auth.login_succeeded')).length).toBe(1);
  });

  it('throttles one client address trying many accounts', async () => {
    t = await createTestApp();
    const people = [];
    for (let i = 0; i < 11; i++) people.push(await person(t, 'observer'));
    const fromAttacker = (email: string) =>
      t!.app.http.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: 'not the password!' },
        remoteAddress: '203.0.113.9',
      });
    for (const p of people.slice(0, 10)) expect((await fromAttacker(p.email)).statusCode).toBe(401);
    expect((await fromAttacker(people[10]!.email)).statusCode).toBe(429);
    // Another address is not affected.
    expect((await login(t, people[10]!, '192.0.2.1')).cookie).toMatch(/^siaga_session=/);
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    t = await createTestApp();
    const p = await person(t, 'observer');
    const unknown = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@example.com', password: PASSWORD },
    });
    const wrong = await t.app.http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: p.email, password: 'wrong password here' },
    });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    const strip = (b: { requestId?: string }) => ({ ...b, requestId: undefined });
    expect(strip(unknown.json())).toEqual(strip(wrong.json()));
  });

  it('accepts a 64-character passphrase and stores only a scrypt hash', async () => {
    t = await createTestApp();
    const admin = await login(t, await person(t, 'admin'));
    const passphrase = 'the quick brown fox jumps over the lazy dog by the river bank 64!';
    expect(passphrase).toHaveLength(65);
    const created = await as(t, admin)('POST', '/api/v1/users', {
      email: 'long@example.com',
      name: 'Long',
      role: 'observer',
      password: passphrase,
    });
    expect(created.statusCode).toBe(201);
    expect(created.body).not.toContain('scrypt');
    const row = await t.tdb.storage.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', 'long@example.com')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$scrypt\$ln=12,r=8,p=1\$/);
    expect((await login(t, { email: 'long@example.com', password: passphrase })).cookie).toBeDefined();
  });
});
