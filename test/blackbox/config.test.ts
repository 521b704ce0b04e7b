import { spawnSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  escapeRegExp,
  freePort,
  hasStackTrace,
  HOST,
  lines,
  REPO_ROOT,
  runSiaga,
  tempDir,
  type RunResult,
} from './support.ts';

/**
 * What an operator sees when the configuration is wrong: the process exits non-zero with one line per problem on
 * stderr that names the setting and what is expected, and never a stack trace.
 */

const EX_CONFIG = 78;

afterEach(cleanup);

function expectRefusal(r: RunResult, code: number, expected: readonly unknown[]): void {
  const context = `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
  expect(r.timedOut, `the command did not end by itself\n${context}`).toBe(false);
  expect(r.code, context).toBe(code);
  expect(lines(r.stderr), context).toEqual(expected);
  expect(hasStackTrace(r.stderr), context).toBe(false);
  expect(hasStackTrace(r.stdout), context).toBe(false);
}

function writeConfig(yaml: string): string {
  const file = path.join(tempDir('siaga-bb-conf-'), 'siaga.yaml');
  writeFileSync(file, yaml);
  return file;
}

describe('serve refuses bad configuration with one clear line', () => {
  it('names a misspelt key in the --config file and suggests the right one', async () => {
    const file = writeConfig('sever:\n  port: 9000\nlog:\n  level: info\n');
    const r = await runSiaga(['--config', file, 'serve']);
    expectRefusal(r, EX_CONFIG, [
      `siaga: configuration error: sever.port in ${file}: unknown key (did you mean server.port?)`,
    ]);
  });

  it('names an unknown SIAGA_* environment variable and suggests the right one', async () => {
    const r = await runSiaga(['serve'], { SIAGA_LOGLEVEL: 'debug' });
    expectRefusal(r, EX_CONFIG, [
      'siaga: configuration error: SIAGA_LOGLEVEL (environment): unknown setting (did you mean SIAGA_LOG_LEVEL?)',
    ]);
  });

  it('takes SIAGA_NO_COMPILE_CACHE as the launcher’s switch, not as an unknown setting', () => {
    // Through the launcher (bin/siaga.js), which owns the switch, as `npm start` and `npx siaga` run it.
    const r = spawnSync(process.execPath, ['bin/siaga.js', 'config', 'check'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        SIAGA_DATA_DIR: tempDir('siaga-bb-ncc-'),
        SIAGA_NO_COMPILE_CACHE: '1',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).not.toContain('unknown setting');
    expect(r.status, r.stderr).toBe(0);
  });

  it('rejects a DATABASE_URL of an unsupported kind', async () => {
    const r = await runSiaga(['serve'], { DATABASE_URL: 'mysql://x' });
    expectRefusal(r, EX_CONFIG, [
      'siaga: configuration error: DATABASE_URL (environment): expected a URL starting with postgres: or postgresql: or sqlite:, got "mysql:"',
    ]);
  });

  it('rejects a DATABASE_URL that is not a URL', async () => {
    const r = await runSiaga(['serve'], { DATABASE_URL: 'not a url' });
    expectRefusal(r, EX_CONFIG, [
      'siaga: configuration error: DATABASE_URL (environment): expected a URL (postgres://… or postgresql://… or sqlite:/path/to/file.db), got a value that is not a URL',
    ]);
  });

  it('rejects a PORT out of range or not a number', async () => {
    for (const port of ['70000', 'abc']) {
      const r = await runSiaga(['serve'], { PORT: port });
      expectRefusal(r, EX_CONFIG, [
        `siaga: configuration error: PORT (environment): expected a whole number from 0 to 65535, got "${port}"`,
      ]);
    }
  });

  it('lists every problem at once, one line each', async () => {
    const r = await runSiaga(['serve'], { PORT: 'abc', SIAGA_LOGLEVEL: 'debug' });
    expectRefusal(r, EX_CONFIG, [
      'siaga: configuration error: PORT (environment): expected a whole number from 0 to 65535, got "abc"',
      'siaga: configuration error: SIAGA_LOGLEVEL (environment): unknown setting (did you mean SIAGA_LOG_LEVEL?)',
    ]);
  });
});

describe('serve refuses an environment it cannot run in, with one clear line', () => {
  let occupier: Server | undefined;
  afterEach(async () => {
    const s = occupier;
    occupier = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  });

  it('says the port is already in use', async () => {
    const port = await freePort();
    const server = createServer();
    occupier = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, HOST, resolve);
    });
    const r = await runSiaga(['serve'], { PORT: String(port) });
    expectRefusal(r, 1, [
      `siaga: port ${port} on ${HOST} is already in use; stop what uses it or set PORT to a free port`,
    ]);
  });

  it('says the data directory is not writable (a part of its path is a file)', async () => {
    const base = tempDir();
    writeFileSync(path.join(base, 'afile'), 'not a directory');
    const dataDir = path.join(base, 'afile', 'data');
    const r = await runSiaga(['serve'], { SIAGA_DATA_DIR: dataDir });
    expectRefusal(r, 1, [
      `siaga: data directory ${dataDir} is not writable: a part of the path is a file, not a directory; set SIAGA_DATA_DIR to a writable directory`,
    ]);
  });

  it('says the data directory is not writable when it lies below a dangling symlink (an unmounted disk)', async () => {
    const base = tempDir();
    symlinkSync(path.join(base, 'unmounted'), path.join(base, 'volume'));
    const dataDir = path.join(base, 'volume', 'siaga');
    const r = await runSiaga(['serve'], { SIAGA_DATA_DIR: dataDir });
    expectRefusal(r, 1, [
      expect.stringMatching(
        new RegExp(
          `^siaga: data directory ${escapeRegExp(dataDir)} is not writable: .+; set SIAGA_DATA_DIR to a writable directory$`,
        ),
      ),
    ]);
  });

  it('fails at once, instead of hanging, for a data directory the kernel will not create (under /proc)', async () => {
    const dataDir = '/proc/siaga-test/data';
    const r = await runSiaga(['serve'], { SIAGA_DATA_DIR: dataDir }, { timeoutMs: 10_000 });
    expectRefusal(r, 1, [
      `siaga: data directory ${dataDir} is not writable: a part of the path cannot be created there; set SIAGA_DATA_DIR to a writable directory`,
    ]);
  });

  it('says why a sqlite: database below a regular file cannot be opened', async () => {
    const base = tempDir();
    writeFileSync(path.join(base, 'afile'), 'not a directory');
    const file = path.join(base, 'afile', 'siaga.db');
    const r = await runSiaga(['serve'], { DATABASE_URL: `sqlite:${file}` });
    expectRefusal(r, 1, [`siaga: cannot create the directory for SQLite database ${file} (ENOTDIR)`]);
  });

  it('says PostgreSQL refused the connection, quickly', async () => {
    const r = await runSiaga(
      ['serve'],
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' },
      { timeoutMs: 10_000 },
    );
    expectRefusal(r, 1, [
      'siaga: cannot connect to PostgreSQL at postgres://postgres@127.0.0.1:1/x: connection refused (is PostgreSQL running and listening there?)',
    ]);
    expect(r.ms).toBeLessThan(5000);
  });

  it('masks the password when PostgreSQL cannot be reached', async () => {
    const r = await runSiaga(['serve'], { DATABASE_URL: 'postgres://siaga:hunter2-secret@127.0.0.1:1/x' });
    expectRefusal(r, 1, [
      'siaga: cannot connect to PostgreSQL at postgres://siaga:***@127.0.0.1:1/x: connection refused (is PostgreSQL running and listening there?)',
    ]);
    expect(r.stdout + r.stderr).not.toContain('hunter2-secret');
  });
});

/** `siaga config check` rows: `  key  value  [source]`. */
function settings(stdout: string): Map<string, { value: string; source: string }> {
  const rows = new Map<string, { value: string; source: string }>();
  for (const line of lines(stdout)) {
    const m = /^ {2}(\S+)\s+(.*?) {2}\[([^\]]+)\]$/.exec(line);
    if (m) rows.set(m[1]!, { value: m[2]!, source: m[3]! });
  }
  return rows;
}

describe('siaga config check', () => {
  it('prints the effective settings and where each came from, with the database password masked', async () => {
    const file = writeConfig('server:\n  port: 9123\n  shutdownTimeout: 3s\njobs:\n  concurrency: 4\n');
    const dataDir = path.join(tempDir(), 'data');
    const r = await runSiaga(['--config', file, 'config', 'check'], {
      PORT: undefined,
      SIAGA_DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://siaga:hunter2-secret@127.0.0.1:1/siaga',
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(lines(r.stdout)[0]).toBe(`configuration is valid (file: ${file})`);
    const rows = settings(r.stdout);
    expect(Object.fromEntries(rows)).toMatchObject({
      'server.host': { value: HOST, source: 'HOST' },
      'server.port': { value: '9123', source: 'file' },
      'server.publicUrl': { value: `http://${HOST}:9123`, source: 'default' },
      'server.shutdownTimeout': { value: '3000ms', source: 'file' },
      dataDir: { value: dataDir, source: 'SIAGA_DATA_DIR' },
      'database.url': { value: 'postgres://siaga:***@127.0.0.1:1/siaga', source: 'DATABASE_URL' },
      'jobs.concurrency': { value: '4', source: 'file' },
      'log.level': { value: 'warn', source: 'SIAGA_LOG_LEVEL' },
    });
    expect(r.stdout + r.stderr).not.toContain('hunter2-secret');
  });

  it('with --connect on SQLite, reports the database reachable', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const r = await runSiaga(['config', 'check', '--connect'], { SIAGA_DATA_DIR: dataDir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const out = lines(r.stdout);
    expect(out[0]).toBe('configuration is valid');
    expect(settings(r.stdout).get('database.url')).toEqual({
      value: `sqlite:${path.join(dataDir, 'siaga.db')}`,
      source: 'default',
    });
    expect(out.at(-1)).toBe('database reachable (sqlite)');
  });

  it('with --connect, says in one line when PostgreSQL cannot be reached', async () => {
    const r = await runSiaga(['config', 'check', '--connect'], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x',
    });
    expectRefusal(r, 1, [
      'siaga: cannot connect to PostgreSQL at postgres://postgres@127.0.0.1:1/x: connection refused (is PostgreSQL running and listening there?)',
    ]);
  });
});

describe('siaga migrate', () => {
  it('applies every migration to an empty SQLite data directory, then says it is up to date', async () => {
    const env = { SIAGA_DATA_DIR: path.join(tempDir(), 'data') };

    const before = await runSiaga(['migrate', '--status'], env);
    expect(before.code, before.stderr).toBe(0);
    expect(lines(before.stdout)).toContain('pending  0001-jobs-and-leases');
    expect(lines(before.stdout).every((l) => l.startsWith('pending  '))).toBe(true);

    const first = await runSiaga(['migrate'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    const applied = lines(first.stdout);
    expect(applied).toContain('applied  0001-jobs-and-leases');
    expect(applied.every((l) => l.startsWith('applied  '))).toBe(true);

    const second = await runSiaga(['migrate'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(lines(second.stdout)).toEqual(['database is up to date (sqlite)']);

    const status = await runSiaga(['migrate', '--status'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(lines(status.stdout)).toEqual(applied);
  });
});
