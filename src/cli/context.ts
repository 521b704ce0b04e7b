import { ensureDataDir } from '../app/server.ts';
import { createServices } from '../app/services.ts';
import type { Config } from '../platform/config/index.ts';
import { systemActor } from '../platform/context.ts';
import { createLogger } from '../platform/logger.ts';
import { migrateToLatest, openStorage, type Ctx } from '../storage/index.ts';

/**
 * Runs a verb from the shell: opens (and migrates) the database, builds the same services as the server, acts as
 * the system actor named after the command, and closes everything afterwards.
 */
export async function withCliContext<T>(
  config: Config,
  command: string,
  fn: (ctx: Ctx) => Promise<T>,
): Promise<T> {
  ensureDataDir(config.dataDir);
  const logger = createLogger(config.log.level === 'info' ? 'warn' : config.log.level);
  const services = createServices(config, logger);
  const storage = await openStorage(config.database);
  try {
    await migrateToLatest(storage.db, storage.dialect);
    return await fn({
      ...services,
      db: storage.db,
      dialect: storage.dialect,
      actor: systemActor(`cli:${command}`),
      wakeJobs: () => {},
    });
  } finally {
    await storage.close();
  }
}
