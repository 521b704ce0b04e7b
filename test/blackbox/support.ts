import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../bench/lib/net.ts';

export { freePort };

/**
 * Black-box helpers: the real `node src/main.ts` as a child process on a loopback port, with a data directory of
 * its own, observed only through its exit code, its output and HTTP. Everything started here is tracked, and
 * `cleanup()` (call it from afterEach) kills what is still running, by PID, and removes the temporary directories.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const HOST = '127.0.0.1';

const POLL_MS = 25;
const READY_TIMEOUT_MS = 15_000;
const RUN_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_LIMIT = 1024 * 1024;

const liveChildren = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** A fresh temporary directory, removed by `cleanup()`. */
export function tempDir(prefix = 'siaga-bb-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Environment overrides; `undefined` removes a variable. */
export type EnvOverrides = Readonly<Record<string, string | undefined>>;

/** This process's environment without anything Siaga reads, so a developer's shell cannot change the server under test. */
export function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (key.startsWith('SIAGA_') || key === 'DATABASE_URL' || key === 'PORT' || key === 'HOST') continue;
    env[key] = value;
  }
  return env;
}

function buildEnv(base: Record<string, string>, overrides: EnvOverrides): Record<string, string> {
  const env = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Polls `check` every `intervalMs` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function pollUntil<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 15_000, intervalMs = POLL_MS }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(intervalMs);
  }
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface StopResult extends ExitInfo {
  /** From the call to the exit. */
  readonly ms: number;
  readonly timedOut: boolean;
}

export interface SiagaProcess {
  readonly pid: number;
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly dataDir: string;
  stdout(): string;
  stderr(): string;
  /** Both streams, for failure messages. */
  output(): string;
  /** Undefined while the process runs. */
  exitInfo(): ExitInfo | undefined;
  /** Resolves when the process ends. */
  readonly exited: Promise<ExitInfo>;
  /** Polls /readyz until 200; fails at once, with the output, if the process ends first. */
  ready(timeoutMs?: number): Promise<void>;
  /** Sends a signal (by PID) unless the process has ended. */
  signal(signal: NodeJS.Signals): void;
  /** Waits for the exit without sending anything; past `timeoutMs` it is killed with SIGKILL and `timedOut` is set. */
  waitExit(timeoutMs?: number): Promise<StopResult>;
  /** Sends `signal` once, then `waitExit(timeoutMs)`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<StopResult>;
}

export interface StartOptions {
  /** Extra environment (after the defaults); `undefined` removes a variable. */
  readonly env?: EnvOverrides;
  /** Arguments after `src/main.ts`; default `['serve']`. */
  readonly args?: readonly string[];
  /** Reuse a data directory (e.g. a second server on the same one); default: a fresh one. */
  readonly dataDir?: string;
  /** Default: a free port. */
  readonly port?: number;
}

function spawnSiaga(args: readonly string[], env: Record<string, string>, input?: string): ChildProcess {
  const child = spawn(process.execPath, ['src/main.ts', ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (input !== undefined) child.stdin?.end(input);
  if (child.pid === undefined)
    throw new Error(`could not start ${process.execPath} src/main.ts ${args.join(' ')}`);
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  return child;
}

function collect(stream: NodeJS.ReadableStream | null): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text = text.length + chunk.length > OUTPUT_LIMIT ? (text + chunk).slice(-OUTPUT_LIMIT) : text + chunk;
  });
  return () => text;
}

function exitPromise(child: ChildProcess): Promise<ExitInfo> {
  // 'close' rather than 'exit': by then stdout and stderr have been read to the end.
  return new Promise((resolve) => {
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal }));
  });
}

function running(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** Sends a signal by PID to a child of ours, unless it has already ended. */
function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid !== undefined && running(child)) process.kill(child.pid, signal);
}

/** Starts `node src/main.ts serve` (or `args`) on 127.0.0.1 and a free port with a fresh data directory. Does not wait. */
export async function startSiaga(options: StartOptions = {}): Promise<SiagaProcess> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? tempDir('siaga-bb-data-');
  const env = buildEnv(cleanEnv(), {
    HOST,
    PORT: String(port),
    SIAGA_DATA_DIR: dataDir,
    SIAGA_LOG_LEVEL: 'warn',
    ...options.env,
  });
  const child = spawnSiaga(options.args ?? ['serve'], env);
  const pid = child.pid!;
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  let info: ExitInfo | undefined;
  const exited = exitPromise(child).then((i) => (info = i));
  const url = `http://${HOST}:${port}`;
  const proc: SiagaProcess = {
    pid,
    port,
    url,
    dataDir,
    stdout,
    stderr,
    output: () => `--- stdout ---\n${stdout()}\n--- stderr ---\n${stderr()}`,
    exitInfo: () => info,
    exited,
    ready: (timeoutMs = READY_TIMEOUT_MS) => waitReady(url, { timeoutMs, process: proc }),
    async waitExit(timeoutMs = STOP_TIMEOUT_MS) {
      const t0 = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>(
        (resolve) => (timer = setTimeout(() => resolve('late'), Math.max(0, timeoutMs))),
      );
      const outcome = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (outcome === 'late') {
        signalChild(child, 'SIGKILL');
        return { ...(await exited), ms: performance.now() - t0, timedOut: true };
      }
      return { ...outcome, ms: performance.now() - t0, timedOut: false };
    },
    async stop(signal = 'SIGTERM', timeoutMs = STOP_TIMEOUT_MS) {
      signalChild(child, signal);
      return proc.waitExit(timeoutMs);
    },
    signal(signal) {
      signalChild(child, signal);
    },
  };
  return proc;
}

/** GET with a per-request timeout; undefined when nothing answered (refused, reset, timed out). */
export async function tryGet(url: string, timeoutMs = 1000): Promise<Response | undefined> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    return undefined;
  }
}

/** Polls `${url}/readyz` every 25 ms until it answers 200. With `process`, fails at once if that process ends. */
export async function waitReady(
  url: string,
  { timeoutMs = READY_TIMEOUT_MS, process: proc }: { timeoutMs?: number; process?: SiagaProcess } = {},
): Promise<void> {
  let last = 'no answer';
  try {
    await pollUntil(
      `${url}/readyz to answer 200`,
      async () => {
        const exit = proc?.exitInfo();
        if (exit) {
          throw new Error(
            `the server exited (code ${exit.code}, signal ${exit.signal}) before it was ready:\n${proc?.output()}`,
          );
        }
        const res = await tryGet(`${url}/readyz`);
        if (res === undefined) return undefined;
        const body = await res.text();
        if (res.status === 200) return true;
        last = `${res.status} ${body}`;
        return undefined;
      },
      { timeoutMs },
    );
  } catch (err) {
    if ((err as Error).message.startsWith('timed out')) {
      throw new Error(`${(err as Error).message} (last answer: ${last})${proc ? `\n${proc.output()}` : ''}`, {
        cause: err,
      });
    }
    throw err;
  }
}

export interface RunResult {
  /** null when the process was killed (it ran longer than the timeout, or by a signal). */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly timedOut: boolean;
}

/**
 * Runs a short command (`siaga migrate`, `siaga config check`, or a `serve` that is expected to fail) to its end.
 * Defaults as for `startSiaga` (fresh data directory, free port); one that outlives `timeoutMs` is killed.
 */
export async function runSiaga(
  args: readonly string[],
  env: EnvOverrides = {},
  { timeoutMs = RUN_TIMEOUT_MS, input }: { timeoutMs?: number; input?: string } = {},
): Promise<RunResult> {
  const base = buildEnv(cleanEnv(), {
    HOST,
    PORT: String(await freePort()),
    SIAGA_DATA_DIR: tempDir('siaga-bb-data-'),
    SIAGA_LOG_LEVEL: 'warn',
  });
  const t0 = performance.now();
  const child = spawnSiaga(args, buildEnv(base, env), input);
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signalChild(child, 'SIGKILL');
  }, timeoutMs);
  const { code, signal } = await exitPromise(child);
  clearTimeout(timer);
  return { code, signal, stdout: stdout(), stderr: stderr(), ms: performance.now() - t0, timedOut };
}

/** Non-empty lines of a text. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** True when the text holds a JavaScript stack frame ("    at fn (file:line)"). */
export function hasStackTrace(text: string): boolean {
  return /^\s+at\s/m.test(text);
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Kills (SIGKILL, by PID) every process started here that still runs, then removes the temporary directories. */
export async function cleanup(): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const child of liveChildren) {
    if (running(child)) {
      waits.push(new Promise((resolve) => child.once('exit', resolve)));
      signalChild(child, 'SIGKILL');
    }
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(waits), new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
  clearTimeout(timer);
  liveChildren.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  tempDirs.clear();
}
