import '../../app/secret-columns.ts';
import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { ensureDataDir } from '../../app/server.ts';
import type { Config } from '../../platform/config/index.ts';
import {
  columnName,
  countSealedByKey,
  countsByKey,
  dropOldKeys,
  keyringProblems,
  readKeyring,
  rotateKeys,
  secretColumns,
  SecretsError,
  type Keyring,
} from '../../platform/secrets/index.ts';
import { migrateToLatest, openStorage, type Storage } from '../../storage/index.ts';
import { configFrom, type GlobalOptions } from '../load.ts';

type Out = (line: string) => void;

/** `siaga secrets rotate [--drop-old]`: see rotateKeys and dropOldKeys. Prints key ids, never key material. */
export async function secretsRotateCommand(
  opts: GlobalOptions & { dropOld?: boolean },
  out: Out,
): Promise<void> {
  const config = configFrom(opts);
  const keyring = readKeyring(config);
  if (keyring === undefined) {
    throw new SecretsError(
      `no key file at ${config.secrets.keyFile} and SIAGA_SECRET_KEY is not set: there is nothing to rotate yet (the server creates the key file at first start)`,
    );
  }
  const columns = secretColumns();
  const run = async (db: Kysely<any> | undefined): Promise<void> => {
    if (opts.dropOld) {
      const r = await dropOldKeys(keyring, columns, db);
      out(
        r.dropped.length === 0
          ? `key file ${keyring.file ?? ''} holds only key ${r.primary}; nothing to drop`
          : `removed key(s) ${r.dropped.join(', ')} from ${keyring.file ?? ''}; it now holds only key ${r.primary}`,
      );
      return;
    }
    const r = await rotateKeys(keyring, columns, db);
    if (r.generated) {
      out(
        `generated key ${r.primary} and made it primary in ${r.file ?? ''}${r.older.length > 0 ? ` (older keys kept for reading: ${r.older.join(', ')})` : ''}`,
      );
    } else if (r.resumed) {
      out(`finished the unfinished rotation to key ${r.primary} instead of generating another key`);
    }
    if (columns.length === 0) out('no secret columns are registered; nothing to re-seal');
    else {
      const total = r.columns.reduce((s, c) => s + c.resealed, 0);
      out(
        `re-sealed ${total} value(s) under key ${r.primary}: ${r.columns.map((c) => `${columnName(c)} ${c.resealed}`).join(', ')}`,
      );
      for (const c of r.columns.filter((x) => x.remaining > 0))
        out(
          `warning: ${c.remaining} value(s) of ${columnName(c)} changed meanwhile and are not under key ${r.primary}; run siaga secrets rotate again`,
        );
    }
    if (r.source === 'file') {
      out(
        `next: copy ${r.file ?? ''} to every other node that uses this database (running servers pick up the change by themselves; restart any that do not), then run: siaga secrets rotate --drop-old`,
      );
    } else if (r.older.length > 0) {
      out(
        `next: remove the old key(s) ${r.older.join(', ')} from SIAGA_SECRET_KEY, keeping only key ${r.primary}, and restart every node`,
      );
    }
  };
  // A fresh install has no secret column to look at, and then no database to open.
  await (columns.length === 0 ? run(undefined) : withDatabase(config, run));
}

/** `siaga secrets status`: where the keys come from, their ids, and which key seals how many values per column. */
export async function secretsStatusCommand(opts: GlobalOptions, out: Out): Promise<void> {
  const config = configFrom(opts);
  const keyring = readKeyring(config);
  if (keyring === undefined) {
    out(
      `keys: none yet (no key file at ${config.secrets.keyFile}; the server creates it at first start, or set SIAGA_SECRET_KEY)`,
    );
  } else {
    out(`keys: from ${describeSource(config, keyring)}`);
    for (const [i, k] of keyring.keys.entries()) out(`  ${k.id}${i === 0 ? '  primary (seals)' : ''}`);
    if (keyring.source === 'env' && existsSync(config.secrets.keyFile)) {
      out(
        `note: the key file ${config.secrets.keyFile} exists but is not used while SIAGA_SECRET_KEY is set`,
      );
    }
  }
  const columns = secretColumns();
  if (columns.length === 0) {
    out('secret columns: none registered');
    return;
  }
  await withDatabase(config, async (db) => {
    const inventory = await countSealedByKey(db, columns);
    const width = Math.max(...inventory.map((c) => columnName(c).length));
    out('secret columns:');
    for (const c of inventory) {
      const parts = countsByKey(c).map(
        ([id, n]) => `${id}: ${n}${keyring?.find(id) === undefined ? ' (key not in keyring)' : ''}`,
      );
      if (c.unrecognised > 0) parts.push(`not sealed: ${c.unrecognised}`);
      out(`  ${columnName(c).padEnd(width)}  ${parts.length > 0 ? parts.join(', ') : 'empty'}`);
    }
    if (keyring) for (const p of keyringProblems(inventory, keyring)) out(`warning: ${p}`);
  });
}

function describeSource(config: Config, keyring: Keyring): string {
  if (keyring.source === 'file') return `key file ${keyring.file ?? ''}`;
  return config.sources['secrets.key'] === 'file'
    ? `secrets.key in ${config.file ?? 'the config file'}`
    : 'SIAGA_SECRET_KEY';
}

/** Runs `fn` on the database, migrated first (as every command that writes does), then closes it. */
async function withDatabase(config: Config, fn: (db: Kysely<any>) => Promise<void>): Promise<void> {
  if (config.database.dialect === 'sqlite') ensureDataDir(config.dataDir);
  const storage: Storage = await openStorage(config.database);
  try {
    await migrateToLatest(storage.db, storage.dialect);
    await fn(storage.db);
  } finally {
    await storage.close();
  }
}
