import type { Config } from '../config/index.ts';
import { SecretsError } from './errors.ts';
import { createKeyFile, keyFileStamp, readKeyFile } from './key-file.ts';
import { SecretKey } from './secret-key.ts';

export type KeySource = 'env' | 'file';

export interface KeyringOptions {
  readonly source: KeySource;
  /** The key file the keys were read from (source `file`). */
  readonly file?: string;
  /** True when this process created the key file. */
  readonly created?: boolean;
  readonly stamp?: string;
}

/**
 * The keys this process can use: the first (primary) seals, every one opens. Keys from a key file are re-read
 * when the file changes (see `reload`), so a running server follows `siaga secrets rotate` without a restart.
 */
export class Keyring {
  readonly source: KeySource;
  readonly file: string | undefined;
  readonly created: boolean;
  #keys: readonly SecretKey[];
  #stamp: string | undefined;
  #checkedAt = Number.NEGATIVE_INFINITY;

  constructor(keys: readonly SecretKey[], options: KeyringOptions) {
    if (keys.length === 0) throw new Error('a keyring needs at least one key');
    this.#keys = [...keys];
    this.source = options.source;
    this.file = options.file;
    this.created = options.created ?? false;
    this.#stamp = options.stamp;
  }

  get primary(): SecretKey {
    return this.#keys[0]!;
  }

  get keys(): readonly SecretKey[] {
    return this.#keys;
  }

  find(id: string): SecretKey | undefined {
    return this.#keys.find((k) => k.id === id);
  }

  /** Re-reads the key file if it changed since it was last read; true when the keys changed. */
  reload(): boolean {
    if (this.source !== 'file' || this.file === undefined) return false;
    const stamp = keyFileStamp(this.file);
    if (stamp !== undefined && stamp === this.#stamp) return false;
    const contents = readKeyFile(this.file);
    if (contents === undefined) {
      throw new SecretsError(
        `key file ${this.file} has disappeared; restore it from a backup (secrets sealed with its keys cannot be read without it)`,
      );
    }
    if (contents.stamp === this.#stamp) return false;
    const before = this.#keys.map((k) => k.id).join(',');
    this.#keys = contents.keys;
    this.#stamp = contents.stamp;
    return this.#keys.map((k) => k.id).join(',') !== before;
  }

  /**
   * `reload`, at most once per `intervalMs` of `now`: for values sealed on every notification (action tokens),
   * where a `stat` of the key file per value was about 2 % of the event loop at a thousand a second. A token
   * sealed with the previous primary in that interval still opens wherever the previous key is kept.
   */
  reloadAtMostEvery(intervalMs: number, now: number): boolean {
    if (now >= this.#checkedAt && now - this.#checkedAt < intervalMs) return false;
    this.#checkedAt = now;
    return this.reload();
  }

  toJSON(): { source: KeySource; keyIds: string[] } {
    return { source: this.source, keyIds: this.#keys.map((k) => k.id) };
  }
}

/** What the keyring needs from the configuration. */
export type KeyringConfig = Pick<Config, 'secrets'>;

/**
 * The keyring for the server: keys from SIAGA_SECRET_KEY when set, else from the key file in the data directory,
 * which is created with a fresh random key on first start. Call after the data directory exists.
 */
export function loadKeyring(config: KeyringConfig): Keyring {
  const existing = readKeyring(config);
  if (existing) return existing;
  const file = config.secrets.keyFile;
  const { contents, created } = createKeyFile(file, SecretKey.generate());
  return new Keyring(contents.keys, { source: 'file', file, created, stamp: contents.stamp });
}

/** Like `loadKeyring` but never creates the key file: undefined when there are no keys yet. */
export function readKeyring(config: KeyringConfig): Keyring | undefined {
  if (config.secrets.keys !== undefined) return new Keyring(config.secrets.keys, { source: 'env' });
  const file = config.secrets.keyFile;
  const contents = readKeyFile(file);
  if (contents === undefined) return undefined;
  return new Keyring(contents.keys, { source: 'file', file, stamp: contents.stamp });
}
