import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, cleanup, freePort, lines, pollUntil, REPO_ROOT, tempDir, tryGet } from './support.ts';

/**
 * The README's `npm start`, stopped the two ways it is in practice: a supervisor sends SIGTERM to npm's pid, and
 * Ctrl-C in a terminal sends SIGINT to the whole process group (npm forwards a second copy). Both must end in a
 * graceful shutdown, not an orphaned server or a cut-off one.
 */
describe('npm start', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    // Kill the whole group whatever npm's state: if npm has exited, a server it left behind is still in it.
    if (child?.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone: nothing left to stop
      }
    }
    await cleanup();
  });

  async function startWithNpm(): Promise<{
    url: string;
    output: () => string;
    exited: Promise<number | null>;
  }> {
    const port = await freePort();
    let output = '';
    const proc = spawn('npm', ['start', '--silent'], {
      cwd: REPO_ROOT,
      env: {
        ...cleanEnv(),
        HOST: '127.0.0.1',
        PORT: String(port),
        SIAGA_DATA_DIR: tempDir('siaga-bb-npm-'),
        SIAGA_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, as a terminal session would be
    });
    child = proc;
    proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    await pollUntil(
      'npm start to be ready',
      async () => ((await tryGet(`${url}/readyz`, 500))?.status === 200 ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    return { url, output: () => output, exited };
  }

  const stoppedLines = (out: string) => lines(out).filter((l) => l.includes('"msg":"stopped"'));

  it('shuts down gracefully when a supervisor sends SIGTERM to npm', async () => {
    const s = await startWithNpm();
    process.kill(child!.pid!, 'SIGTERM');
    await s.exited;
    await pollUntil(
      'the server to stop answering',
      async () => ((await tryGet(`${s.url}/healthz`, 300)) === undefined ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    expect(stoppedLines(s.output()), s.output()).toHaveLength(1);
  });

  it('shuts down gracefully on Ctrl-C (SIGINT to the process group, delivered twice)', async () => {
    const s = await startWithNpm();
    process.kill(-child!.pid!, 'SIGINT');
    await s.exited;
    await pollUntil(
      'the server to stop answering',
      async () => ((await tryGet(`${s.url}/healthz`, 300)) === undefined ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 50 },
    );
    expect(stoppedLines(s.output()), s.output()).toHaveLength(1);
  });
});
