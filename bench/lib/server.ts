import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from './net.ts';

export { freePort };

/** Running the real server for benchmarks: spawn by PID, observe over loopback HTTP and /proc, stop by PID. */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const HOST = '127.0.0.1';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** This process's environment without anything Siaga reads, so the caller's shell cannot change what is measured. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (key.startsWith('SIAGA_') || key === 'DATABASE_URL' || key === 'PORT' || key === 'HOST') continue;
    env[key] = value;
  }
  return env;
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** performance.now() just before spawn(). */
  readonly spawnedAt: number;
  /** The last 64 KiB of stdout and stderr, for error messages. */
  output(): string;
  running(): boolean;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const OUTPUT_LIMIT = 64 * 1024;

/** Spawns the server from the repository root exactly as `npm start` runs it (after its prestart). */
export const START_ARGS = ['--max-semi-space-size=16', 'bin/siaga.js', 'serve'] as const;

export function spawnServer(opts: {
  port: number;
  dataDir: string;
  env?: Record<string, string>;
}): ServerProcess {
  const env = { ...cleanEnv(), HOST, PORT: String(opts.port), SIAGA_DATA_DIR: opts.dataDir, ...opts.env };
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...START_ARGS], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${process.execPath} ${START_ARGS.join(' ')}`);
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  return {
    child,
    pid: child.pid,
    port: opts.port,
    url: `http://${HOST}:${opts.port}`,
    spawnedAt,
    output: () => output,
    running: () => child.exitCode === null && child.signalCode === null,
    exited,
  };
}

/** One GET on a fresh connection; resolves with the status code, or undefined when nothing answered. */
export function getStatus(url: string, timeoutMs = 1000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode));
      res.once('error', () => resolve(undefined));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(undefined));
    req.end();
  });
}

/**
 * Polls /readyz every `intervalMs` until it answers 200 and returns the moment it did (performance.now()).
 * Throws, with the server's output, if the process exits first or `timeoutMs` passes.
 */
export async function waitReady(
  server: ServerProcess,
  { intervalMs = 5, timeoutMs = 30_000 } = {},
): Promise<number> {
  const deadline = server.spawnedAt + timeoutMs;
  for (;;) {
    if (!server.running()) {
      throw new Error(
        `the server exited (code ${server.child.exitCode}) before it was ready:\n${server.output()}`,
      );
    }
    const status = await getStatus(`${server.url}/readyz`);
    if (status === 200) return performance.now();
    if (performance.now() > deadline) {
      throw new Error(
        `the server was not ready within ${timeoutMs} ms (last /readyz: ${status}):\n${server.output()}`,
      );
    }
    await delay(intervalMs);
  }
}

/** Resident set size of a process in MiB, from /proc/PID/status (VmRSS); undefined where /proc is missing. */
export function rssMiB(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends `signal` and returns the milliseconds until the process exited, with its exit code. Past `timeoutMs` the
 * process is killed with SIGKILL and an error is thrown.
 */
export async function stopServer(
  server: ServerProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 15_000,
): Promise<{ ms: number; code: number | null }> {
  if (!server.running()) {
    const e = await server.exited;
    return { ms: 0, code: e.code };
  }
  const t0 = performance.now();
  process.kill(server.pid, signal);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  const outcome = await Promise.race([server.exited, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    if (server.running()) process.kill(server.pid, 'SIGKILL');
    await server.exited;
    throw new Error(`the server did not exit within ${timeoutMs} ms of ${signal}:\n${server.output()}`);
  }
  return { ms: outcome.at - t0, code: outcome.code };
}

/** Kills a server that is still running (SIGKILL, by PID) and waits for it; for cleanup after a failure. */
export async function killServer(server: ServerProcess): Promise<void> {
  if (server.running()) process.kill(server.pid, 'SIGKILL');
  await server.exited;
}
