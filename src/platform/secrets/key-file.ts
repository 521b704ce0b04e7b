import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import path from 'node:path';
import { SecretsError } from './errors.ts';
import { parseKey, type SecretKey } from './secret-key.ts';

export const KEY_FILE_NAME = 'secret.key';

/**
 * The key file: one base64 key per line, the first one primary. Blank lines and `#` comments are ignored.
 * It is only ever written whole (temporary file, fsync, then link or rename), so a reader never sees half of it.
 */
export interface KeyFileContents {
  readonly keys: readonly SecretKey[];
  /** Changes whenever the file is replaced or edited. */
  readonly stamp: string;
}

const IO_PROBLEMS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
};

const problem = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
  return IO_PROBLEMS[code] ?? code;
};

/** Reads and checks the key file; undefined when there is none. */
export function readKeyFile(file: string): KeyFileContents | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SecretsError(`key file ${file} cannot be read: ${problem(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new SecretsError(`key file ${file} is not a regular file`);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      throw new SecretsError(
        `key file ${file} is accessible to other users (mode ${mode}); restrict it with: chmod 600 ${file}`,
      );
    }
    const text = readFileSync(fd, 'utf8');
    return { keys: parseKeyFile(file, text), stamp: stampOf(st) };
  } catch (err) {
    if (err instanceof SecretsError) throw err;
    throw new SecretsError(`key file ${file} cannot be read: ${problem(err)}`);
  } finally {
    closeSync(fd);
  }
}

const stampOf = (st: Stats): string => `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;

/** The key file's current stamp (see KeyFileContents), without reading it; undefined when there is no file. */
export function keyFileStamp(file: string): string | undefined {
  try {
    return stampOf(statSync(file));
  } catch {
    return undefined;
  }
}

function parseKeyFile(file: string, text: string): SecretKey[] {
  const keys: SecretKey[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === '' || t.startsWith('#')) return;
    let key: SecretKey;
    try {
      key = parseKey(t);
    } catch (e) {
      throw new SecretsError(`key file ${file}, line ${i + 1}: ${(e as Error).message}`, { cause: e });
    }
    if (!keys.some((k) => k.id === key.id)) keys.push(key);
  });
  if (keys.length === 0) {
    throw new SecretsError(
      `key file ${file} holds no key; restore it from a backup (delete it only if no secret was ever stored, and a new key is created at the next start)`,
    );
  }
  return keys;
}

/**
 * Creates the key file with `key` unless one exists, then returns what the file holds: when two processes start
 * at once, both end up with the winner's key. The content is complete before the name appears (link of a fully
 * written temporary file, which fails if the name is taken), so a concurrent reader never sees an empty file.
 */
export function createKeyFile(file: string, key: SecretKey): { contents: KeyFileContents; created: boolean } {
  const tmp = writeTemporary(file, [key]);
  let created: boolean;
  try {
    linkSync(tmp, file);
    created = true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') created = false;
    else if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS')
      created = createExclusive(file, [key]); // file systems without hard links
    else throw new SecretsError(`cannot create key file ${file}: ${problem(err)}`);
  } finally {
    removeQuietly(tmp);
  }
  syncDir(path.dirname(file));
  const contents = readKeyFile(file);
  if (contents === undefined)
    throw new SecretsError(`key file ${file} disappeared while it was being created`);
  return { contents, created };
}

/**
 * Replaces the key file with `keys` (first primary), atomically, mode 0600. When root rewrites a file that belongs
 * to another user (`sudo siaga secrets rotate` while the server runs as `siaga`), the new file keeps that owner,
 * or the server could no longer read its own keys.
 */
export function writeKeyFile(file: string, keys: readonly SecretKey[]): void {
  if (keys.length === 0) throw new Error('a key file needs at least one key');
  let owner: { uid: number; gid: number } | undefined;
  try {
    const st = statSync(file);
    if (process.getuid?.() === 0 && st.uid !== 0) owner = { uid: st.uid, gid: st.gid };
  } catch {
    // no file yet: the new one belongs to whoever writes it
  }
  const tmp = writeTemporary(file, keys, owner);
  try {
    renameSync(tmp, file);
  } catch (err) {
    removeQuietly(tmp);
    throw new SecretsError(`cannot replace key file ${file}: ${problem(err)}`);
  }
  syncDir(path.dirname(file));
}

const render = (keys: readonly SecretKey[]): string => keys.map((k) => `${k.encode()}\n`).join('');

function writeTemporary(
  file: string,
  keys: readonly SecretKey[],
  owner?: { uid: number; gid: number },
): string {
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeNew(tmp, render(keys), owner);
  } catch (err) {
    removeQuietly(tmp);
    throw new SecretsError(`cannot write key file ${file}: ${problem(err)}`);
  }
  return tmp;
}

function createExclusive(file: string, keys: readonly SecretKey[]): boolean {
  try {
    writeNew(file, render(keys));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new SecretsError(`cannot create key file ${file}: ${problem(err)}`);
  }
}

/** Exclusive create, mode 0600 whatever the umask, content flushed to disk. */
function writeNew(file: string, text: string, owner?: { uid: number; gid: number }): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    fchmodSync(fd, 0o600);
    if (owner) fchownSync(fd, owner.uid, owner.gid);
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename or link durable; not every platform can open a directory, and then there is nothing to do. */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
