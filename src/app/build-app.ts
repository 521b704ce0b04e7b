import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { alertingSweepHandler } from '../alerting/index.ts';
import { buildHttpServer } from '../http/server.ts';
import { JobRunner, type JobHandler } from '../jobs/index.ts';
import { createHttpSender } from '../platform/net/http-sender.ts';
import { outboundPolicyOf } from '../platform/net/outbound-policy.ts';
import { createDispatcher, createNotifiers, RESPONSE_HANDLERS } from '../response/index.ts';
import type { Config } from '../platform/config/index.ts';
import { systemActor, type Actor, type Origin, type Services } from '../platform/context.ts';
import { epochMs } from '../platform/clock.ts';
import { createMetricsRegistry } from '../platform/metrics.ts';
import './secret-columns.ts';
import { createServices, type ServiceOverrides } from './services.ts';
import type { Ctx, Storage } from '../storage/index.ts';
import { createDomainMetrics } from './domain-metrics.ts';
import { createJobMetrics } from './job-metrics.ts';
import { checkReadiness } from './readiness.ts';
import { REPO_ROOT, VERSION } from './version.ts';

export interface AppOverrides extends ServiceOverrides {
  readonly workerId?: string;
  readonly webDistDir?: string;
}

export interface App {
  readonly config: Config;
  readonly storage: Storage;
  readonly services: Services;
  readonly runner: JobRunner;
  readonly http: FastifyInstance;
  readonly metrics: Registry;
  readonly startedAt: Date;
  /** A context for a verb called outside HTTP (CLI, startup tasks). */
  ctx(actor?: Actor): Ctx;
}

/** Every job handler the app runs. Stage modules add theirs here as they arrive. */
export const JOB_HANDLERS: readonly JobHandler<any>[] = [alertingSweepHandler, ...RESPONSE_HANDLERS];

/**
 * The composition root: builds everything from config, an opened (and migrated) storage and overrides.
 * Production and tests call the same function; tests pass a ManualClock and drive `runner.drainUntilIdle()`.
 */
export async function buildApp(
  config: Config,
  storage: Storage,
  logger: Logger,
  overrides: AppOverrides = {},
): Promise<App> {
  const metrics = createMetricsRegistry();
  const services = { ...createServices(config, logger, overrides), metrics: createDomainMetrics(metrics) };
  const clock = services.clock;
  const startedAt = new Date(clock.now());
  const workerId = overrides.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const dispatcher = createDispatcher({
    owner: workerId,
    notifiers: createNotifiers(services.settings.notify, services.settings.publicUrl),
    http: createHttpSender(outboundPolicyOf(services.settings)),
  });
  const runner = new JobRunner(storage, services, {
    workerId,
    loops: [dispatcher],
    handlers: JOB_HANDLERS,
    concurrency: config.jobs.concurrency,
    leaseMs: config.jobs.leaseMs,
    pollIntervalMs: config.jobs.pollIntervalMs,
    observer: createJobMetrics(metrics, storage),
  });
  const makeCtx = (actor: Actor, origin?: Origin): Ctx => ({
    ...services,
    db: storage.db,
    dialect: storage.dialect,
    actor,
    ...(origin ? { origin } : {}),
    wakeJobs: () => runner.poke(),
    jobs: runner,
  });
  const http = await buildHttpServer({
    logger,
    settings: services.settings,
    makeCtx,
    startedAt: epochMs(startedAt.getTime()),
    version: VERSION,
    publicUrl: config.server.publicUrl,
    bodyLimit: config.server.bodyLimit,
    trustProxy: config.server.trustProxy,
    metrics,
    webDistDir: overrides.webDistDir ?? path.join(REPO_ROOT, 'web', 'dist'),
    system: {
      readiness: () => checkReadiness(storage),
      about: () => ({
        name: 'siaga',
        version: VERSION,
        node: process.version,
        database: { dialect: storage.dialect },
        startedAt: startedAt.toISOString(),
        uptimeSeconds: Math.max(0, Math.floor((clock.now() - startedAt.getTime()) / 1000)),
      }),
    },
  });
  return {
    config,
    storage,
    services,
    runner,
    http,
    metrics,
    startedAt,
    ctx: (actor = systemActor('app')) => makeCtx(actor),
  };
}
