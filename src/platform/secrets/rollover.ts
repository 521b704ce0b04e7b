import type { Kysely } from 'kysely';
import { columnName, type SecretColumn } from './columns.ts';
import { SecretsError } from './errors.ts';
import { countNotPrimary, countSealedByKey } from './inventory.ts';
import { writeKeyFile } from './key-file.ts';
import type { Keyring, KeySource } from './keyring.ts';
import { rotateSecrets, type ColumnRotation } from './rotation.ts';
import { SecretKey } from './secret-key.ts';

export interface KeyRotation {
  readonly source: KeySource;
  readonly file: string | undefined;
  /** The key everything is now sealed with. */
  readonly primary: string;
  /** A new key was generated and written as the first line of the key file. */
  readonly generated: boolean;
  /** An earlier rotation was unfinished, so it was finished instead of generating yet another key. */
  readonly resumed: boolean;
  /** Key ids still in the keyring besides the primary. */
  readonly older: readonly string[];
  readonly columns: readonly ColumnRotation[];
}

/**
 * `siaga secrets rotate`. With a key file: a new key becomes its first line (older keys stay, for reading) and
 * every value is re-sealed under it; if an earlier run stopped half-way, this run finishes that one instead of
 * adding another key. With SIAGA_SECRET_KEY, keys are the operator's to make: everything is re-sealed under the
 * first key. `db` may be undefined only when no column is registered.
 */
export async function rotateKeys(
  keyring: Keyring,
  columns: readonly SecretColumn[],
  db: Kysely<any> | undefined,
): Promise<KeyRotation> {
  const database = (): Kysely<any> => {
    if (db === undefined) throw new Error('rotateKeys needs the database when secret columns are registered');
    return db;
  };
  let generated = false;
  let resumed = false;
  if (keyring.source === 'file' && keyring.file !== undefined) {
    keyring.reload();
    const inventory = columns.length > 0 ? await countSealedByKey(database(), columns) : [];
    resumed = keyring.keys.length > 1 && countNotPrimary(inventory, keyring) > 0;
    if (!resumed) {
      const fresh = SecretKey.generate();
      writeKeyFile(keyring.file, [fresh, ...keyring.keys]);
      keyring.reload();
      if (keyring.primary.id !== fresh.id) {
        throw new SecretsError(`key file ${keyring.file} changed while it was being rotated; run again`);
      }
      generated = true;
    }
  }
  const rotated = columns.length > 0 ? await rotateSecrets(database(), keyring, columns) : [];
  return {
    source: keyring.source,
    file: keyring.file,
    primary: keyring.primary.id,
    generated,
    resumed,
    older: keyring.keys.slice(1).map((k) => k.id),
    columns: rotated,
  };
}

/**
 * `siaga secrets rotate --drop-old`: leaves only the primary key in the key file, after checking that no
 * registered value is still sealed with any of the others.
 */
export async function dropOldKeys(
  keyring: Keyring,
  columns: readonly SecretColumn[],
  db: Kysely<any> | undefined,
): Promise<{ readonly primary: string; readonly dropped: readonly string[] }> {
  if (keyring.source !== 'file' || keyring.file === undefined) {
    throw new SecretsError(
      'keys come from SIAGA_SECRET_KEY, so --drop-old has no key file to edit; after siaga secrets rotate, remove the old keys from SIAGA_SECRET_KEY yourself',
    );
  }
  keyring.reload();
  const old = keyring.keys.slice(1).map((k) => k.id);
  if (old.length === 0) return { primary: keyring.primary.id, dropped: [] };
  if (columns.length > 0) {
    if (db === undefined)
      throw new Error('dropOldKeys needs the database when secret columns are registered');
    const inUse = (await countSealedByKey(db, columns)).flatMap((c) =>
      Object.entries(c.byKey)
        .filter(([id, n]) => old.includes(id) && n > 0)
        .map(([id, n]) => `${columnName(c)}: ${n} with ${id}`),
    );
    if (inUse.length > 0) {
      throw new SecretsError(
        `old keys are still in use (${inUse.join('; ')}); run siaga secrets rotate first, then --drop-old again`,
      );
    }
  }
  writeKeyFile(keyring.file, [keyring.primary]);
  keyring.reload();
  return { primary: keyring.primary.id, dropped: old };
}
