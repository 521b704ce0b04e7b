import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { issueSetupToken } from '../../src/identity/index.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, cookieFrom } from '../harness/identity.ts';

describe(`secrets never reach the logs (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('logs no password, session, CSRF token, API token, setup token or SSO client secret, even at trace level', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    t = await createTestApp({ logger: createLogger('trace', sink) });
    const secrets: string[] = [];
    const http = t.app.http;

    const setupToken = (await issueSetupToken(t.app.ctx({ kind: 'system', name: 'test' })))!;
    const adminPassword = 'log-probe passphrase ALPHA 9';
    secrets.push(setupToken, adminPassword);
    const setup = await http.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { token: setupToken, email: 'root@example.com', name: 'Root', password: adminPassword },
    });
    const session = { cookie: cookieFrom(setup), csrf: setup.json<{ csrfToken: string }>().csrfToken };
    secrets.push(session.cookie.split('=')[1]!, session.csrf);

    const userPassword = 'log-probe passphrase BRAVO 7';
    secrets.push(userPassword);
    const user = await as(t, session)('POST', '/api/v1/users', {
      email: 'u@example.com',
      name: 'U',
      role: 'responder',
      password: userPassword,
    });
    const wrong = 'log-probe wrong guess CHARLIE';
    secrets.push(wrong);
    await http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'u@example.com', password: wrong },
    });
    const ok = await http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'u@example.com', password: userPassword },
      headers: { 'x-request-id': 'probe-1' },
    });
    secrets.push(cookieFrom(ok).split('=')[1]!);

    const newPassword = 'log-probe passphrase DELTA 5';
    secrets.push(newPassword);
    await as(t, session)('PUT', `/api/v1/users/${user.json<{ id: string }>().id}/password`, { newPassword });

    const { token } = (
      await as(t, session)('POST', '/api/v1/tokens', { name: 'probe', kind: 'personal', scopes: ['read'] })
    ).json<{ token: string }>();
    secrets.push(token);
    await http.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    await http.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}x` } });
    const clientSecret = 'log-probe-client-secret-ECHO-3';
    secrets.push(clientSecret);
    const sso = await as(t, session)('POST', '/api/v1/sso/providers', {
      slug: 'corp',
      displayName: 'Corp',
      issuer: 'http://127.0.0.1:9/',
      clientId: 'siaga',
      clientSecret,
    });
    expect(sso.statusCode).toBe(201);
    // A request that fails validation echoes nothing of the body into the log either.
    await http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'x', password: newPassword, extra: 1 },
    });

    const log = lines.join('');
    // The logger really was writing: one line per request, including the failed sign-in.
    expect(log).toContain('"url":"/api/v1/auth/login","statusCode":401');
    for (const secret of secrets)
      expect(log.includes(secret), `log contains ${secret.slice(0, 12)}…`).toBe(false);
  });
});
