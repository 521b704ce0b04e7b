import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../bench/lib/net.ts';

export { freePort };
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from 'playwright-core';

/** Shared by the browser tests: the real server as a child process, Debian's Chromium, and page helpers. */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const READY_POLL_MS = 50;
const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;
const OUTPUT_LIMIT = 64 * 1024;
const SETUP_LINK_TIMEOUT_MS = 10_000;
const SETUP_LINK = /https?:\/\/\S+\/setup#token=\S+/;

export function assertWebBuilt(): void {
  const index = path.join(REPO_ROOT, 'web', 'dist', 'index.html');
  if (!existsSync(index)) {
    throw new Error(
      `${index} is missing: the browser tests need the built web UI. Run \`npm run build\` ` +
        '(`npm test` does it in pretest).',
    );
  }
}

export interface SiagaServer {
  readonly baseUrl: string;
  readonly pid: number;
  readonly dataDir: string;
  /** The first-run link (`http://…/setup#token=setup_…`) once the server has printed it (stdout or stderr). */
  readonly setupLink: string | undefined;
  /** Resolves with the first-run link as soon as the server prints it; rejects if it exits or takes too long. */
  waitForSetupLink(timeoutMs?: number): Promise<string>;
  /** The server's stdout and stderr so far (the last 64 KiB), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** Extra environment for the server, e.g. DATABASE_URL. */
  env?: Record<string, string>;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/** The environment of this process without Siaga settings, so a developer's shell cannot change the server under test. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('SIAGA_') || key === 'DATABASE_URL' || key === 'HOST' || key === 'PORT') continue;
    env[key] = value;
  }
  return env;
}

/** Starts `node src/main.ts serve` on a free loopback port with a fresh data directory and waits until /readyz is 200. */
export async function startServer(options: StartServerOptions = {}): Promise<SiagaServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'siaga-ui-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['src/main.ts', 'serve'], {
    cwd: REPO_ROOT,
    env: {
      ...cleanEnv(),
      HOST: '127.0.0.1',
      PORT: String(port),
      SIAGA_DATA_DIR: dataDir,
      SIAGA_LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`could not start ${process.execPath} src/main.ts serve`);
  }
  const pid = child.pid;

  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  // The first-run link is a plain line, not a JSON log line: `  http://HOST:PORT/setup#token=setup_…`. It is read
  // from both streams: the brief says standard output, and a change in progress moves it to standard error.
  let setupLink: string | undefined;
  const setupLinkSeen = new Promise<string>((resolve, reject) => {
    const watch = (stream: NodeJS.ReadableStream) => {
      let pending = '';
      const onData = (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        const link = lines.map((line) => SETUP_LINK.exec(line)?.[0]).find((found) => found !== undefined);
        if (link === undefined) return;
        setupLink ??= link;
        stream.off('data', onData);
        resolve(link);
      };
      stream.on('data', onData);
    };
    watch(child.stdout);
    watch(child.stderr);
    child.once('exit', () => reject(new Error(`the server exited before printing a setup link:\n${output}`)));
  });
  setupLinkSeen.catch(() => {}); // Awaited only by tests that want it.

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (!exited(child)) {
        process.kill(pid, 'SIGTERM');
        if (!(await waitForExit(child, STOP_GRACE_MS)) && !exited(child)) {
          process.kill(pid, 'SIGKILL');
          await waitForExit(child, STOP_GRACE_MS);
        }
      }
      await rm(dataDir, { recursive: true, force: true, maxRetries: 3 });
    })();
    return stopped;
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem: string;
  for (;;) {
    if (exited(child)) {
      await stop();
      throw new Error(
        `the server exited (code ${child.exitCode}, signal ${child.signalCode}) before it was ready:\n${output}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(1_000) });
      if (response.status === 200) break;
      lastProblem = `/readyz answered ${response.status}: ${await response.text()}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server was not ready within ${READY_TIMEOUT_MS} ms (${lastProblem}):\n${output}`);
    }
    await delay(READY_POLL_MS);
  }

  const waitForSetupLink = (timeoutMs = SETUP_LINK_TIMEOUT_MS): Promise<string> =>
    Promise.race([
      setupLinkSeen,
      delay(timeoutMs, undefined, { ref: false }).then(() => {
        throw new Error(`the server printed no setup link within ${timeoutMs} ms:\n${output}`);
      }),
    ]);

  return {
    baseUrl,
    pid,
    dataDir,
    get setupLink() {
      return setupLink;
    },
    waitForSetupLink,
    output: () => output,
    stop,
  };
}

export interface Credentials {
  email: string;
  name: string;
  password: string;
}

/** What the server hands a signed-in browser: the HttpOnly session cookie and the CSRF token for writes. */
export interface ApiSession {
  cookie: { name: string; value: string };
  csrfToken: string;
  userId: string;
}

/**
 * Creates the first administrator through the API with the token the server printed, as the setup page would,
 * and returns the session it starts (one password hash on the server; no sign-in needed afterwards).
 */
export async function completeSetupViaApi(server: SiagaServer, admin: Credentials): Promise<ApiSession> {
  const link = await server.waitForSetupLink();
  const token = new URLSearchParams(new URL(link).hash.slice(1)).get('token');
  if (!token) throw new Error(`no token in the setup link ${link}`);
  const response = await fetch(`${server.baseUrl}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, ...admin, timeZone: 'UTC' }),
  });
  if (response.status !== 201) {
    throw new Error(`POST /api/v1/setup answered ${response.status}: ${await response.text()}`);
  }
  return sessionFrom('POST /api/v1/setup', response);
}

/** Signs in through the API as the sign-in page would (one password hash) and returns the session it starts. */
export async function signInViaApi(
  server: SiagaServer,
  who: Pick<Credentials, 'email' | 'password'>,
): Promise<ApiSession> {
  const response = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: who.email, password: who.password }),
  });
  if (response.status !== 200) {
    throw new Error(`POST /api/v1/auth/login answered ${response.status}: ${await response.text()}`);
  }
  return sessionFrom('POST /api/v1/auth/login', response);
}

/** The session cookie and CSRF token of a sign-in or setup answer. */
async function sessionFrom(what: string, response: Response): Promise<ApiSession> {
  const body = (await response.json()) as { csrfToken: string; user: { id: string } };
  const cookie = /^([^=;]+)=([^;]*)/.exec(response.headers.get('set-cookie') ?? '');
  if (!cookie?.[1] || cookie[2] === undefined) throw new Error(`${what} set no session cookie`);
  return { cookie: { name: cookie[1], value: cookie[2] }, csrfToken: body.csrfToken, userId: body.user.id };
}

/**
 * Calls the API as a signed-in person (session cookie and CSRF token), for the setup a test does not exercise
 * through the page. Resolves with the parsed body (undefined for 204); rejects on any other status than 2xx.
 */
export async function callApi(
  server: SiagaServer,
  session: ApiSession,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      cookie: `${session.cookie.name}=${session.cookie.value}`,
      ...(method === 'GET' ? {} : { 'x-csrf-token': session.csrfToken }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.status === 204 ? undefined : ((await response.json()) as unknown);
}

/** Puts a session cookie into a browser context, as the browser would have stored it after signing in. */
export async function addSessionCookie(
  context: BrowserContext,
  baseUrl: string,
  session: ApiSession,
): Promise<void> {
  await context.addCookies([{ ...session.cookie, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install Debian's chromium package (apt-get install chromium).`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** A fresh browser profile pinned to UTC, en-US and a light OS theme unless the test says otherwise. */
export async function newContext(
  browser: Browser,
  baseURL: string,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    timezoneId: 'UTC',
    locale: 'en-US',
    colorScheme: 'light',
    ...options,
  });
  // Fail well inside the test timeout, with Playwright's own message about what it waited for.
  context.setDefaultTimeout(10_000);
  return context;
}

/** Collects uncaught exceptions thrown in the page; a test asserts the list is empty at its end. */
export function trackPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
  return errors;
}
