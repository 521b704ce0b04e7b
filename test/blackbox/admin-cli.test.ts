import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, lines, runSiaga, startSiaga, tempDir } from './support.ts';

afterAll(cleanup);

describe('siaga admin create', () => {
  it('creates an administrator from the shell; the server then needs no setup link and lets them sign in', async () => {
    const dataDir = tempDir('siaga-bb-admin-');
    const created = await runSiaga(
      ['admin', 'create', '--email', 'Ops@Example.com', '--name', 'Ops Lead', '--password-stdin'],
      { SIAGA_DATA_DIR: dataDir },
      { input: 'a fine long passphrase 1\n' },
    );
    expect(created.code, created.stderr).toBe(0);
    expect(lines(created.stdout)).toEqual([
      expect.stringMatching(
        /^created administrator ops@example\.com \(usr_[0-9A-Z]{26}\); sign in at http:\/\/127\.0\.0\.1:\d+\/login$/,
      ),
    ]);

    const server = await startSiaga({ dataDir, env: { SIAGA_LOG_LEVEL: 'warn' } });
    await server.ready();
    expect(server.stderr()).not.toContain('/setup#token=');
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@example.com', password: 'a fine long passphrase 1' }),
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { user: { role: string } }).user.role).toBe('admin');
    await server.stop();
  });

  it('refuses a duplicate email, a common password and a missing password, each with one line', async () => {
    const dataDir = tempDir('siaga-bb-admin-');
    const run = (email: string, input?: string) =>
      runSiaga(
        [
          'admin',
          'create',
          '--email',
          email,
          '--name',
          'X',
          ...(input === undefined ? [] : ['--password-stdin']),
        ],
        { SIAGA_DATA_DIR: dataDir },
        input === undefined ? {} : { input },
      );
    expect((await run('x@example.com', 'a fine long passphrase 2\n')).code).toBe(0);
    const dup = await run('X@example.com', 'another fine passphrase 3\n');
    expect([dup.code, lines(dup.stderr)]).toEqual([
      1,
      ['siaga: a user with email x@example.com already exists'],
    ]);
    const weak = await run('y@example.com', 'password1234\n');
    expect([weak.code, lines(weak.stderr)]).toEqual([
      1,
      [
        'siaga: password is one of the most common passwords; choose another',
        'siaga:   /password: is one of the most common passwords; choose another',
      ],
    ]);
    const noTty = await run('z@example.com');
    expect([noTty.code, lines(noTty.stderr)]).toEqual([
      1,
      ['siaga: no terminal to ask for a password; pipe it in with --password-stdin'],
    ]);
  });

  it('prints the first-run setup link on standard error, keeping standard output for JSON log lines', async () => {
    const server = await startSiaga({ env: { SIAGA_LOG_LEVEL: 'warn' } });
    await server.ready();
    expect(server.stderr()).toMatch(
      new RegExp(`^  ${server.url.replace(/[.]/g, '\\.')}/setup#token=setup_[\\w-]{43}$`, 'm'),
    );
    for (const line of lines(server.stdout())) expect(() => JSON.parse(line) as unknown).not.toThrow();
    await server.stop();
  });
});
