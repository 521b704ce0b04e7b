import { afterEach, describe, expect, it } from 'vitest';
import { SSO_CLIENT_SECRET } from '../../src/identity/index.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, login, person, team, type Session } from '../harness/identity.ts';
import { ssoSignIn, startOidcProvider, type TestIdp } from '../harness/oidc-provider.ts';
import { TEST_SECRETS, TEST_SETTINGS } from '../harness/services.ts';

/** Admins manage OpenID Connect providers; the client secret goes in and never comes out. */
describe(`SSO providers (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  let idp: TestIdp | undefined;
  afterEach(async () => {
    await idp?.close();
    await t?.close();
    idp = undefined;
    t = undefined;
  });

  const body = (issuer: string, extra: Record<string, unknown> = {}) => ({
    slug: 'acme',
    displayName: 'Acme ID',
    issuer,
    clientId: 'siaga',
    clientSecret: 'first-secret-VALUE-0001',
    ...extra,
  });

  async function admin(): Promise<Session> {
    t = await createTestApp();
    return login(t, await person(t, 'admin'));
  }

  it('never returns the client secret nor stores it in plaintext, and audits every change with it redacted', async () => {
    const s = await admin();
    idp = await startOidcProvider({
      redirectUris: [`${TEST_SETTINGS.publicUrl}/api/v1/auth/sso/acme/callback`],
      accounts: [{ sub: 'u1', email: 'u1@example.com', email_verified: true, name: 'U1', groups: ['sre'] }],
    });
    const api = as(t!, s);
    const created = await api('POST', '/api/v1/sso/providers', {
      ...body(idp.issuer, { clientId: idp.clientId, clientSecret: idp.clientSecret }),
      scopes: 'openid email profile groups',
      roleMappings: [{ group: 'sre', role: 'responder' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const view = created.json<Record<string, unknown> & { id: string }>();
    expect(view).toEqual({
      id: expect.stringMatching(/^sso_/),
      slug: 'acme',
      displayName: 'Acme ID',
      issuer: idp.issuer,
      clientId: idp.clientId,
      hasClientSecret: true,
      scopes: 'openid email profile groups',
      groupsClaim: 'groups',
      roleMappings: [{ group: 'sre', role: 'responder' }],
      teamMappings: [],
      defaultRole: null,
      jit: true,
      enabled: true,
      redirectUri: 'http://127.0.0.1:8080/api/v1/auth/sso/acme/callback',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = view.id;

    // A sign-in works with the stored secret (and leaves a sealed PKCE verifier behind while in flight).
    const signIn = await ssoSignIn(t!, idp, 'acme', { account: 'u1' });
    expect(signIn.location).toBe('/');
    await t!.app.http.inject({ url: '/api/v1/auth/sso/acme/start' });

    const replaced = await api('PATCH', `/api/v1/sso/providers/${id}`, {
      clientSecret: 'second-secret-VALUE-0002',
      displayName: 'Acme',
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ displayName: 'Acme', hasClientSecret: true });
    const listed = await api('GET', '/api/v1/sso/providers');
    expect(listed.json()).toEqual([expect.objectContaining({ id, displayName: 'Acme' })]);

    const db = t!.tdb.storage.db;
    const row = await db
      .selectFrom('sso_providers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.client_secret).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(TEST_SECRETS.open(row.client_secret, SSO_CLIENT_SECRET.aad(id))).toBe('second-secret-VALUE-0002');
    // Bound to its row: the same sealed value does not open as another provider's secret.
    expect(() => TEST_SECRETS.open(row.client_secret, SSO_CLIENT_SECRET.aad('sso_other'))).toThrow();

    const deleted = await api('DELETE', `/api/v1/sso/providers/${id}`);
    expect(deleted.statusCode).toBe(204);
    expect((await api('GET', '/api/v1/sso/providers')).json()).toEqual([]);

    const auditRows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('object_id', '=', id)
      .orderBy('id')
      .execute();
    expect(auditRows.map((a) => [a.action, a.detail])).toEqual([
      ['sso_provider.created', null],
      ['sso_provider.updated', 'client secret replaced'],
      ['sso_provider.deleted', null],
    ]);
    expect(JSON.parse(auditRows[1]!.before!)).toMatchObject({
      displayName: 'Acme ID',
      hasClientSecret: true,
    });

    const responses = [created, replaced, listed].map((r) => r.body).join('\n');
    const stored = JSON.stringify([
      row,
      await db.selectFrom('sso_login_states').selectAll().execute(),
      await db.selectFrom('audit_log').selectAll().execute(),
    ]);
    for (const secret of [idp.clientSecret, 'second-secret-VALUE-0002']) {
      expect(responses).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
  });

  it('lists only enabled providers, by slug and name, to anyone on the sign-in page', async () => {
    const s = await admin();
    const api = as(t!, s);
    const a = await api('POST', '/api/v1/sso/providers', body('https://id.example.com'));
    await api(
      'POST',
      '/api/v1/sso/providers',
      body('https://login.example.org/realms/x', { slug: 'b', displayName: 'B' }),
    );
    const anon = () => t!.app.http.inject({ url: '/api/v1/auth/sso/providers' });
    expect((await anon()).json()).toEqual([
      { slug: 'acme', displayName: 'Acme ID', startUrl: '/api/v1/auth/sso/acme/start' },
      { slug: 'b', displayName: 'B', startUrl: '/api/v1/auth/sso/b/start' },
    ]);
    await api('PATCH', `/api/v1/sso/providers/${a.json().id}`, { enabled: false });
    expect((await anon()).json()).toEqual([
      { slug: 'b', displayName: 'B', startUrl: '/api/v1/auth/sso/b/start' },
    ]);
  });

  it('validates providers: https issuers (http only on loopback), openid scope, real teams, unique slugs', async () => {
    const s = await admin();
    const api = as(t!, s);
    const post = (extra: Record<string, unknown>, issuer = 'https://id.example.com') =>
      api('POST', '/api/v1/sso/providers', body(issuer, extra));
    const pointers = async (res: Awaited<ReturnType<typeof post>>) => {
      expect(res.statusCode, res.body).toBe(400);
      return res.json<{ errors?: { pointer: string }[] }>().errors?.map((e) => e.pointer);
    };
    expect(await pointers(await post({}, 'http://id.example.com'))).toEqual(['/issuer']);
    expect(await pointers(await post({}, 'https://id.example.com/?x=1'))).toEqual(['/issuer']);
    expect(await pointers(await post({}, 'not a url'))).toEqual(['/issuer']);
    expect(await pointers(await post({ scopes: 'email profile' }))).toEqual(['/scopes']);
    expect(
      await pointers(
        await post({
          teamMappings: [{ group: 'g', teamId: 'team_00000000000000000000000000', role: 'admin' }],
        }),
      ),
    ).toEqual(['/teamMappings/0/teamId']);
    expect((await post({ slug: 'Acme!' })).statusCode).toBe(400);
    expect((await post({ roleMappings: [{ group: 'g', role: 'owner' }] })).statusCode).toBe(400);
    expect((await post({ clientSecret: undefined })).statusCode).toBe(400);
    expect((await post({ surprise: true })).statusCode).toBe(400);

    for (const [slug, issuer] of [
      ['lo4', 'http://127.0.0.1:9999'],
      ['lo6', 'http://[::1]:9999'],
      ['lohost', 'http://localhost:9999/realms/dev'],
    ] as const) {
      expect((await post({ slug }, issuer)).statusCode).toBe(201);
    }
    const ops = await team(t!, 'Ops');
    const ok = await post({
      teamMappings: [{ group: 'sre', teamId: ops, role: 'responder' }],
      scopes: 'openid  openid groups',
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({
      scopes: 'openid groups',
      teamMappings: [{ group: 'sre', teamId: ops, role: 'responder' }],
    });
    expect((await post({})).statusCode).toBe(409);
    const id = ok.json<{ id: string }>().id;
    expect((await api('PATCH', `/api/v1/sso/providers/${id}`, { slug: 'lo4' })).statusCode).toBe(409);
    expect(
      (await api('PATCH', `/api/v1/sso/providers/${id}`, { issuer: 'http://evil.example' })).statusCode,
    ).toBe(400);
    expect((await api('PATCH', `/api/v1/sso/providers/${id}`, {})).statusCode).toBe(400);
    expect(
      (await api('PATCH', '/api/v1/sso/providers/sso_00000000000000000000000000', { enabled: false }))
        .statusCode,
    ).toBe(404);
    expect((await api('DELETE', '/api/v1/sso/providers/sso_00000000000000000000000000')).statusCode).toBe(
      404,
    );
  });

  it('lets only global admins manage providers (a team admin may not)', async () => {
    await admin();
    const ops = await team(t!, 'Ops');
    const lead = await login(t!, await person(t!, 'responder', { [ops]: 'admin' }));
    const api = as(t!, lead);
    expect((await api('GET', '/api/v1/sso/providers')).statusCode).toBe(403);
    expect((await api('POST', '/api/v1/sso/providers', body('https://id.example.com'))).statusCode).toBe(403);
    expect(await t!.tdb.storage.db.selectFrom('sso_providers').select('id').execute()).toEqual([]);
  });
});
