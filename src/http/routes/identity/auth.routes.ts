import type { FastifyInstance } from 'fastify';
import {
  completeSetup,
  getUser,
  IdentitySchemas as S,
  loginWithPassword,
  logout,
  setupNeeded,
  type NewSession,
} from '../../../identity/index.ts';
import type { Settings } from '../../../platform/settings.ts';
import { clearSessionCookie, setSessionCookie } from '../../plugins/auth.ts';

const tags = ['auth'];

/** Sign-in, sign-out, the current session, and first-run setup. */
export function authRoutes(settings: Settings) {
  return async (app: FastifyInstance): Promise<void> => {
    const startSession = async (
      reply: Parameters<typeof setSessionCookie>[0],
      s: NewSession,
      ctx: Parameters<typeof getUser>[0],
    ) => {
      setSessionCookie(reply, settings, s.token, settings.auth.sessionMaxAgeMs);
      const user = await getUser({ ...ctx, actor: { kind: 'system', name: 'session' } }, s.user.id);
      return { user, csrfToken: s.csrfToken, expiresAt: new Date(s.expiresAt).toISOString() };
    };

    app.post(
      '/api/v1/auth/login',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Sign in with email and password; sets the session cookie',
          body: S.LoginBody,
          response: { 200: S.SessionView },
        },
      },
      async (req, reply) => {
        const body = req.body as { email: string; password: string };
        const session = await loginWithPassword(req.ctx, body);
        return startSession(reply, session, req.ctx);
      },
    );

    app.post(
      '/api/v1/auth/logout',
      {
        config: { access: { minRole: 'stakeholder', scope: 'read' } },
        schema: { tags, summary: 'End the current session', body: S.Empty, response: { 200: S.Empty } },
      },
      async (req, reply) => {
        if (req.session) await logout(req.ctx, req.session.id);
        clearSessionCookie(reply, settings);
        return {};
      },
    );

    app.get(
      '/api/v1/auth/session',
      {
        config: { access: { minRole: 'stakeholder', scope: 'read' } },
        schema: {
          tags,
          summary: 'Who is signed in, and the CSRF token for writes',
          response: { 200: S.SessionView },
        },
      },
      async (req) => {
        const actor = req.ctx.actor;
        const userId = actor.kind === 'user' ? actor.userId : '';
        return { user: await getUser(req.ctx, userId), csrfToken: req.session?.csrfToken ?? '' };
      },
    );

    app.get(
      '/api/v1/setup',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Whether first-run setup is still needed',
          response: { 200: S.SetupStatus },
        },
      },
      async (req) => ({ needed: await setupNeeded(req.ctx) }),
    );

    app.post(
      '/api/v1/setup',
      {
        config: { access: 'public' },
        schema: {
          tags,
          summary: 'Create the first administrator with the one-time setup token printed by the server',
          body: S.SetupBody,
          response: { 201: S.SessionView },
        },
      },
      async (req, reply) => {
        const body = req.body as {
          token: string;
          email: string;
          name: string;
          password: string;
          timeZone?: string;
        };
        const session = await completeSetup(req.ctx, body);
        return reply.status(201).send(await startSession(reply, session, req.ctx));
      },
    );
  };
}
