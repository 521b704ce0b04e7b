import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/platform/clock.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, login, person, team, type Session } from '../harness/identity.ts';
import {
  callSiagaCallback,
  followAtProvider,
  ssoSignIn,
  startOidcProvider,
  type IdpAccount,
  type TestIdp,
} from '../harness/oidc-provider.ts';
import { TEST_SETTINGS } from '../harness/services.ts';

/**
 * Single sign-on end to end: a real OpenID Provider (oidc-provider) on 127.0.0.1 and Siaga's real routes; the
 * test plays the browser, following redirects by hand, and Siaga talks to the provider over HTTP (discovery,
 * token exchange with PKCE, ID token validation, UserInfo).
 */

const SLUG = 'acme';
const CALLBACK = `${TEST_SETTINGS.publicUrl}/api/v1/auth/sso/${SLUG}/callback`;

const RINA: IdpAccount = {
  sub: 'rina-0001',
  email: 'Rina@Example.com',
  email_verified: true,
  name: 'Rina Wijaya',
  groups: ['sre'],
};

describe(`SSO sign-in with OpenID Connect (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  let idp: TestIdp | undefined;
  afterEach(async () => {
    await idp?.close();
    await t?.close();
    idp = undefined;
    t = undefined;
  });

  interface World {
    t: TestApp;
    idp: TestIdp;
    admin: Session;
    ops: string;
    providerId: string;
  }

  async function setup(provider: Record<string, unknown> = {}): Promise<World> {
    t = await createTestApp();
    idp = await startOidcProvider({ redirectUris: [CALLBACK], accounts: [{ ...RINA }] });
    const admin = await login(t, await person(t, 'admin'));
    const ops = await team(t, 'Ops');
    const res = await as(t, admin)('POST', '/api/v1/sso/providers', {
      slug: SLUG,
      displayName: 'Acme ID',
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      scopes: 'openid email profile groups',
      roleMappings: [
        { group: 'siaga-admins', role: 'admin' },
        { group: 'sre', role: 'responder' },
        { group: 'viewers', role: 'observer' },
      ],
      teamMappings: [
        { group: 'sre', teamId: ops, role: 'responder' },
        { group: 'sre-leads', teamId: ops, role: 'admin' },
      ],
      defaultRole: null,
      ...provider,
    });
    expect(res.statusCode, res.body).toBe(201);
    return { t, idp, admin, ops, providerId: res.json<{ id: string }>().id };
  }

  const audit = (w: World, action: string) =>
    w.t.tdb.storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', action)
      .orderBy('id')
      .execute();

  const userByEmail = (w: World, email: string) =>
    w.t.tdb.storage.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();

  const me = async (w: World, cookie: string | undefined) =>
    (await w.t.app.http.inject({ url: '/api/v1/me', headers: cookie ? { cookie } : {} })).json<{
      email: string;
      role: string;
      sso: boolean;
      teams: { teamId: string; role: string }[];
    }>();

  it('creates the user just in time with the role and team membership their groups map to, using PKCE', async () => {
    const w = await setup();
    const r = await ssoSignIn(w.t, w.idp, SLUG, { account: RINA.sub, returnTo: '/incidents?open=1' });

    // The authorization request uses PKCE (S256) and carries state and nonce.
    const auth = r.authorizationUrl.searchParams;
    expect(r.authorizationUrl.origin).toBe(w.idp.issuer);
    expect(auth.get('code_challenge_method')).toBe('S256');
    expect(auth.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(auth.get('redirect_uri')).toBe(CALLBACK);
    expect(auth.get('scope')).toBe('openid email profile groups');
    expect(auth.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(auth.get('nonce')).toMatch(/^[\w-]{20,}$/);

    expect(r.location).toBe('/incidents?open=1');
    expect(r.sessionCookie).toMatch(/^siaga_session=ssn_/);
    const who = await me(w, r.sessionCookie);
    expect(who).toMatchObject({ email: 'rina@example.com', role: 'responder', sso: true });
    expect(who.teams).toEqual([expect.objectContaining({ teamId: w.ops, role: 'responder' })]);

    const row = await userByEmail(w, 'rina@example.com');
    expect(row).toMatchObject({
      name: 'Rina Wijaya',
      sso_subject: `${w.idp.issuer}#${RINA.sub}`,
      password_hash: null,
    });
    const session = await w.t.tdb.storage.db
      .selectFrom('sessions')
      .select('method')
      .where('user_id', '=', row!.id)
      .execute();
    expect(session).toEqual([{ method: 'sso' }]);
    const ok = await audit(w, 'auth.login_succeeded');
    expect(ok.at(-1)).toMatchObject({ object_id: row!.id, detail: `sso:${SLUG}`, actor_id: row!.id });
    expect(await audit(w, 'user.created')).toContainEqual(
      expect.objectContaining({ object_id: row!.id, actor_label: `system:sso:${SLUG}` }),
    );
    expect(await audit(w, 'team.member_added')).toContainEqual(
      expect.objectContaining({ object_id: row!.id, team_id: w.ops, actor_label: `system:sso:${SLUG}` }),
    );
    // The verifier of a sign-in in flight is sealed at rest, and the used sign-in is gone.
    expect(await w.t.tdb.storage.db.selectFrom('sso_login_states').selectAll().execute()).toEqual([]);
  });

  it('keeps the PKCE verifier sealed while the sign-in is in flight, and the provider refuses a request without PKCE', async () => {
    const w = await setup();
    const start = await w.t.app.http.inject({ url: `/api/v1/auth/sso/${SLUG}/start` });
    const stored = await w.t.tdb.storage.db.selectFrom('sso_login_states').selectAll().execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.code_verifier).toMatch(/^v1\.[0-9a-f]{8}\./);
    const url = new URL(String(start.headers.location));
    expect(stored[0]!.state_hash).not.toBe(url.searchParams.get('state'));

    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    w.idp.loginAs(RINA.sub);
    const back = await followAtProvider(w.idp, url.href);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('changes the role and team role on the next sign-in when the provider changes the groups', async () => {
    const w = await setup();
    const first = await ssoSignIn(w.t, w.idp, SLUG, { account: RINA.sub });
    expect((await me(w, first.sessionCookie)).role).toBe('responder');

    w.idp.accounts.get(RINA.sub)!.groups = ['siaga-admins', 'sre-leads'];
    const second = await ssoSignIn(w.t, w.idp, SLUG, { account: RINA.sub });
    const who = await me(w, second.sessionCookie);
    expect(who.role).toBe('admin');
    expect(who.teams).toEqual([expect.objectContaining({ teamId: w.ops, role: 'admin' })]);
    // The first session sees the change at once: roles are read per request.
    expect((await me(w, first.sessionCookie)).role).toBe('admin');

    w.idp.accounts.get(RINA.sub)!.groups = ['viewers'];
    const third = await ssoSignIn(w.t, w.idp, SLUG, { account: RINA.sub });
    expect((await me(w, third.sessionCookie)).role).toBe('observer');

    const user = await userByEmail(w, 'rina@example.com');
    const changes = (await audit(w, 'user.role_changed')).filter((e) => e.object_id === user!.id);
    expect(
      changes.map((e) => [e.actor_label, JSON.parse(e.before!).role, JSON.parse(e.after!).role]),
    ).toEqual([
      [`system:sso:${SLUG}`, 'responder', 'admin'],
      [`system:sso:${SLUG}`, 'admin', 'observer'],
    ]);
    expect((await audit(w, 'team.member_role_changed')).filter((e) => e.object_id === user!.id)).toHaveLength(
      1,
    );
    expect(await w.t.tdb.storage.db.selectFrom('users').select('id').execute()).toHaveLength(2); // admin + Rina
  });

  it('links an existing user by email when the provider says the email is verified', async () => {
    const w = await setup();
    const existing = await person(w.t, 'observer');
    w.idp.account({
      sub: 'legacy-7',
      email: existing.email,
      email_verified: true,
      name: 'Legacy',
      groups: [],
    });
    const r = await ssoSignIn(w.t, w.idp, SLUG, { account: 'legacy-7' });
    expect(r.location).toBe('/');
    const who = await me(w, r.sessionCookie);
    expect(who).toMatchObject({ email: existing.email, role: 'observer', sso: true });
    const row = await userByEmail(w, existing.email);
    expect(row!.sso_subject).toBe(`${w.idp.issuer}#legacy-7`);
    expect(row!.password_hash).not.toBeNull(); // the password still works too
    expect(await audit(w, 'user.sso_linked')).toEqual([
      expect.objectContaining({ object_id: existing.id, actor_label: `system:sso:${SLUG}` }),
    ]);

    // The next sign-in finds the user by subject, even after the email changes at the provider.
    w.idp.accounts.get('legacy-7')!.email = 'renamed@example.com';
    const again = await ssoSignIn(w.t, w.idp, SLUG, { account: 'legacy-7' });
    expect((await me(w, again.sessionCookie)).email).toBe(existing.email);
  });

  it('never demotes the last active administrator through a group mapping', async () => {
    const w = await setup();
    const adminRow = await w.t.tdb.storage.db
      .selectFrom('users')
      .selectAll()
      .where('role', '=', 'admin')
      .executeTakeFirstOrThrow();
    w.idp.account({
      sub: 'boss',
      email: adminRow.email,
      email_verified: true,
      name: 'Boss',
      groups: ['viewers'],
    });
    const r = await ssoSignIn(w.t, w.idp, SLUG, { account: 'boss' });
    expect(r.location).toBe('/');
    expect((await me(w, r.sessionCookie)).role).toBe('admin');
    expect((await audit(w, 'user.role_changed')).at(-1)).toMatchObject({
      outcome: 'failure',
      object_id: adminRow.id,
      detail: expect.stringContaining('kept admin: this is the last active administrator'),
    });
  });

  it('refuses to link an existing user when the provider has not verified the email', async () => {
    const w = await setup({ defaultRole: 'observer' });
    const existing = await person(w.t, 'admin');
    w.idp.account({
      sub: 'mallory',
      email: existing.email,
      email_verified: false,
      name: 'M',
      groups: ['siaga-admins'],
    });
    const r = await ssoSignIn(w.t, w.idp, SLUG, { account: 'mallory' });
    expect(r.location).toBe('/login?error=email_unverified');
    expect(r.sessionCookie).toBeUndefined();
    expect((await userByEmail(w, existing.email))!.sso_subject).toBeNull();
    expect((await audit(w, 'auth.login_failed')).at(-1)).toMatchObject({
      outcome: 'failure',
      object_type: 'user',
      object_id: existing.id,
      detail: expect.stringMatching(/^sso:acme: email_unverified: /),
    });
  });

  it('refuses an unknown person when just-in-time creation is off', async () => {
    const w = await setup({ jit: false, defaultRole: 'observer' });
    const r = await ssoSignIn(w.t, w.idp, SLUG, { account: RINA.sub });
    expect(r.location).toBe('/login?error=no_account');
    expect(r.sessionCookie).toBeUndefined();
    expect(await userByEmail(w, 'rina@example.com')).toBeUndefined();
    expect((await audit(w, 'auth.login_failed')).at(-1)).toMatchObject({
      object_type: 'sso_provider',
      object_id: w.providerId,
      detail: expect.stringMatching(/^sso:acme: no_account: /),
    });
  });

  it('refuses a person whose groups map to nothing when there is no default role, and admits them with one', async () => {
    const w = await setup();
    w.idp.accounts.get(RINA.sub)!.groups = ['marketing'];
    const refused = await ssoSignIn(w.t, w.idp, SLUG, { account: RINA.sub });
    expect(refused.location).toBe('/login?error=no_role');
    expect(await userByEmail(w, 'rina@example.com')).toBeUndefined();
    expect((await audit(w, 'auth.login_failed')).at(-1)!.detail).toContain('[marketing] match no mapping');

    await as(w.t, w.admin)('PATCH', `/api/v1/sso/providers/${w.providerId}`, { defaultRole: 'stakeholder' });
    const admitted = await ssoSignIn(w.t, w.idp, SLUG, { account: RINA.sub });
    expect((await me(w, admitted.sessionCookie)).role).toBe('stakeholder');
  });

  it('refuses a deactivated user', async () => {
    const w = await setup();
    await ssoSignIn(w.t, w.idp, SLUG, { account: RINA.sub });
    const user = await userByEmail(w, 'rina@example.com');
    expect((await as(w.t, w.admin)('POST', `/api/v1/users/${user!.id}/deactivate`)).statusCode).toBe(200);
    const r = await ssoSignIn(w.t, w.idp, SLUG, { account: RINA.sub });
    expect(r.location).toBe('/login?error=account_deactivated');
    expect(r.sessionCookie).toBeUndefined();
    expect((await audit(w, 'auth.login_failed')).at(-1)).toMatchObject({ object_id: user!.id });
  });

  it('uses a sign-in state once: replaying the callback is refused', async () => {
    const w = await setup();
    const r = await ssoSignIn(w.t, w.idp, SLUG, { account: RINA.sub });
    expect(r.sessionCookie).toBeDefined();
    const replay = await callSiagaCallback(w.t, r.callbackUrl, r.stateCookie);
    expect(replay.location).toBe('/login?error=state_invalid');
    expect(replay.sessionCookie).toBeUndefined();
    expect((await audit(w, 'auth.login_failed')).at(-1)!.detail).toBe(
      'sso:acme: state_invalid: unknown or already used state',
    );
    expect(await audit(w, 'auth.login_succeeded')).toHaveLength(2); // the admin's password sign-in + Rina once
  });

  it('refuses a sign-in state older than 10 minutes', async () => {
    const w = await setup();
    const r = await ssoSignIn(w.t, w.idp, SLUG, {
      account: RINA.sub,
      beforeCallback: () => w.t.clock.advance(11 * MINUTE),
    });
    expect(r.location).toBe('/login?error=state_expired');
    expect(r.sessionCookie).toBeUndefined();
    expect(await userByEmail(w, 'rina@example.com')).toBeUndefined();
  });

  it('refuses a callback that arrives in another browser than the one that started the sign-in (login CSRF)', async () => {
    const w = await setup();
    // An attacker signs in at the provider as themselves and sends the victim the resulting callback link.
    const start = await w.t.app.http.inject({ url: `/api/v1/auth/sso/${SLUG}/start` });
    w.idp.loginAs(RINA.sub);
    const link = await followAtProvider(w.idp, String(start.headers.location));
    const victim = await callSiagaCallback(w.t, link, undefined);
    expect(victim.location).toBe('/login?error=state_invalid');
    expect(victim.sessionCookie).toBeUndefined();
    const other = await callSiagaCallback(w.t, link, 'siaga_sso_state=someone-elses-state');
    expect(other.location).toBe('/login?error=state_invalid');
    // The forged attempts did not use up the real sign-in.
    expect(await w.t.tdb.storage.db.selectFrom('sso_login_states').select('id').execute()).toHaveLength(1);
  });

  it('ignores a return path that leaves the site (no open redirect)', async () => {
    const w = await setup();
    for (const returnTo of [
      'https://evil.example',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      const r = await ssoSignIn(w.t, w.idp, SLUG, { account: RINA.sub, returnTo });
      expect(`${returnTo} → ${r.location}`).toBe(`${returnTo} → /`);
      expect(r.sessionCookie).toBeDefined();
    }
  });

  it('turns an error from the provider into a sign-in page error, never a server error', async () => {
    const w = await setup();
    const denied = await ssoSignIn(w.t, w.idp, SLUG, { deny: true });
    expect(denied.callbackUrl.searchParams.get('error')).toBe('access_denied');
    expect(denied.location).toBe('/login?error=idp_error');
    expect((await audit(w, 'auth.login_failed')).at(-1)!.detail).toBe(
      'sso:acme: idp_error: the provider answered access_denied: the person declined',
    );

    // An ID token that does not match the sign-in (here: its nonce) is refused by validation.
    const tampered = await ssoSignIn(w.t, w.idp, SLUG, {
      account: RINA.sub,
      beforeCallback: () =>
        w.t.tdb.storage.db
          .updateTable('sso_login_states')
          .set({ nonce: 'not-the-nonce-that-was-sent' })
          .execute(),
    });
    expect(tampered.location).toBe('/login?error=token_invalid');
    expect((await audit(w, 'auth.login_failed')).at(-1)!.detail).toMatch(/nonce/);

    // A wrong client secret: the provider refuses the code exchange.
    await as(w.t, w.admin)('PATCH', `/api/v1/sso/providers/${w.providerId}`, {
      clientSecret: 'wrong secret',
    });
    const wrong = await ssoSignIn(w.t, w.idp, SLUG, { account: RINA.sub });
    expect(wrong.location).toBe('/login?error=token_invalid');
    expect((await audit(w, 'auth.login_failed')).at(-1)!.detail).toMatch(/invalid_client/);

    // A disabled or unknown provider.
    await as(w.t, w.admin)('PATCH', `/api/v1/sso/providers/${w.providerId}`, { enabled: false });
    const off = await w.t.app.http.inject({ url: `/api/v1/auth/sso/${SLUG}/start` });
    expect([off.statusCode, off.headers.location]).toEqual([302, '/login?error=provider_unavailable']);
    const late = await callSiagaCallback(w.t, wrong.callbackUrl, wrong.stateCookie);
    expect(late.location).toBe('/login?error=provider_unavailable');
    const unknown = await w.t.app.http.inject({ url: '/api/v1/auth/sso/nobody/callback?code=x&state=y' });
    expect([unknown.statusCode, unknown.headers.location]).toEqual([
      302,
      '/login?error=provider_unavailable',
    ]);
    expect(w.idp.errors.filter((e) => e.startsWith('server_error'))).toEqual([]);
  });
});
