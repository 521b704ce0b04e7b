import { ensureDataDir } from '../../app/server.ts';
import { migrateToLatest, migrationStatus, openStorage } from '../../storage/index.ts';
import { configFrom, type GlobalOptions } from '../load.ts';

/** Applies pending migrations (the server also does this at start) or, with --status, only lists them. */
export async function migrateCommand(
  opts: GlobalOptions & { status?: boolean },
  out: (line: string) => void,
): Promise<void> {
  const config = configFrom(opts);
  if (config.database.dialect === 'sqlite') ensureDataDir(config.dataDir);
  const storage = await openStorage(config.database);
  try {
    if (opts.status) {
      const s = await migrationStatus(storage.db, storage.dialect);
      for (const id of s.applied) out(`applied  ${id}`);
      for (const id of s.pending) out(`pending  ${id}`);
      for (const id of s.unknown) out(`unknown  ${id} (applied by a newer Siaga)`);
      return;
    }
    const applied = await migrateToLatest(storage.db, storage.dialect);
    if (applied.length === 0) out(`database is up to date (${storage.dialect})`);
    for (const id of applied) out(`applied  ${id}`);
  } finally {
    await storage.close();
  }
}
