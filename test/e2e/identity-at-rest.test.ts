import { afterEach, describe, expect, it } from 'vitest';
import { issueSetupToken } from '../../src/identity/index.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, cookieFrom } from '../harness/identity.ts';
import { foundIn, rawDatabase } from '../harness/raw-db.ts';

/**
 * Done-when of the identity issue: after a first run, sign-ins, a second person, an API token and an SSO provider,
 * the raw database (SQLite file, WAL and shm; or a pg_dump) holds none of the secrets in any encoding: passwords,
 * the setup token, session tokens, the API token and the SSO client secret are stored hashed or sealed.
 */
describe(`identity secrets at rest (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('stores no password, token or client secret in plain text', async () => {
    t = await createTestApp();
    const http = t.app.http;
    const secrets: Record<string, string> = {};

    secrets.setupToken = (await issueSetupToken(t.app.ctx({ kind: 'system', name: 'test' })))!;
    secrets.adminPassword = 'at-rest probe passphrase ONE 1';
    const setup = await http.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: {
        token: secrets.setupToken,
        email: 'root@example.com',
        name: 'Root',
        password: secrets.adminPassword,
      },
    });
    expect(setup.statusCode).toBe(201);
    const admin = { cookie: cookieFrom(setup), csrf: setup.json<{ csrfToken: string }>().csrfToken };
    secrets.adminSession = admin.cookie.split('=')[1]!;

    secrets.userPassword = 'at-rest probe passphrase TWO 2';
    const control = 'rina.control.value@example.com';
    expect(
      (
        await as(t, admin)('POST', '/api/v1/users', {
          email: control,
          name: 'Rina',
          role: 'responder',
          password: secrets.userPassword,
        })
      ).statusCode,
    ).toBe(201);
    const login = await http.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: control, password: secrets.userPassword },
    });
    secrets.userSession = cookieFrom(login).split('=')[1]!;

    const token = await as(t, admin)('POST', '/api/v1/tokens', {
      name: 'probe',
      kind: 'personal',
      scopes: ['read'],
    });
    secrets.apiToken = token.json<{ token: string }>().token;

    secrets.clientSecret = 'at-rest-probe-client-secret-THREE-3';
    const sso = await as(t, admin)('POST', '/api/v1/sso/providers', {
      slug: 'corp',
      displayName: 'Corp',
      issuer: 'http://127.0.0.1:9/',
      clientId: 'siaga',
      clientSecret: secrets.clientSecret,
    });
    expect(sso.statusCode).toBe(201);
    expect(sso.body).not.toContain(secrets.clientSecret);

    for (const raw of await rawDatabase(t.tdb)) {
      expect(
        foundIn(raw, control).length,
        'the control value (an email) is found: the search works',
      ).toBeGreaterThan(0);
      const leaks = Object.entries(secrets)
        .filter(([, value]) => foundIn(raw, value).length > 0)
        .map(([name]) => name);
      expect(leaks).toEqual([]);
    }
  });
});
