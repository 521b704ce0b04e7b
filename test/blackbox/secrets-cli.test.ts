import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSecretBox,
  Keyring,
  loadKeyring,
  parseKey,
  sealedKeyId,
  secretColumn,
} from '../../src/platform/secrets/index.ts';
import {
  cleanEnv,
  cleanup,
  hasStackTrace,
  lines,
  REPO_ROOT,
  runSiaga,
  tempDir,
  type RunResult,
} from './support.ts';

/**
 * `siaga secrets rotate` and `siaga secrets status` as an operator runs them: against a data directory of their own,
 * judged by exit code, output and the key file on disk. Key material never appears in the output.
 */

afterEach(cleanup);

const newKey = (): string => randomBytes(32).toString('base64');
const idOf = (key: string): string =>
  createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 8);

function keyFileOf(dataDir: string): string {
  return path.join(dataDir, 'secret.key');
}
function writeKeys(dataDir: string, keys: readonly string[], mode = 0o600): void {
  writeFileSync(keyFileOf(dataDir), keys.map((k) => `${k}\n`).join(''), { mode });
  chmodSync(keyFileOf(dataDir), mode);
}
const fileKeys = (dataDir: string): string[] => lines(readFileSync(keyFileOf(dataDir), 'utf8'));
const modeOf = (file: string): number => statSync(file).mode & 0o777;

function context(r: RunResult): string {
  return `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}
function expectOk(r: RunResult): void {
  expect(r.timedOut, context(r)).toBe(false);
  expect(r.code, context(r)).toBe(0);
  expect(r.stderr, context(r)).toBe('');
}
function expectRefusal(r: RunResult, code: number, line: string | RegExp): void {
  expect(r.timedOut, context(r)).toBe(false);
  expect(r.code, context(r)).toBe(code);
  expect(lines(r.stderr), context(r)).toHaveLength(1);
  if (typeof line === 'string') expect(lines(r.stderr)[0], context(r)).toBe(line);
  else expect(lines(r.stderr)[0], context(r)).toMatch(line);
  expect(hasStackTrace(r.stderr + r.stdout)).toBe(false);
}
function expectNoKeyMaterial(r: RunResult, keys: readonly string[]): void {
  for (const k of keys) {
    for (const form of [
      k,
      k.replace(/=+$/, ''),
      Buffer.from(k, 'base64').toString('base64url'),
      Buffer.from(k, 'base64').toString('hex'),
    ])
      expect(r.stdout + r.stderr).not.toContain(form.slice(0, 16));
  }
}

describe('siaga secrets with the key file', () => {
  it('rotate adds a new primary key, keeps the old one, and --drop-old removes it; status shows ids only', async () => {
    const dataDir = tempDir();
    const old = newKey();
    writeKeys(dataDir, [old]);
    const env = { SIAGA_DATA_DIR: dataDir };

    const rotate = await runSiaga(['secrets', 'rotate'], env);
    expectOk(rotate);
    const keys = fileKeys(dataDir);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(old);
    expect(keys[0]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const fresh = keys[0]!;
    expect(modeOf(keyFileOf(dataDir))).toBe(0o600);
    expect(readdirSync(dataDir).filter((f) => f.startsWith('secret.key'))).toEqual(['secret.key']);
    expect(lines(rotate.stdout)).toEqual([
      `generated key ${idOf(fresh)} and made it primary in ${keyFileOf(dataDir)} (older keys kept for reading: ${idOf(old)})`,
      expect.stringMatching(
        /^re-sealed 0 value\(s\) under key [0-9a-f]{8}: sso_providers\.client_secret 0, sso_login_states\.code_verifier 0, integrations\.signing_secrets 0, contact_methods\.secrets 0, channels\.secrets 0$/,
      ),
      `next: copy ${keyFileOf(dataDir)} to every other node that uses this database (running servers pick up the change by themselves; restart any that do not), then run: siaga secrets rotate --drop-old`,
    ]);
    expectNoKeyMaterial(rotate, [old, fresh]);

    const status = await runSiaga(['secrets', 'status'], env);
    expectOk(status);
    expect(lines(status.stdout)).toEqual([
      `keys: from key file ${keyFileOf(dataDir)}`,
      `  ${idOf(fresh)}  primary (seals)`,
      `  ${idOf(old)}`,
      'secret columns:',
      '  sso_providers.client_secret     empty',
      '  sso_login_states.code_verifier  empty',
      '  integrations.signing_secrets    empty',
      '  contact_methods.secrets         empty',
      '  channels.secrets                empty',
    ]);
    expectNoKeyMaterial(status, [old, fresh]);

    const drop = await runSiaga(['secrets', 'rotate', '--drop-old'], env);
    expectOk(drop);
    expect(fileKeys(dataDir)).toEqual([fresh]);
    expect(modeOf(keyFileOf(dataDir))).toBe(0o600);
    expect(lines(drop.stdout)).toEqual([
      `removed key(s) ${idOf(old)} from ${keyFileOf(dataDir)}; it now holds only key ${idOf(fresh)}`,
    ]);
    expectNoKeyMaterial(drop, [old, fresh]);

    const again = await runSiaga(['secrets', 'rotate', '--drop-old'], env);
    expectOk(again);
    expect(lines(again.stdout)).toEqual([
      `key file ${keyFileOf(dataDir)} holds only key ${idOf(fresh)}; nothing to drop`,
    ]);
  });

  it('rotate refuses when there is no key yet, and creates nothing', async () => {
    const dataDir = tempDir();
    const r = await runSiaga(['secrets', 'rotate'], { SIAGA_DATA_DIR: dataDir });
    expectRefusal(
      r,
      1,
      `siaga: no key file at ${keyFileOf(dataDir)} and SIAGA_SECRET_KEY is not set: there is nothing to rotate yet (the server creates the key file at first start)`,
    );
    expect(existsSync(keyFileOf(dataDir))).toBe(false);

    const status = await runSiaga(['secrets', 'status'], { SIAGA_DATA_DIR: dataDir });
    expectOk(status);
    expect(lines(status.stdout)[0]).toBe(
      `keys: none yet (no key file at ${keyFileOf(dataDir)}; the server creates it at first start, or set SIAGA_SECRET_KEY)`,
    );
    expect(existsSync(keyFileOf(dataDir))).toBe(false);
  });

  it('refuses a key file that other users can read, and leaves it alone', async () => {
    const dataDir = tempDir();
    const key = newKey();
    writeKeys(dataDir, [key], 0o644);
    const file = keyFileOf(dataDir);
    const expected = `siaga: key file ${file} is accessible to other users (mode 0644); restrict it with: chmod 600 ${file}`;
    for (const args of [
      ['secrets', 'status'],
      ['secrets', 'rotate'],
      ['secrets', 'rotate', '--drop-old'],
    ]) {
      const r = await runSiaga(args, { SIAGA_DATA_DIR: dataDir });
      expectRefusal(r, 1, expected);
      expectNoKeyMaterial(r, [key]);
    }
    expect(fileKeys(dataDir)).toEqual([key]);
    expect(modeOf(file)).toBe(0o644);
  });

  it('refuses a damaged key file naming the line, without printing it', async () => {
    const dataDir = tempDir();
    const good = newKey();
    const cut = newKey().slice(0, 30);
    writeFileSync(keyFileOf(dataDir), `${good}\n${cut}\n`, { mode: 0o600 });
    const r = await runSiaga(['secrets', 'status'], { SIAGA_DATA_DIR: dataDir });
    expect(r.code, context(r)).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^siaga: key file ${keyFileOf(dataDir)}, line 2: expected base64`));
    expectNoKeyMaterial(r, [good]);
    expect(r.stderr).not.toContain(cut.slice(0, 12));
  });
});

describe('siaga secrets with SIAGA_SECRET_KEY', () => {
  it('rotate generates nothing, re-seals under the first key and says to remove the old one', async () => {
    const dataDir = tempDir();
    const [fresh, old] = [newKey(), newKey()];
    // base64url without padding is accepted too.
    const oldUrl = Buffer.from(old, 'base64').toString('base64url');
    const env = { SIAGA_DATA_DIR: dataDir, SIAGA_SECRET_KEY: `${fresh},${oldUrl}` };

    const r = await runSiaga(['secrets', 'rotate'], env);
    expectOk(r);
    expect(lines(r.stdout)).toEqual([
      expect.stringMatching(
        /^re-sealed 0 value\(s\) under key [0-9a-f]{8}: sso_providers\.client_secret 0, sso_login_states\.code_verifier 0, integrations\.signing_secrets 0, contact_methods\.secrets 0, channels\.secrets 0$/,
      ),
      `next: remove the old key(s) ${idOf(old)} from SIAGA_SECRET_KEY, keeping only key ${idOf(fresh)}, and restart every node`,
    ]);
    expect(existsSync(keyFileOf(dataDir))).toBe(false);
    expectNoKeyMaterial(r, [fresh, old]);

    writeKeys(dataDir, [newKey()]);
    const status = await runSiaga(['secrets', 'status'], env);
    expectOk(status);
    expect(lines(status.stdout)).toEqual([
      'keys: from SIAGA_SECRET_KEY',
      `  ${idOf(fresh)}  primary (seals)`,
      `  ${idOf(old)}`,
      `note: the key file ${keyFileOf(dataDir)} exists but is not used while SIAGA_SECRET_KEY is set`,
      'secret columns:',
      '  sso_providers.client_secret     empty',
      '  sso_login_states.code_verifier  empty',
      '  integrations.signing_secrets    empty',
      '  contact_methods.secrets         empty',
      '  channels.secrets                empty',
    ]);
    expectNoKeyMaterial(status, [fresh, old]);

    const drop = await runSiaga(['secrets', 'rotate', '--drop-old'], env);
    expectRefusal(
      drop,
      1,
      'siaga: keys come from SIAGA_SECRET_KEY, so --drop-old has no key file to edit; after siaga secrets rotate, remove the old keys from SIAGA_SECRET_KEY yourself',
    );
  });

  it('refuses a malformed key with one configuration line that names the setting and not the key', async () => {
    const good = newKey();
    const short = randomBytes(20).toString('base64');
    for (const [value, problem] of [
      [
        short,
        'expected base64 or base64url of 32 random bytes, got base64 of 20 bytes; generate one with: openssl rand -base64 32',
      ],
      [
        `${good},${randomBytes(32).toString('hex')}`,
        'key 2 of 2: expected base64 or base64url of 32 random bytes, got 64 hex digits; generate one with: openssl rand -base64 32',
      ],
      [
        `${good.slice(0, 20)} ${good.slice(20)}`,
        'expected base64 or base64url of 32 random bytes, got text that is not base64; generate one with: openssl rand -base64 32',
      ],
    ] as const) {
      for (const args of [['secrets', 'status'], ['serve']]) {
        const r = await runSiaga(args, { SIAGA_SECRET_KEY: value });
        expectRefusal(r, 78, `siaga: configuration error: SIAGA_SECRET_KEY (environment): ${problem}`);
        expectNoKeyMaterial(r, [good]);
        expect(r.stderr).not.toContain(short.slice(0, 12));
      }
    }
  });
});

describe('siaga secrets with a registered secret column (SQLite)', () => {
  const FIXTURE = path.join(REPO_ROOT, 'test', 'blackbox', 'fixtures', 'siaga-with-secret-column.ts');
  const COL = secretColumn('test_secrets', 'secret');

  async function run(args: readonly string[], dataDir: string): Promise<RunResult> {
    const t0 = performance.now();
    const env = { ...cleanEnv(), SIAGA_DATA_DIR: dataDir, SIAGA_LOG_LEVEL: 'warn' };
    const r = await promisify(execFile)(process.execPath, [FIXTURE, ...args], {
      cwd: REPO_ROOT,
      env,
      timeout: 15_000,
    }).then(
      (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({
        code: typeof err.code === 'number' ? err.code : null,
        stdout: err.stdout ?? '',
        stderr: err.stderr ?? '',
      }),
    );
    return { ...r, signal: null, ms: performance.now() - t0, timedOut: false };
  }

  function insert(dataDir: string, rows: readonly { id: string; secret: string | null }[]): void {
    const db = new DatabaseSync(path.join(dataDir, 'siaga.db'));
    try {
      db.exec('create table if not exists test_secrets (id text primary key, secret text)');
      const stmt = db.prepare('insert into test_secrets (id, secret) values (?, ?)');
      for (const r of rows) stmt.run(r.id, r.secret);
    } finally {
      db.close();
    }
  }
  const sealedWith = (dataDir: string): (string | undefined)[] => {
    const db = new DatabaseSync(path.join(dataDir, 'siaga.db'));
    try {
      return (
        db.prepare('select secret from test_secrets where secret is not null order by id').all() as {
          secret: string;
        }[]
      ).map((r) => sealedKeyId(r.secret));
    } finally {
      db.close();
    }
  };

  it('status counts values per key, rotate re-seals them under the new key, --drop-old then succeeds', async () => {
    const dataDir = tempDir();
    const old = newKey();
    writeKeys(dataDir, [old]);

    expectOk(await runSiaga(['migrate'], { SIAGA_DATA_DIR: dataDir }));

    const box = createSecretBox(loadKeyring({ secrets: { keys: undefined, keyFile: keyFileOf(dataDir) } }));
    insert(dataDir, [
      ...Array.from({ length: 5 }, (_, i) => ({
        id: `row_${i}`,
        secret: box.seal(`secret-${i}`, COL.aad(`row_${i}`)),
      })),
      { id: 'row_null', secret: null },
    ]);

    const before = await run(['secrets', 'status'], dataDir);
    expectOk(before);
    expect(testColumnLines(before.stdout)).toEqual([`test_secrets.secret ${idOf(old)}: 5`]);

    const rotate = await run(['secrets', 'rotate'], dataDir);
    expectOk(rotate);
    const fresh = fileKeys(dataDir)[0]!;
    expect(lines(rotate.stdout).slice(0, 2)).toEqual([
      `generated key ${idOf(fresh)} and made it primary in ${keyFileOf(dataDir)} (older keys kept for reading: ${idOf(old)})`,
      `re-sealed 5 value(s) under key ${idOf(fresh)}: test_secrets.secret 5, sso_providers.client_secret 0, sso_login_states.code_verifier 0, integrations.signing_secrets 0, contact_methods.secrets 0, channels.secrets 0`,
    ]);
    expect(sealedWith(dataDir)).toEqual(Array(5).fill(idOf(fresh)));
    expect(box.open((await sealedRow(dataDir, 'row_3'))!, COL.aad('row_3'))).toBe('secret-3');
    expectNoKeyMaterial(rotate, [old, fresh]);

    const after = await run(['secrets', 'status'], dataDir);
    expect(testColumnLines(after.stdout)).toEqual([`test_secrets.secret ${idOf(fresh)}: 5`]);

    expectOk(await run(['secrets', 'rotate', '--drop-old'], dataDir));
    expect(fileKeys(dataDir)).toEqual([fresh]);
  });

  it('names a value sealed with a lost key: status warns, rotate stops with one line and changes nothing', async () => {
    const dataDir = tempDir();
    const key = newKey();
    const lost = newKey();
    writeKeys(dataDir, [key]);
    expectOk(await runSiaga(['migrate'], { SIAGA_DATA_DIR: dataDir }));
    const box = createSecretBox(loadKeyring({ secrets: { keys: undefined, keyFile: keyFileOf(dataDir) } }));
    const lostBox = createSecretBox(new Keyring([parseKey(lost)], { source: 'env' }));
    insert(dataDir, [
      { id: 'row_a', secret: box.seal('a', COL.aad('row_a')) },
      { id: 'row_b', secret: lostBox.seal('b', COL.aad('row_b')) },
    ]);

    const status = await run(['secrets', 'status'], dataDir);
    expectOk(status);
    expect(testColumnLines(status.stdout)).toEqual([
      `test_secrets.secret ${[`${idOf(key)}: 1`, `${idOf(lost)}: 1 (key not in keyring)`].sort().join(', ')}`,
      `warning: 1 value(s) of test_secrets.secret are sealed with key ${idOf(lost)}, which is not in the keyring; they cannot be read until that key is added back`,
    ]);

    const rotate = await run(['secrets', 'rotate'], dataDir);
    expectRefusal(
      rotate,
      1,
      `siaga: re-sealing test_secrets.secret stopped (0 values re-sealed before, kept): the secret for test_secrets.secret:row_b was sealed with key ${idOf(lost)}, which is not in the keyring; add the old key to the key file ${keyFileOf(dataDir)}`,
    );
    expect(sealedWith(dataDir)).toEqual([idOf(key), idOf(lost)]);
    const afterFailure = fileKeys(dataDir);
    expect(afterFailure).toHaveLength(2);

    // Running it again finishes the same rotation rather than piling up keys.
    expectRefusal(await run(['secrets', 'rotate'], dataDir), 1, lines(rotate.stderr)[0]!);
    expect(fileKeys(dataDir)).toEqual(afterFailure);
  });

  async function sealedRow(dataDir: string, id: string): Promise<string | undefined> {
    const db = new DatabaseSync(path.join(dataDir, 'siaga.db'));
    try {
      return (
        db.prepare('select secret from test_secrets where id = ?').get(id) as { secret: string } | undefined
      )?.secret;
    } finally {
      db.close();
    }
  }
});

/** The output lines about the fixture's own column, with runs of spaces folded (column widths vary). */
function testColumnLines(stdout: string): string[] {
  return lines(stdout)
    .filter((l) => l.includes('test_secrets'))
    .map((l) => l.trim().replace(/\s+/g, ' '));
}
