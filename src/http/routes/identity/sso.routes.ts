import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import {
  createSsoProvider,
  deleteSsoProvider,
  finishSsoSignIn,
  IdentitySchemas as S,
  listSignInProviders,
  listSsoProviders,
  LOGIN_STATE_TTL_MS,
  SsoSchemas as SS,
  startSsoSignIn,
  updateSsoProvider,
  type CreateSsoProviderInput,
  type UpdateSsoProviderInput,
} from '../../../identity/index.ts';
import type { Settings } from '../../../platform/settings.ts';
import { cookieName, setSessionCookie, writeCookie, type Access } from '../../plugins/auth.ts';

const tags = ['sso'];
const admin: Access = { minRole: 'admin', scope: 'admin' };
type IdParams = { id: string };
type SlugParams = { slug: string };

/**
 * The `state` of a sign-in in flight, kept in the browser that started it (HttpOnly, SameSite=Lax so it comes
 * back on the provider's top-level redirect, 10 minutes). The callback must carry it (login-CSRF protection).
 */
const STATE_COOKIE = 'siaga_sso_state';
const stateCookieName = (settings: Settings): string => cookieName(settings, STATE_COOKIE);

function setStateCookie(reply: FastifyReply, settings: Settings, state: string | undefined): void {
  writeCookie(reply, settings, STATE_COOKIE, state, LOGIN_STATE_TTL_MS);
}

/** Single sign-on: the providers admins manage, the list the sign-in page shows, and the OpenID Connect flow. */
export function ssoRoutes(settings: Settings) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/api/v1/sso/providers',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'SSO providers (admins); client secrets are never shown',
          response: { 200: Type.Array(SS.SsoProviderView) },
        },
      },
      async (req) => listSsoProviders(req.ctx),
    );
    app.post(
      '/api/v1/sso/providers',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Add an OpenID Connect provider (admins)',
          body: SS.CreateSsoProviderBody,
          response: { 201: SS.SsoProviderView },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await createSsoProvider(req.ctx, req.body as CreateSsoProviderInput)),
    );
    app.patch(
      '/api/v1/sso/providers/:id',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Change an SSO provider; a clientSecret here replaces the stored one (admins)',
          params: S.IdParams,
          body: SS.UpdateSsoProviderBody,
          response: { 200: SS.SsoProviderView },
        },
      },
      async (req) =>
        updateSsoProvider(req.ctx, (req.params as IdParams).id, req.body as UpdateSsoProviderInput),
    );
    app.delete(
      '/api/v1/sso/providers/:id',
      {
        config: { access: admin },
        schema: {
          tags,
          summary: 'Remove an SSO provider; its users stay (admins)',
          params: S.IdParams,
          response: { 204: Type.Null() },
        },
      },
      async (req, reply) => {
        await deleteSsoProvider(req.ctx, (req.params as IdParams).id);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/v1/auth/sso/providers',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'The sign-in buttons: enabled SSO providers',
          response: { 200: Type.Array(SS.SignInProvider) },
        },
      },
      async (req) =>
        (await listSignInProviders(req.ctx)).map((p) => ({
          ...p,
          startUrl: `/api/v1/auth/sso/${p.slug}/start`,
        })),
    );
    app.get(
      '/api/v1/auth/sso/:slug/start',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Start signing in with a provider: redirects to it (or to /login?error=…)',
          params: SS.SlugParams,
          querystring: SS.StartQuery,
          response: { 302: SS.Redirect },
        },
      },
      async (req, reply) => {
        const { slug } = req.params as SlugParams;
        const { returnTo } = req.query as { returnTo?: string };
        const start = await startSsoSignIn(req.ctx, {
          slug,
          ...(returnTo === undefined ? {} : { returnTo }),
        });
        if (start.state !== undefined) setStateCookie(reply, settings, start.state);
        return reply.header('cache-control', 'no-store').redirect(start.location, 302);
      },
    );
    app.get(
      '/api/v1/auth/sso/:slug/callback',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Where the provider sends the browser back; signs in and redirects (or to /login?error=…)',
          params: SS.SlugParams,
          response: { 302: SS.Redirect },
        },
      },
      async (req, reply) => {
        const { slug } = req.params as SlugParams;
        const q = req.url.indexOf('?');
        const result = await finishSsoSignIn(req.ctx, {
          slug,
          search: q === -1 ? '' : req.url.slice(q + 1),
          browserState: req.cookies[stateCookieName(settings)],
        });
        setStateCookie(reply, settings, undefined);
        if (result.session)
          setSessionCookie(reply, settings, result.session.token, settings.auth.sessionMaxAgeMs);
        return reply.header('cache-control', 'no-store').redirect(result.location, 302);
      },
    );
  };
}
