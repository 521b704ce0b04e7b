import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from './index.ts';

const cwd = '/srv/siaga';
const load = (env: Record<string, string> = {}, file?: string) => loadConfig({ env, file, cwd });

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

function yamlFile(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'siaga-config-'));
  const file = path.join(dir, 'siaga.yaml');
  writeFileSync(file, text);
  return file;
}

describe('configuration', () => {
  it('defaults to 127.0.0.1:8080 with SQLite under ./data', () => {
    const c = load();
    expect(c.server).toMatchObject({ host: '127.0.0.1', port: 8080, publicUrl: 'http://127.0.0.1:8080' });
    expect(c.dataDir).toBe('/srv/siaga/data');
    expect(c.database).toMatchObject({ dialect: 'sqlite', file: '/srv/siaga/data/siaga.db' });
    expect(c.log.level).toBe('info');
  });

  it('reads HOST, PORT and DATABASE_URL from the environment', () => {
    const c = load({ HOST: '0.0.0.0', PORT: '9000', DATABASE_URL: 'postgres://u:p@db:5432/siaga' });
    expect(c.server).toMatchObject({ host: '0.0.0.0', port: 9000, publicUrl: 'http://127.0.0.1:9000' });
    expect(c.database).toMatchObject({ dialect: 'postgres', url: 'postgres://u:p@db:5432/siaga' });
    expect(c.sources['server.port']).toBe('env');
  });

  it('accepts a sqlite: URL naming the database file', () => {
    expect(load({ DATABASE_URL: 'sqlite:var/siaga.db' }).database).toMatchObject({
      file: '/srv/siaga/var/siaga.db',
    });
    expect(load({ DATABASE_URL: 'sqlite:///tmp/x.db' }).database).toMatchObject({ file: '/tmp/x.db' });
  });

  it('parses durations and sizes the way operators write them', () => {
    const c = load({ SIAGA_SHUTDOWN_TIMEOUT: '5s', SIAGA_BODY_LIMIT: '512KiB', SIAGA_JOBS_LEASE: '2m' });
    expect(c.server.shutdownTimeoutMs).toBe(5000);
    expect(c.server.bodyLimit).toBe(512 * 1024);
    expect(c.jobs.leaseMs).toBe(120_000);
  });

  it('lets the environment override the file, and the file override defaults', () => {
    const file = yamlFile('server:\n  port: 9100\n  host: 10.0.0.1\nlog:\n  level: debug\n');
    const c = load({ PORT: '9200' }, file);
    expect(c.server.port).toBe(9200);
    expect(c.server.host).toBe('10.0.0.1');
    expect(c.log.level).toBe('debug');
    expect(c.sources).toMatchObject({
      'server.port': 'env',
      'server.host': 'file',
      'log.level': 'file',
      dataDir: 'default',
    });
  });

  it('names an unknown key in the file and suggests the right one', () => {
    const file = yamlFile('server:\n  prot: 9100\n');
    expect(problemsOf(() => load({}, file))).toEqual([
      `server.prot in ${file}: unknown key (did you mean server.port?)`,
    ]);
  });

  it('names a misspelt SIAGA_ environment variable', () => {
    expect(problemsOf(() => load({ SIAGA_LOGLEVEL: 'debug' }))).toEqual([
      'SIAGA_LOGLEVEL (environment): unknown setting (did you mean SIAGA_LOG_LEVEL?)',
    ]);
  });

  it('reports every bad value at once, each naming its key and what is expected', () => {
    const problems = problemsOf(() =>
      load({
        PORT: '70000',
        DATABASE_URL: 'mysql://db/x',
        SIAGA_LOG_LEVEL: 'loud',
        SIAGA_SHUTDOWN_TIMEOUT: 'soon',
      }),
    );
    expect(problems).toEqual([
      'PORT (environment): expected a whole number from 0 to 65535, got "70000"',
      'SIAGA_SHUTDOWN_TIMEOUT (environment): expected a duration such as 500ms, 30s or 5m, got "soon"',
      'DATABASE_URL (environment): expected a URL starting with postgres: or postgresql: or sqlite:, got "mysql:"',
      'SIAGA_LOG_LEVEL (environment): expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ]);
  });

  it('says when DATABASE_URL is not a URL at all', () => {
    expect(problemsOf(() => load({ DATABASE_URL: 'not a url' }))[0]).toMatch(
      /^DATABASE_URL \(environment\): expected a URL/,
    );
  });

  it('explains a missing or broken config file', () => {
    expect(problemsOf(() => load({}, '/nonexistent/siaga.yaml'))).toEqual([
      'config file /nonexistent/siaga.yaml: does not exist',
    ]);
    const broken = yamlFile('server: [unclosed\n');
    expect(problemsOf(() => load({}, broken))[0]).toMatch(/not valid YAML at line \d/);
    const scalar = yamlFile('server: 8080\n');
    expect(problemsOf(() => load({}, scalar))[0]).toMatch(
      /^server in .*: expected a mapping of settings \(server\.host/,
    );
  });

  it('masks the database password when describing the configuration', () => {
    const rows = describeConfig(load({ DATABASE_URL: 'postgres://siaga:hunter2@db/siaga' }));
    const db = rows.find((r) => r.key === 'database.url');
    expect(db?.value).toBe('postgres://siaga:***@db/siaga');
    expect(JSON.stringify(rows)).not.toContain('hunter2');
  });

  it('asks Twilio for status callbacks when the public URL is set, unless switched off', () => {
    const twilio = {
      SIAGA_TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
      SIAGA_TWILIO_AUTH_TOKEN: 'token',
      SIAGA_TWILIO_FROM: '+15005550006',
    };
    const callbacks = (env: Record<string, string>) => load(env).notify.providers.twilio?.statusCallbacks;
    // Without a public URL Twilio cannot reach Siaga (http://127.0.0.1:8080): off unless asked for.
    expect(callbacks(twilio)).toBe(false);
    expect(callbacks({ ...twilio, SIAGA_PUBLIC_URL: 'https://siaga.example.com' })).toBe(true);
    expect(
      callbacks({
        ...twilio,
        SIAGA_PUBLIC_URL: 'https://siaga.example.com',
        SIAGA_TWILIO_STATUS_CALLBACKS: 'off',
      }),
    ).toBe(false);
    expect(callbacks({ ...twilio, SIAGA_TWILIO_STATUS_CALLBACKS: 'true' })).toBe(true);
    const described = describeConfig(load({ ...twilio, SIAGA_PUBLIC_URL: 'https://siaga.example.com' }));
    expect(described.find((r) => r.key === 'notify.twilio.statusCallbacks')?.value).toBe('true');
  });
});
