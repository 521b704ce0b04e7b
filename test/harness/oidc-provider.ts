import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
// @ts-expect-error -- oidc-provider ships no type declarations; the few members used here are typed below.
import { Provider as UntypedProvider } from 'oidc-provider';
import type { TestApp } from './app.ts';

/**
 * A real OpenID Provider (the certified `oidc-provider` package) on 127.0.0.1:<free port>, for SSO tests. It has one
 * confidential client that must use PKCE, a mutable set of accounts whose claims include `groups` and
 * `email_verified`, and a tiny interaction: visiting `/interaction/<uid>` signs in the account chosen with
 * `loginAs` (or answers `access_denied` after `denyNextLogin`), so a test drives the whole login with plain
 * `fetch` and a cookie jar. Consent is implied for the one first-party client.
 */

export interface IdpAccount {
  readonly sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export interface TestIdp {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Accounts by `sub`; change one and the next sign-in sees the change. */
  readonly accounts: Map<string, IdpAccount>;
  /** Adds or replaces an account. */
  account(a: IdpAccount): IdpAccount;
  /** The account the next login interaction signs in as. */
  loginAs(sub: string): void;
  /** The next login interaction ends with `error=access_denied` instead. */
  denyNextLogin(): void;
  /** Errors the provider reported (server_error and friends), for debugging a failing test. */
  readonly errors: string[];
  close(): Promise<void>;
}

interface OidcProvider {
  callback(): (req: http.IncomingMessage, res: http.ServerResponse) => void;
  interactionDetails(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<{ prompt: { name: string } }>;
  interactionFinished(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    result: Record<string, unknown>,
    opts?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  on(event: string, fn: (...args: unknown[]) => void): void;
  Grant: new (init: { clientId: string; accountId: string }) => {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  };
}
const Provider = UntypedProvider as new (issuer: string, config: Record<string, unknown>) => OidcProvider;

/** One signing key for every provider of the test run (generating RSA keys is slow). */
const SIGNING_KEY = {
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  kid: 'test-rs256',
  alg: 'RS256',
  use: 'sig',
};

/** The provider's artefacts (codes, sessions, grants) in memory, per provider instance. */
class MemoryAdapter {
  readonly #store = new Map<string, { payload: Record<string, unknown>; consumed?: number }>();
  readonly #name: string;

  constructor(name: string) {
    this.#name = name;
  }

  async upsert(id: string, payload: Record<string, unknown>): Promise<void> {
    this.#store.set(id, { payload });
  }

  async find(id: string): Promise<Record<string, unknown> | undefined> {
    const entry = this.#store.get(id);
    return entry && { ...entry.payload, ...(entry.consumed ? { consumed: entry.consumed } : {}) };
  }

  async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
    for (const [id, entry] of this.#store) if (entry.payload.uid === uid) return this.find(id);
    return undefined;
  }

  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const entry = this.#store.get(id);
    if (entry) entry.consumed = Math.floor(Date.now() / 1000); // the provider's own (real) clock
  }

  async destroy(id: string): Promise<void> {
    this.#store.delete(id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const [id, entry] of this.#store) if (entry.payload.grantId === grantId) this.#store.delete(id);
  }

  toString(): string {
    return `MemoryAdapter(${this.#name})`;
  }
}

export async function startOidcProvider(opts: {
  /** Siaga's callback URLs (`${publicUrl}/api/v1/auth/sso/<slug>/callback`). */
  readonly redirectUris: readonly string[];
  readonly accounts?: readonly IdpAccount[];
}): Promise<TestIdp> {
  const accounts = new Map<string, IdpAccount>((opts.accounts ?? []).map((a) => [a.sub, a]));
  let next: { sub: string } | { deny: true } | undefined;
  const errors: string[] = [];
  const clientId = 'siaga';
  const clientSecret = `cs_${randomBytes(24).toString('base64url')}`;

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [...opts.redirectUris],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    adapter: MemoryAdapter,
    jwks: { keys: [SIGNING_KEY] },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    // PKCE for every client, confidential ones included (the default asks it of public clients only).
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx: unknown, sub: string) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        async claims() {
          const a = accounts.get(sub) ?? account;
          return { ...a, ...(a.groups ? { groups: [...a.groups] } : {}) };
        },
      };
    },
    // The one client is first-party: consent to every scope it asks for is implied.
    async loadExistingGrant(ctx: {
      oidc: {
        client: { clientId: string };
        session: { accountId: string };
        requestParamScopes: Set<string>;
      };
    }) {
      const grant = new provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
      await grant.save();
      return grant;
    },
    renderError(ctx: { type: string; body: string }, out: Record<string, string>) {
      ctx.type = 'json';
      ctx.body = JSON.stringify(out);
    },
  });
  for (const event of ['server_error', 'grant.error', 'authorization.error', 'userinfo.error']) {
    provider.on(event, (...args: unknown[]) => {
      const err = args.find((a) => a instanceof Error);
      errors.push(`${event}: ${err?.message ?? 'unknown'}`);
    });
  }

  const oidc = provider.callback();
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!req.url?.startsWith('/interaction/')) return oidc(req, res);
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (details.prompt.name !== 'login') throw new Error(`unexpected prompt ${details.prompt.name}`);
        const choice = next;
        next = undefined;
        const result =
          choice === undefined
            ? { error: 'login_required', error_description: 'the test chose no account' }
            : 'deny' in choice
              ? { error: 'access_denied', error_description: 'the person declined' }
              : { login: { accountId: choice.sub } };
        await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      } catch (err) {
        errors.push(`interaction: ${(err as Error).message}`);
        res.statusCode = 500;
        res.end((err as Error).message);
      }
    })();
  });

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    errors,
    account(a) {
      accounts.set(a.sub, a);
      return a;
    },
    loginAs(sub) {
      if (!accounts.has(sub)) throw new Error(`no IdP account ${sub}`);
      next = { sub };
    },
    denyNextLogin() {
      next = { deny: true };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/**
 * A minimal cookie jar for one host, enough for a test to play the browser at the provider: it keeps name=value
 * pairs, forgets cleared ones, and sends all of them (the provider's cookies are signed and path-scoped by name).
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const cleared =
        value === '' || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=.*1970/i.test(a));
      if (cleared) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Plays the browser at the provider: GETs `url` and follows its redirects by hand (with the jar) until one
 * leaves the provider, and returns that URL (normally Siaga's callback with `code`, `state` and `iss`).
 */
export async function followAtProvider(idp: TestIdp, url: string, jar = new CookieJar()): Promise<URL> {
  let current = new URL(url);
  for (let hop = 0; hop < 10; hop++) {
    if (current.origin !== new URL(idp.issuer).origin) return current;
    const res = await fetch(current, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(res);
    const location = res.headers.get('location');
    if (!location) {
      throw new Error(
        `the provider answered ${res.status} without a redirect at ${current.pathname}: ${await res.text()} ${idp.errors.join('; ')}`,
      );
    }
    await res.arrayBuffer();
    current = new URL(location, current);
  }
  throw new Error('too many redirects at the provider');
}

export interface SsoAttempt {
  /** The provider's authorization URL Siaga redirected to. */
  readonly authorizationUrl: URL;
  /** Where the provider sent the browser back (Siaga's callback with its query). */
  readonly callbackUrl: URL;
  /** The `Cookie` header value carrying the sign-in's state cookie. */
  readonly stateCookie: string;
  /** Siaga's answer to the callback. */
  readonly response: LightMyRequestResponse;
  /** Its Location header. */
  readonly location: string;
  /** The session cookie (`name=value`) when the sign-in succeeded. */
  readonly sessionCookie: string | undefined;
}

const cookieNamed = (res: LightMyRequestResponse, name: string): string | undefined => {
  const set = res.headers['set-cookie'];
  const lines = Array.isArray(set) ? set : set === undefined ? [] : [set];
  const pair = lines.map((l) => l.split(';')[0]!).find((p) => p.startsWith(`${name}=`));
  return pair === undefined || pair === `${name}=` ? undefined : pair;
};

/** Answers the callback request again, as a browser (or an attacker) replaying it would. */
export async function callSiagaCallback(
  t: TestApp,
  callbackUrl: URL,
  cookie: string | undefined,
): Promise<{ response: LightMyRequestResponse; location: string; sessionCookie: string | undefined }> {
  const response = await t.app.http.inject({
    method: 'GET',
    url: `${callbackUrl.pathname}${callbackUrl.search}`,
    ...(cookie ? { headers: { cookie } } : {}),
  });
  if (response.statusCode !== 302)
    throw new Error(`the callback answered ${response.statusCode}: ${response.body}`);
  return {
    response,
    location: String(response.headers.location),
    sessionCookie: cookieNamed(response, 'siaga_session'),
  };
}

/**
 * One whole sign-in, playing the browser: Siaga's start URL (through `inject`), the provider over real HTTP
 * (logging in as `account`), then Siaga's callback with the state cookie the start set. `beforeCallback` runs
 * while the browser is "at the provider" (to advance the clock, change the provider's data, …).
 */
export async function ssoSignIn(
  t: TestApp,
  idp: TestIdp,
  slug: string,
  opts: {
    account?: string;
    deny?: boolean;
    returnTo?: string;
    beforeCallback?: (callbackUrl: URL) => unknown;
  } = {},
): Promise<SsoAttempt> {
  const query = opts.returnTo === undefined ? '' : `?returnTo=${encodeURIComponent(opts.returnTo)}`;
  const start = await t.app.http.inject({ method: 'GET', url: `/api/v1/auth/sso/${slug}/start${query}` });
  if (start.statusCode !== 302) throw new Error(`start answered ${start.statusCode}: ${start.body}`);
  const authorizationUrl = new URL(String(start.headers.location));
  const stateCookie = cookieNamed(start, 'siaga_sso_state');
  if (!stateCookie) throw new Error(`start set no state cookie; it redirected to ${authorizationUrl.href}`);
  if (opts.deny) idp.denyNextLogin();
  else if (opts.account !== undefined) idp.loginAs(opts.account);
  const callbackUrl = await followAtProvider(idp, authorizationUrl.href);
  await opts.beforeCallback?.(callbackUrl);
  const answer = await callSiagaCallback(t, callbackUrl, stateCookie);
  return { authorizationUrl, callbackUrl, stateCookie, ...answer };
}
