import { ensureDataDir } from '../../app/server.ts';
import { describeConfig } from '../../platform/config/index.ts';
import { openStorage } from '../../storage/index.ts';
import { configFrom, type GlobalOptions } from '../load.ts';

/** Validates the configuration and prints the effective settings and where each came from (secrets masked). */
export async function configCheckCommand(
  opts: GlobalOptions & { connect?: boolean },
  out: (line: string) => void,
): Promise<void> {
  const config = configFrom(opts);
  const rows = describeConfig(config);
  const width = Math.max(...rows.map((r) => r.key.length));
  out(`configuration is valid${config.file ? ` (file: ${config.file})` : ''}`);
  for (const r of rows)
    out(`  ${r.key.padEnd(width)}  ${r.value}  [${r.source === 'env' ? r.env : r.source}]`);
  if (opts.connect) {
    ensureDataDir(config.dataDir);
    const storage = await openStorage(config.database);
    await storage.close();
    out(`database reachable (${storage.dialect})`);
  }
}
