import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { listenForWakeups, releaseAllLeases, type WakeListener } from '../jobs/index.ts';
import { systemClock } from '../platform/clock.ts';
import { makeDirs } from '../platform/fs.ts';
import { leaveStartupMode } from '../platform/startup-mode.ts';
import { createSecretBox, loadKeyring } from '../platform/secrets/index.ts';
import type { Config } from '../platform/config/index.ts';
import {
  acquireProcessLock,
  migrateToLatest,
  openStorage,
  type ProcessLock,
  type Storage,
} from '../storage/index.ts';
import { buildApp, type App, type AppOverrides } from './build-app.ts';
import { scheduleAlertingSweep } from '../alerting/index.ts';
import { scheduleHandoffScan } from '../response/index.ts';
import { applyDeclarations } from './declarations.ts';
import { startIdleCompaction } from './idle-compaction.ts';
import { startEmailIn } from './email-in.ts';
import { issueSetupToken, setupLink } from '../identity/index.ts';
import { systemActor } from '../platform/context.ts';

/** A failure to start that the operator can fix; its message is the one line they see. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

export interface RunningServer {
  readonly app: App;
  /** The address actually bound (PORT=0 picks a free port). */
  readonly url: string;
  /** Finishes in-flight requests and jobs (up to the shutdown timeout), then closes the database. */
  stop(): Promise<void>;
}

/**
 * Start order: data directory → database → single-server lock (SQLite) → migrations → app → listen → job runner.
 * Anything that fails undoes what was done before it, so a failed start leaves nothing open or locked.
 */
export async function startServer(
  config: Config,
  logger: Logger,
  overrides: AppOverrides & { announce?: (line: string) => void } = {},
): Promise<RunningServer> {
  ensureDataDir(config.dataDir);
  const keyring = loadKeyring(config);
  if (keyring.created && config.database.dialect === 'postgres') {
    logger.warn(
      `created a new secret key file ${config.secrets.keyFile}; every node must share one key: set SIAGA_SECRET_KEY on all nodes or copy this file to each`,
    );
  }
  const secrets = overrides.secrets ?? createSecretBox(keyring);
  const undo: (() => Promise<void> | void)[] = [];
  const rollback = async () => {
    for (const step of undo.reverse()) await Promise.resolve(step()).catch(() => {});
  };
  try {
    const storage: Storage = await openStorage(config.database);
    undo.push(() => storage.close());
    let lock: ProcessLock | undefined;
    if (storage.target.dialect === 'sqlite') {
      lock = acquireProcessLock(storage.target.file, {
        url: config.server.publicUrl,
        startedAt: new Date(systemClock.now()).toISOString(),
      });
      undo.push(() => lock?.release());
    }
    await warnAboutClockSkew(storage, config, logger);
    const applied = await migrateToLatest(storage.db, storage.dialect);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    // One process owns a SQLite file (the lock above), so singleton-loop leases left by a previous process are
    // stale: release them now rather than wait out their TTL (a page stuck behind a dead dispatcher's lease).
    if (storage.target.dialect === 'sqlite') await releaseAllLeases(storage.db);

    const app = await buildApp(config, storage, logger, { ...overrides, secrets });
    undo.push(() => app.http.close());
    if (config.declarations) {
      const report = await applyDeclarations(app.ctx(systemActor('config-file')), config.declarations);
      logger.info(report, 'declarations from the config file applied');
      if (report.released.length > 0)
        logger.warn(
          { services: report.released },
          'services no longer in the config file are now managed through the API',
        );
      const released = {
        channels: report.releasedChannels,
        escalationPolicies: report.releasedEscalationPolicies,
      };
      if (released.channels.length + released.escalationPolicies.length > 0)
        logger.warn(
          released,
          'channels and escalation policies no longer in the config file are now managed through the API',
        );
    }
    await scheduleAlertingSweep(app.ctx(systemActor('alerting')));
    await scheduleHandoffScan(app.ctx(systemActor('on-call')));
    const MiB = 1024 * 1024;
    const compaction = startIdleCompaction(({ residentBefore, residentAfter, ms }) =>
      logger.debug(
        { rssMiB: [Math.round(residentBefore / MiB), Math.round(residentAfter / MiB)], ms: Math.round(ms) },
        'idle: heap compacted',
      ),
    );
    undo.push(() => compaction.stop());
    const url = await listen(app, config);
    const emailIn = await startEmailIn(app, config, logger);
    if (emailIn) undo.push(() => emailIn.close());

    await announceFirstRun(app, logger, overrides.announce ?? ((line) => process.stderr.write(`${line}\n`)));
    app.runner.start();
    undo.push(() => app.runner.stop(0).then(() => {}));
    let wake: WakeListener | undefined;
    if (storage.target.dialect === 'postgres') {
      wake = listenForWakeups(storage.target.url, () => app.runner.poke(), logger);
    }
    logger.info(
      {
        url,
        database: storage.dialect,
        dataDir: config.dataDir,
        ...(storage.target.dialect === 'sqlite' ? { file: storage.target.file } : {}),
      },
      'siaga is ready',
    );
    leaveStartupMode();

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        const deadline = performance.now() + config.server.shutdownTimeoutMs;
        logger.info('shutting down: finishing in-flight requests and jobs');
        compaction.stop();
        await Promise.all([
          closeHttp(app, Math.max(0, deadline - performance.now() - 500)),
          emailIn?.close(),
        ]);
        const unfinished = await app.runner.stop(Math.max(0, deadline - performance.now()));
        if (unfinished > 0)
          logger.warn(
            { unfinished },
            'jobs still running at shutdown; their leases will expire and they will run again',
          );
        await wake?.close();
        await storage.close();
        lock?.release();
        logger.info('stopped');
      })());
    return { app, url, stop };
  } catch (err) {
    await rollback();
    throw err;
  }
}

/**
 * With no account in the database, prints a one-time link to create the first administrator. There is no default
 * account or password. The link goes to standard error as plain text (standard output carries only JSON log
 * lines), once per start.
 */
async function announceFirstRun(app: App, logger: Logger, announce: (line: string) => void): Promise<void> {
  const ctx = app.ctx(systemActor('first-run'));
  const token = await issueSetupToken(ctx);
  if (!token) return;
  logger.warn(
    'no user exists yet: open the setup link printed on standard error to create the first administrator',
  );
  announce('');
  announce('  Siaga has no users yet. Create the first administrator here (valid for 24 hours, once):');
  announce(`  ${setupLink(ctx, token)}`);
  announce('  Or from a shell: siaga admin create --email you@example.com --name "Your Name"');
  announce('');
}

/**
 * Several nodes share leases and due times through the database, each reading its own clock. A node whose clock
 * is far off the database's can take over a live lease or run work early, so say so loudly at start.
 */
async function warnAboutClockSkew(storage: Storage, config: Config, logger: Logger): Promise<void> {
  const before = systemClock.now();
  const dbNow = await storage.serverTime();
  if (dbNow === undefined) return;
  const skewMs = Math.round((before + systemClock.now()) / 2 - dbNow);
  if (Math.abs(skewMs) >= config.jobs.leaseMs / 4) {
    logger.error(
      { skewMs },
      'this node’s clock differs from the database’s by more than a quarter of the job lease; sync it with NTP (jobs may run twice or late)',
    );
  } else if (Math.abs(skewMs) >= 1000) {
    logger.warn(
      { skewMs },
      'this node’s clock differs from the database’s by more than a second; sync it with NTP',
    );
  }
}

async function listen(app: App, config: Config): Promise<string> {
  try {
    return await app.http.listen({
      host: config.server.host,
      port: config.server.port,
      listenTextResolver: (address) => `http server listening at ${address}`,
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const where = `${config.server.host}:${config.server.port}`;
    if (code === 'EADDRINUSE')
      throw new StartupError(
        `port ${config.server.port} on ${config.server.host} is already in use; stop what uses it or set PORT to a free port`,
      );
    if (code === 'EACCES')
      throw new StartupError(
        `not allowed to listen on ${where}; ports below 1024 need privileges, set PORT to 1024 or above`,
      );
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new StartupError(
        `cannot listen on ${where}: the address ${config.server.host} is not on this machine; check HOST`,
      );
    throw err;
  }
}

/** Stops accepting connections and waits for in-flight requests; past the deadline, cuts remaining connections. */
async function closeHttp(app: App, withinMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      app.http.server.closeAllConnections();
      resolve();
    }, withinMs);
  });
  // Once every request has its answer, a connection still open is only a client that has not hung up (or one
  // answered before its body finished arriving, e.g. a 401): nothing is lost by cutting it.
  const poll = setInterval(() => {
    if (app.http.requestsInFlight() <= 0) app.http.server.closeAllConnections();
  }, 100);
  await Promise.race([app.http.close(), cut]);
  clearTimeout(timer);
  clearInterval(poll);
}

const DIR_PROBLEMS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EEXIST: 'a file with that name exists and is not a directory',
  ENOENT: 'a part of the path cannot be created there',
};

/** Creates the data directory and proves it is writable before anything else touches it. */
export function ensureDataDir(dir: string): void {
  const probe = path.join(dir, `.write-test-${process.pid}`);
  try {
    makeDirs(dir);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
    throw new StartupError(
      `data directory ${dir} is not writable: ${DIR_PROBLEMS[code] ?? code}; set SIAGA_DATA_DIR to a writable directory`,
    );
  }
}
