import {
  chmodSync,
  chownSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  readdirSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretsError } from './errors.ts';
import { createKeyFile, writeKeyFile } from './key-file.ts';
import { loadKeyring, readKeyring, type KeyringConfig } from './keyring.ts';
import { createSecretBox } from './secret-box.ts';
import { SecretKey } from './secret-key.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dataDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'siaga-keyring-'));
  dirs.push(d);
  return d;
}

const fileConfig = (dir: string): KeyringConfig => ({
  secrets: { keys: undefined, keyFile: path.join(dir, 'secret.key') },
});

const mode = (file: string) => statSync(file).mode & 0o777;

describe('keyring from the key file', () => {
  it('creates the key file at first start with one fresh key, mode 0600, and reuses it afterwards', () => {
    const dir = dataDir();
    const config = fileConfig(dir);
    expect(readKeyring(config)).toBeUndefined();
    const first = loadKeyring(config);
    expect(first).toMatchObject({ source: 'file', file: config.secrets.keyFile, created: true });
    expect(first.keys).toHaveLength(1);
    expect(mode(config.secrets.keyFile)).toBe(0o600);
    const text = readFileSync(config.secrets.keyFile, 'utf8');
    expect(text).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
    expect(readdirSync(dir)).toEqual(['secret.key']);

    const second = loadKeyring(config);
    expect(second.created).toBe(false);
    expect(second.primary.id).toBe(first.primary.id);
    expect(readFileSync(config.secrets.keyFile, 'utf8')).toBe(text);
    const sealed = createSecretBox(first).seal('hunter2', 'x:1');
    expect(createSecretBox(second).open(sealed, 'x:1')).toBe('hunter2');
  });

  it('keeps mode 0600 whatever the umask', () => {
    const config = fileConfig(dataDir());
    const before = process.umask(0o000);
    try {
      loadKeyring(config);
    } finally {
      process.umask(before);
    }
    expect(mode(config.secrets.keyFile)).toBe(0o600);
  });

  it('refuses a key file other users can read, saying how to fix it', () => {
    const config = fileConfig(dataDir());
    loadKeyring(config);
    for (const m of [0o644, 0o640, 0o604, 0o620]) {
      chmodSync(config.secrets.keyFile, m);
      const run = () => loadKeyring(config);
      expect(run).toThrow(SecretsError);
      expect(run).toThrow(
        `key file ${config.secrets.keyFile} is accessible to other users (mode 0${m.toString(8)}); restrict it with: chmod 600 ${config.secrets.keyFile}`,
      );
    }
    chmodSync(config.secrets.keyFile, 0o400);
    expect(loadKeyring(config).keys).toHaveLength(1);
  });

  it('reads several keys, the first primary, ignoring blank lines and comments', () => {
    const config = fileConfig(dataDir());
    const [a, b] = [SecretKey.generate(), SecretKey.generate()];
    writeFileSync(config.secrets.keyFile, `# rotated 2025-01-01\n${a.encode()}\n\n  ${b.encode()}  \n`, {
      mode: 0o600,
    });
    const ring = loadKeyring(config);
    expect(ring.keys.map((k) => k.id)).toEqual([a.id, b.id]);
    expect(ring.primary.id).toBe(a.id);
  });

  it('refuses a broken or empty key file with one line that names the file and the line, not the key', () => {
    const config = fileConfig(dataDir());
    const good = SecretKey.generate().encode();
    const bad = good.slice(0, 30);
    writeFileSync(config.secrets.keyFile, `${good}\n${bad}\n`, { mode: 0o600 });
    let message = '';
    try {
      loadKeyring(config);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(new RegExp(`^key file ${config.secrets.keyFile}, line 2: expected base64`));
    expect(message).not.toContain(bad.slice(0, 10));
    expect(message).not.toContain('\n');

    writeFileSync(config.secrets.keyFile, '\n# nothing\n', { mode: 0o600 });
    expect(() => loadKeyring(config)).toThrow(/holds no key; restore it from a backup/);
  });

  it('when two processes create it at once, both end up with the same key', () => {
    const config = fileConfig(dataDir());
    const [a, b] = [SecretKey.generate(), SecretKey.generate()];
    const first = createKeyFile(config.secrets.keyFile, a);
    const second = createKeyFile(config.secrets.keyFile, b);
    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.contents.keys.map((k) => k.id)).toEqual([a.id]);
    expect(readdirSync(path.dirname(config.secrets.keyFile))).toEqual(['secret.key']);
  });

  it('follows the key file when it is replaced, so a running server sees a rotation', () => {
    const config = fileConfig(dataDir());
    const ring = loadKeyring(config);
    const old = ring.primary;
    const box = createSecretBox(ring);
    const before = box.seal('hunter2', 'x:1');

    const fresh = SecretKey.generate();
    writeKeyFile(config.secrets.keyFile, [fresh, old]);
    expect(mode(config.secrets.keyFile)).toBe(0o600);
    const elsewhere = createSecretBox(loadKeyring(config)).seal('from another process', 'x:2');
    expect(box.open(elsewhere, 'x:2')).toBe('from another process');
    expect(ring.primary.id).toBe(fresh.id);
    expect(box.seal('new', 'x:3').split('.')[1]).toBe(fresh.id);
    expect(box.open(before, 'x:1')).toBe('hunter2');

    rmSync(config.secrets.keyFile);
    expect(() => box.seal('x', 'x:4')).toThrow(/has disappeared; restore it from a backup/);
  });

  it('seals tokens with a rotated key within a second, without reading the key file for every token', () => {
    const config = fileConfig(dataDir());
    const ring = loadKeyring(config);
    const old = ring.primary;
    const box = createSecretBox(ring);
    const keyOf = (sealed: string) => sealed.split('.')[1];
    const t0 = Date.parse('2026-03-29T00:00:00Z');
    expect(keyOf(box.sealToken('a', 'tok', t0))).toBe(old.id);

    const fresh = SecretKey.generate();
    writeKeyFile(config.secrets.keyFile, [fresh, old]);
    const stale = box.sealToken('b', 'tok', t0 + 999);
    expect(keyOf(stale)).toBe(old.id);
    expect(keyOf(box.sealToken('c', 'tok', t0 + 1000))).toBe(fresh.id);
    // Sealed with the previous primary, it still opens: that key stays in the file until --drop-old.
    expect(box.open(stale, 'tok')).toBe('b');
  });
});

// Changing a file's owner needs root (which CI and these machines are); elsewhere this case does not exist.
if (process.getuid?.() === 0) {
  describe('rewriting the key file', () => {
    it('as root, keeps the owner of the file it replaces', () => {
      const config = fileConfig(dataDir());
      const ring = loadKeyring(config);
      chownSync(config.secrets.keyFile, 4242, 4343);
      writeKeyFile(config.secrets.keyFile, [SecretKey.generate(), ring.primary]);
      const st = statSync(config.secrets.keyFile);
      expect([st.uid, st.gid, st.mode & 0o777]).toEqual([4242, 4343, 0o600]);
    });
  });

  describe('keyring from SIAGA_SECRET_KEY', () => {
    it('uses the configured keys, first primary, and never touches the key file', () => {
      const dir = dataDir();
      const [a, b] = [SecretKey.generate(), SecretKey.generate()];
      const config: KeyringConfig = { secrets: { keys: [a, b], keyFile: path.join(dir, 'secret.key') } };
      const ring = loadKeyring(config);
      expect(ring).toMatchObject({ source: 'env', file: undefined, created: false });
      expect(ring.keys.map((k) => k.id)).toEqual([a.id, b.id]);
      expect(readdirSync(dir)).toEqual([]);
      expect(JSON.stringify(ring)).toBe(JSON.stringify({ source: 'env', keyIds: [a.id, b.id] }));
    });
  });
}
