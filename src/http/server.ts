import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { registerJsonBody } from './plugins/json-body.ts';
import { registerHttpMetrics } from './plugins/metrics.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { problem, registerProblemHandler, sendProblem } from './plugins/problem.ts';
import { genReqId, registerRequestIdHeader } from './plugins/request-id.ts';
import { lazyCompilers } from './plugins/validation.ts';
import { enforceRouteSchemas } from './plugins/route-table.ts';
import { registerWebApp, sendIndex, wantsSpaShell } from './plugins/web.ts';
import { systemRoutes, type SystemRouteDeps } from './routes/system.routes.ts';
import { catalogRoutes } from './routes/catalog/index.ts';
import { alertingRoutes } from './routes/alerting/index.ts';
import { responseRoutes } from './routes/response/index.ts';
import type { EpochMs } from '../platform/clock.ts';
import { auditRoutes } from './routes/identity/audit.routes.ts';
import { authRoutes } from './routes/identity/auth.routes.ts';
import { ssoRoutes } from './routes/identity/sso.routes.ts';
import { teamRoutes } from './routes/identity/teams.routes.ts';
import { tokenRoutes } from './routes/identity/tokens.routes.ts';
import { userRoutes } from './routes/identity/users.routes.ts';
import { registerAuth, type AuthOptions } from './plugins/auth.ts';
import { integrationKeyResolver } from './plugins/integration-keys.ts';
import type { Settings } from '../platform/settings.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Requests being handled now (answered ones no longer count, even if their connection stays open). */
    requestsInFlight(): number;
  }
}

export interface HttpServerOptions {
  readonly logger: Logger;
  readonly version: string;
  readonly publicUrl: string;
  readonly bodyLimit: number;
  readonly trustProxy: boolean;
  readonly metrics: Registry;
  readonly webDistDir: string;
  readonly system: Omit<SystemRouteDeps, 'metrics'>;
  readonly settings: Settings;
  readonly makeCtx: AuthOptions['makeCtx'];
  /** When this server started (Alertmanager's status shows it as `uptime`). */
  readonly startedAt: EpochMs;
}

/** Builds the Fastify app without listening (tests use `inject()`; `serve` calls `listen`). */
export async function buildHttpServer(opts: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger,
    genReqId,
    // Request lines are written by our own onResponse hook (debug for success, error for 5xx).
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit,
    trustProxy: opts.trustProxy,
    // Keep-alive connections that are idle are closed at shutdown; busy ones finish their request first.
    forceCloseConnections: 'idle',
    // A client that trickles its headers or body (slow-loris) is cut off instead of holding a socket forever.
    requestTimeout: 30_000,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    schemaController: lazyCompilers,
  }) as unknown as FastifyInstance;

  app.server.headersTimeout = 20_000;
  enforceRouteSchemas(app);
  registerJsonBody(app);
  registerProblemHandler(app);
  registerRequestIdHeader(app);
  registerHttpMetrics(app, opts.metrics);
  // While shutting down, tell keep-alive clients to hang up after this response, so an idle connection does not
  // hold the process until the shutdown deadline.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  // Requests between their first hook and their answer; shutdown may cut the remaining connections once it is 0.
  let inFlight = 0;
  app.decorate('requestsInFlight', () => inFlight);
  app.addHook('onRequest', (_req, _reply, done) => {
    inFlight++;
    done();
  });
  // Every hook on the hot path takes a callback rather than returning a promise: an async hook costs each request
  // a promise and a trip through the microtask queue.
  app.addHook('onResponse', (req, reply, done) => {
    inFlight--;
    const level = reply.statusCode >= 500 ? 'error' : 'debug';
    req.log[level](
      { method: req.method, url: req.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
    done();
  });
  app.addHook('onRequestAbort', (_req, done) => {
    inFlight--;
    done();
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'same-origin');
    void reply.header('x-frame-options', 'DENY');
    done(null, payload);
  });

  await registerAuth(app, {
    settings: opts.settings,
    makeCtx: opts.makeCtx,
    resolveIntegrationKey: integrationKeyResolver(opts.makeCtx),
  });
  await registerWebApp(app, opts.webDistDir);
  registerOpenApi(app, { version: opts.version, publicUrl: opts.publicUrl });
  await app.register(systemRoutes({ ...opts.system, metrics: opts.metrics }));
  await app.register(authRoutes(opts.settings));
  await app.register(ssoRoutes(opts.settings));
  await app.register(userRoutes);
  await app.register(teamRoutes);
  await app.register(tokenRoutes);
  await app.register(auditRoutes);
  await app.register(catalogRoutes);
  await app.register(
    alertingRoutes({
      version: opts.version,
      startedAt: opts.startedAt,
      pagerDutyEventsPerMinute: opts.settings.alerting.pagerDutyEventsPerMinute,
    }),
  );
  await app.register(responseRoutes);

  app.setNotFoundHandler((req, reply) => {
    if (wantsSpaShell(req) && app.hasReplyDecorator('sendFile')) return sendIndex(reply);
    return sendProblem(
      req,
      reply,
      problem(req, 404, 'not_found', `no route for ${req.method} ${req.url.split('?')[0]}`),
    );
  });
  return app;
}
