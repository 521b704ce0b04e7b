import { startServer } from '../../app/server.ts';
import { createLogger } from '../../platform/logger.ts';
import { configFrom, type GlobalOptions } from '../load.ts';

/** Runs the server until SIGTERM or SIGINT, then shuts down gracefully within the configured timeout. */
export async function serveCommand(opts: GlobalOptions): Promise<void> {
  const config = configFrom(opts);
  const logger = createLogger(config.log.level);
  const server = await startServer(config, logger);

  // Ctrl-C on `npm start` delivers SIGINT twice (the terminal's, and npm's forwarded copy), so a repeat within a
  // second is the same request; a signal after that means "stop now" from a person who is waiting.
  let firstSignalAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const now = performance.now();
    if (firstSignalAt !== undefined) {
      if (now - firstSignalAt < 1000) return;
      logger.warn({ signal }, 'second signal: exiting without waiting for the shutdown to finish');
      process.exit(1);
    }
    firstSignalAt = now;
    logger.info({ signal }, 'signal received');
    // Whatever happens, the process is gone shortly after the timeout: a stuck handler cannot hold it hostage.
    setTimeout(() => {
      logger.error('shutdown took too long; exiting now');
      process.exit(1);
    }, config.server.shutdownTimeoutMs + 1500).unref();
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));
}
