import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  constantTimeEqual,
  hasScope,
  highestRole,
  atLeast,
  resolveApiToken,
  resolveSession,
} from '../../identity/index.ts';
import type { Actor, Origin, Role, TokenScope } from '../../platform/context.ts';
import { usesTls, type Settings } from '../../platform/settings.ts';
import type { Ctx } from '../../storage/index.ts';
import { problem, sendProblem } from './problem.ts';

/**
 * Every API route says who may call it (`config.access`), or the server refuses to start:
 * - `'public'`: anyone (health, sign-in, first-run setup);
 * - `{ minRole, scope }`: a signed-in actor whose highest role (global or in any team) is at least `minRole` and,
 *   for API tokens, whose scopes include `scope`. Object-level checks (which team) happen in the verbs.
 */
export type Access =
  | 'public'
  | {
      readonly minRole: Role;
      readonly scope: TokenScope;
      /**
       * Integration kinds whose key is also accepted as the bearer token (Prometheus and amtool speak only
       * `Authorization: Bearer`): the caller then acts as that integration, for its service only.
       */
      readonly integrationKeys?: readonly IntegrationKeyKind[];
    };

export type IntegrationKeyKind = 'alertmanager' | 'pagerduty' | 'webhook' | 'email';

/** Finds the integration a bearer key belongs to; the composition root supplies it (the catalog does the lookup). */
export type IntegrationKeyResolver = (
  key: string,
  kinds: readonly IntegrationKeyKind[],
) => Promise<Extract<Actor, { kind: 'integration' }> | null>;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    ctx: Ctx;
    session: { id: string; csrfToken: string } | undefined;
  }
}

export interface AuthOptions {
  readonly settings: Settings;
  /** Builds the context for a request from its actor and origin. */
  readonly makeCtx: (actor: Actor, origin: Origin) => Ctx;
  readonly resolveIntegrationKey?: IntegrationKeyResolver;
}

export const sessionCookieName = (settings: Settings): string => cookieName(settings, 'siaga_session');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Personal and service API tokens (identity's `siaga_pat_…`, `siaga_svc_…`). */
const API_TOKEN_PREFIX = /^siaga_(pat|svc)_/;

export async function registerAuth(app: FastifyInstance, opts: AuthOptions): Promise<void> {
  await app.register(cookie);
  const cookieName = sessionCookieName(opts.settings);
  app.decorateRequest('ctx', null as unknown as Ctx);
  app.decorateRequest('session', undefined);

  app.addHook('onRequest', async (req, reply) => {
    const origin: Origin = {
      ip: req.ip,
      requestId: req.id,
      userAgent: String(req.headers['user-agent'] ?? ''),
    };
    const anonymous = opts.makeCtx({ kind: 'anonymous' }, origin);
    req.ctx = anonymous;
    const access = req.routeOptions.config.access ?? 'public';
    // Public routes (health, metrics, sign-in, setup, SSO) act anonymously: no lookup for a cookie they ignore.
    if (access === 'public') return;
    const now = anonymous.clock.now();

    const bearer = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    let actor: Actor | undefined;
    if (bearer) {
      // API tokens carry their prefix; anything else can only be an integration key (no database read for it).
      actor = API_TOKEN_PREFIX.test(bearer) ? await resolveApiToken(anonymous.db, bearer, now) : undefined;
      if (!actor && access.integrationKeys && opts.resolveIntegrationKey)
        actor = (await opts.resolveIntegrationKey(bearer, access.integrationKeys)) ?? undefined;
      if (!actor)
        return deny(
          req,
          reply,
          401,
          'unauthorized',
          'the API token is not valid (unknown, revoked or expired)',
        );
    } else {
      const token = req.cookies[cookieName];
      if (token) {
        const s = await resolveSession(anonymous.db, token, now, opts.settings.auth.sessionIdleMs);
        if (s) {
          actor = s.actor;
          req.session = { id: s.sessionId, csrfToken: s.csrfToken };
        }
      }
    }
    if (actor) req.ctx = { ...anonymous, actor };

    if (!actor)
      return deny(
        req,
        reply,
        401,
        'unauthorized',
        'sign in first (session cookie) or send an API token (Authorization: Bearer)',
      );
    // The route opted in to integration keys; the verbs keep such a caller to its own service.
    if (actor.kind === 'integration') return;
    if (!hasScope(actor, access.scope))
      return deny(req, reply, 403, 'forbidden', `this API token lacks the ${access.scope} scope`);
    // Ingest is a capability, not a rank: an ingest-only token just feeds alerts in.
    if (access.scope === 'ingest' && isIngestOnly(actor)) return;
    const role = highestRole(actor);
    if (!role || !atLeast(role, access.minRole)) {
      return deny(
        req,
        reply,
        403,
        'forbidden',
        `this route needs the ${access.minRole} role${role ? `; you have ${role}` : ''}`,
      );
    }
    // A cookie is sent by the browser whoever wrote the page; a write must also carry the session's CSRF token,
    // which only our own pages can read. Bearer-token calls carry no cookie and need none.
    if (req.session && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !constantTimeEqual(sent, req.session.csrfToken)) {
        return deny(
          req,
          reply,
          403,
          'csrf',
          'missing or wrong X-CSRF-Token header (get it from GET /api/v1/auth/session)',
        );
      }
    }
  });
}

const isIngestOnly = (actor: Actor): boolean =>
  (actor.kind === 'service' || actor.kind === 'user') &&
  actor.scopes !== undefined &&
  actor.scopes.every((s) => s === 'ingest');

function deny(
  req: FastifyRequest,
  reply: FastifyReply,
  status: 401 | 403,
  code: string,
  detail: string,
): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', 'Bearer realm="siaga"');
  return sendProblem(req, reply, problem(req, status, code, detail));
}

/** Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, and Secure + `__Host-` prefix behind TLS. */
/**
 * Writes (or, with `undefined`, clears) one of Siaga's own cookies: HttpOnly, SameSite=Lax, Path=/, and behind
 * TLS `Secure` with the `__Host-` prefix (bound to this exact host). Every cookie Siaga sets goes through here.
 */
export function writeCookie(
  reply: FastifyReply,
  settings: Settings,
  name: string,
  value: string | undefined,
  maxAgeMs?: number,
): void {
  const tls = usesTls(settings);
  const options = { httpOnly: true, sameSite: 'lax' as const, secure: tls, path: '/' };
  const fullName = tls ? `__Host-${name}` : name;
  if (value === undefined) void reply.clearCookie(fullName, options);
  else
    void reply.setCookie(fullName, value, {
      ...options,
      ...(maxAgeMs === undefined ? {} : { maxAge: Math.floor(maxAgeMs / 1000) }),
    });
}

export const cookieName = (settings: Settings, name: string): string =>
  usesTls(settings) ? `__Host-${name}` : name;

export function setSessionCookie(
  reply: FastifyReply,
  settings: Settings,
  token: string,
  maxAgeMs: number,
): void {
  writeCookie(reply, settings, 'siaga_session', token, maxAgeMs);
}

export function clearSessionCookie(reply: FastifyReply, settings: Settings): void {
  writeCookie(reply, settings, 'siaga_session', undefined);
}
