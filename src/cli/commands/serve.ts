import { startServer } from '../../app/server.ts';
import { createLogger } from '../../platform/logger.ts';
import { configFrom, type GlobalOptions } from '../load.ts';

/** Runs the server until SIGTERM or SIGINT, then shuts down gracefully within the configured timeout. */
export async function serveCommand(opts: GlobalOptions): Promise<void> {
  const config = configFrom(opts);
  const logger = createLogger(config.log.level);
  const server = await startServer(config, logger);

  const shutdown = (signal: string) => {
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
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));
}
