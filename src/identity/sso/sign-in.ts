import type * as oidc from 'openid-client';
import { MINUTE, type EpochMs } from '../../platform/clock.ts';
import { AppError } from '../../platform/errors.ts';
import { hitRateLimit, inTx, type Ctx } from '../../storage/index.ts';
import { userActor } from '../actor.ts';
import { appendAudit } from '../audit.ts';
import { createSession, type NewSession } from '../sessions.ts';
import { constantTimeEqual, hashToken } from '../tokens.ts';
import { lacksClaims, readIdentity } from './claims.ts';
import { SSO_CODE_VERIFIER } from './columns.ts';
import { clientConfiguration, loadOpenIdClient, rememberKeys } from './discovery.ts';
import { failLogin, loginErrorPath, SsoFailure, type SsoErrorCode } from './failure.ts';
import { redirectUriFor, toProvider, type SsoProviderRow } from './model.ts';
import { provisionSsoUser } from './provision.ts';
import {
  deleteExpiredLoginStates,
  findProviderRowBySlug,
  insertLoginState,
  takeLoginState,
} from './sso.repo.ts';
import { safeReturnTo } from './validate.ts';

/** A sign-in must come back from the provider within this time. */
export const LOGIN_STATE_TTL_MS = 10 * MINUTE;
/** Sign-ins one client address may start per minute (each writes a row, so this bounds the table). */
export const SSO_STARTS_PER_MINUTE = 30;

export interface SsoStart {
  /** Where to send the browser: the provider's authorization endpoint, or the sign-in page with an error. */
  readonly location: string;
  /**
   * The `state` of the new sign-in, for the edge to keep in a short-lived cookie: the callback must arrive in
   * the browser that started it, so nobody can sign a victim in as themselves with their own callback link.
   */
  readonly state?: string;
}

/**
 * Starts a sign-in with a provider (anyone may: this is how people sign in): remembers the state, nonce, PKCE
 * verifier (sealed) and where to go afterwards, then points the browser at the provider's authorization endpoint.
 */
export async function startSsoSignIn(
  ctx: Ctx,
  input: { slug: string; returnTo?: string },
): Promise<SsoStart> {
  const row = await findProviderRowBySlug(ctx.db, input.slug);
  if (!row || !row.enabled) return { location: loginErrorPath('provider_unavailable') };
  let config: oidc.Configuration;
  try {
    config = await clientConfiguration(ctx, row);
  } catch (err) {
    ctx.log.warn({ err, provider: row.slug }, 'SSO provider discovery failed');
    return { location: loginErrorPath('provider_unavailable') };
  }
  const lib = await loadOpenIdClient();
  const state = lib.randomState();
  const nonce = lib.randomNonce();
  const codeVerifier = lib.randomPKCECodeVerifier();
  const now = ctx.clock.now();
  const id = ctx.ids.next('ssl');
  await inTx(ctx, async (tx) => {
    const limit = await hitRateLimit(tx.db, {
      bucket: `sso:start:ip:${ctx.origin?.ip ?? 'unknown'}`,
      limit: SSO_STARTS_PER_MINUTE,
      windowMs: MINUTE,
      now,
    });
    if (!limit.allowed)
      throw new AppError('rate_limited', 'too many sign-ins started from this address; try again later', {
        retryAfterSeconds: limit.retryAfterSeconds,
      });
    await deleteExpiredLoginStates(tx.db, now);
    await insertLoginState(tx.db, {
      id,
      provider_id: row.id,
      state_hash: hashToken(state),
      nonce,
      code_verifier: tx.secrets.seal(codeVerifier, SSO_CODE_VERIFIER.aad(id)),
      return_to: safeReturnTo(input.returnTo),
      created_at: now,
      expires_at: (now + LOGIN_STATE_TTL_MS) as EpochMs,
    });
  });
  const url = lib.buildAuthorizationUrl(config, {
    redirect_uri: redirectUriFor(ctx.settings.publicUrl, row.slug),
    scope: row.scopes,
    state,
    nonce,
    code_challenge: await lib.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  });
  return { location: url.href, state };
}

export interface SsoFinish {
  /** The return path after a sign-in, or `/login?error=<code>`. */
  readonly location: string;
  readonly session?: NewSession;
  readonly error?: SsoErrorCode;
}

/**
 * Finishes a sign-in when the provider sends the browser back: takes the sign-in state once, exchanges the code
 * (with the PKCE verifier), validates the ID token, finds or creates the user, applies the group mapping and
 * starts a session. Every refusal ends on the sign-in page with a short error code and an audit entry; nothing
 * here answers with a server error.
 */
export async function finishSsoSignIn(
  ctx: Ctx,
  input: { slug: string; search: string; browserState: string | undefined },
): Promise<SsoFinish> {
  let row: SsoProviderRow | undefined;
  try {
    row = await findProviderRowBySlug(ctx.db, input.slug);
    if (!row || !row.enabled) failLogin('provider_unavailable', 'no enabled provider with this slug');
    const provider = row;
    const { session, returnTo } = await completeSignIn(ctx, provider, input);
    return { location: returnTo, session };
  } catch (err) {
    const failure =
      err instanceof SsoFailure
        ? err
        : new SsoFailure('sso_failed', `unexpected: ${(err as Error)?.message}`);
    if (!(err instanceof SsoFailure))
      ctx.log.error({ err, provider: input.slug }, 'SSO sign-in failed unexpectedly');
    await recordFailure(ctx, input.slug, row, failure);
    return { location: loginErrorPath(failure.code), error: failure.code };
  }
}

async function completeSignIn(
  ctx: Ctx,
  row: SsoProviderRow,
  input: { slug: string; search: string; browserState: string | undefined },
): Promise<{ session: NewSession; returnTo: string }> {
  const params = new URLSearchParams(input.search);
  const state = params.get('state');
  if (!state) failLogin('state_invalid', 'the callback has no state parameter');
  // Checked before the state is taken, so a forged link cannot use up someone else's sign-in.
  if (input.browserState === undefined || !constantTimeEqual(input.browserState, state))
    failLogin('state_invalid', 'the callback did not arrive in the browser that started the sign-in');
  const started = await inTx(ctx, (tx) => takeLoginState(tx.db, hashToken(state)));
  if (!started || started.provider_id !== row.id) failLogin('state_invalid', 'unknown or already used state');
  if (started.expires_at <= ctx.clock.now()) failLogin('state_expired', 'the sign-in state expired');
  const idpError = params.get('error');
  if (idpError !== null) {
    const description = params.get('error_description');
    failLogin(
      'idp_error',
      `the provider answered ${idpError}${description ? `: ${description}` : ''}`.slice(0, 300),
    );
  }

  // Network I/O (discovery, token exchange, UserInfo), outside any transaction.
  let config: oidc.Configuration;
  try {
    config = await clientConfiguration(ctx, row);
  } catch (err) {
    failLogin('provider_unavailable', `discovery failed: ${(err as Error).message}`);
  }
  const lib = await loadOpenIdClient();
  const callback = new URL(redirectUriFor(ctx.settings.publicUrl, row.slug));
  callback.search = params.toString();
  let claims: Record<string, unknown> & { iss: string; sub: string };
  try {
    const tokens = await lib.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: ctx.secrets.open(started.code_verifier, SSO_CODE_VERIFIER.aad(started.id)),
      expectedState: state,
      expectedNonce: started.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken) throw new Error('no ID token');
    claims = { ...idToken };
    if (
      lacksClaims(claims, row.groups_claim) &&
      config.serverMetadata().userinfo_endpoint &&
      tokens.access_token
    ) {
      // ID token claims win; UserInfo only fills in what the ID token left out.
      claims = { ...(await lib.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...idToken };
    }
    await rememberKeys(row, config);
  } catch (err) {
    failLogin('token_invalid', describe(err));
  }

  const provider = toProvider(row);
  const identity = readIdentity(claims, provider.groupsClaim);
  return inTx(ctx, async (tx) => {
    const user = await provisionSsoUser(tx, provider, identity);
    const session = await createSession(tx, user, 'sso');
    await appendAudit(
      { ...tx, actor: await userActor(tx.db, user, 'session') },
      {
        action: 'auth.login_succeeded',
        object: { type: 'user', id: user.id },
        detail: `sso:${provider.slug}`,
      },
    );
    return { session, returnTo: started.return_to };
  });
}

/** A one-line reason for the audit log: openid-client's code, the OAuth error, and the underlying cause. */
function describe(err: unknown): string {
  const e = err as {
    message?: string;
    code?: string;
    error?: string;
    error_description?: string;
    cause?: unknown;
  };
  const parts = [e.code, e.error, e.error_description ?? e.message];
  if (Array.isArray(e.cause)) {
    // WWW-Authenticate challenges, e.g. the token endpoint refusing the client's credentials.
    for (const c of e.cause as { parameters?: { error?: string; error_description?: string } }[])
      parts.push(c.parameters?.error, c.parameters?.error_description);
  } else if (typeof (e.cause as { message?: unknown } | undefined)?.message === 'string') {
    parts.push((e.cause as { message: string }).message);
  }
  return parts.filter(Boolean).join(': ').slice(0, 300) || 'unknown error';
}

async function recordFailure(
  ctx: Ctx,
  slug: string,
  row: SsoProviderRow | undefined,
  failure: SsoFailure,
): Promise<void> {
  try {
    await inTx(ctx, (tx) =>
      appendAudit(tx, {
        action: 'auth.login_failed',
        outcome: 'failure',
        object: failure.userId
          ? { type: 'user', id: failure.userId }
          : { type: 'sso_provider', id: row?.id ?? slug.slice(0, 100) },
        detail: `sso:${slug.slice(0, 100)}: ${failure.code}: ${failure.message}`,
      }),
    );
  } catch (err) {
    ctx.log.error({ err }, 'could not write the audit entry of a failed SSO sign-in');
  }
}
