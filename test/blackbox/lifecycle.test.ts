import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  escapeRegExp,
  hasStackTrace,
  HOST,
  lines,
  pollUntil,
  runSiaga,
  startSiaga,
  tryGet,
  type SiagaProcess,
} from './support.ts';

/** The server's life as an operator sees it: one server per SQLite file, restarts after a crash, graceful SIGTERM. */

afterEach(cleanup);

describe('one server per SQLite data directory', () => {
  it('refuses a second server naming the first one, keeps the first serving, and frees the lock when it dies', async () => {
    const first = await startSiaga();
    await first.ready();

    const second = await runSiaga(['serve'], { SIAGA_DATA_DIR: first.dataDir });
    const context = `stdout:\n${second.stdout}\nstderr:\n${second.stderr}`;
    expect(second.timedOut, context).toBe(false);
    expect(second.code, context).toBe(1);
    const dbFile = path.join(first.dataDir, 'siaga.db');
    expect(lines(second.stderr), context).toEqual([
      expect.stringMatching(
        new RegExp(
          `^siaga: another Siaga server \\(pid ${first.pid} on .+, started \\d{4}-\\d\\d-\\d\\dT[^,]+, ${escapeRegExp(first.url)}\\) ` +
            `is already using ${escapeRegExp(dbFile)}; stop it first, or give this one its own SIAGA_DATA_DIR ` +
            `\\(or use PostgreSQL to run several nodes\\)$`,
        ),
      ),
    ]);
    expect(hasStackTrace(second.stderr + second.stdout), context).toBe(false);

    // The refused start touched nothing the first server needs.
    expect((await tryGet(`${first.url}/readyz`))?.status).toBe(200);

    // kill -9 leaves no chance to clean up; the operating system still releases the lock.
    const killed = await first.stop('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');

    const restarted = await startSiaga({ dataDir: first.dataDir });
    await restarted.ready();
    const about = (await (await fetch(`${restarted.url}/api/v1/about`)).json()) as {
      database: { dialect: string };
    };
    expect(about.database.dialect).toBe('sqlite');
    const stopped = await restarted.stop('SIGTERM');
    expect(stopped, restarted.output()).toMatchObject({ code: 0, timedOut: false });
  });
});

interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Reads bytes from a raw socket and parses one HTTP/1.1 response with a content-length, skipping 1xx responses. */
class RawHttp {
  private buffer = '';
  private ended = false;

  readonly socket: Socket;

  constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (this.buffer += chunk));
    socket.on('close', () => (this.ended = true));
    socket.on('error', () => (this.ended = true));
  }

  get closed(): boolean {
    return this.ended;
  }

  /** Status codes of the 1xx responses seen so far. */
  readonly informational: number[] = [];

  private head():
    { statusLine: string; status: number; headers: Record<string, string>; end: number } | undefined {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const [statusLine = '', ...headerLines] = this.buffer.slice(0, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const h of headerLines) {
      const i = h.indexOf(':');
      headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
    }
    return { statusLine, status: Number(statusLine.split(' ')[1]), headers, end: end + 4 };
  }

  /** Consumes the 1xx responses at the front of what has arrived. */
  private skipInformational(): void {
    for (let h = this.head(); h && h.status >= 100 && h.status < 200; h = this.head()) {
      this.informational.push(h.status);
      this.buffer = this.buffer.slice(h.end);
    }
  }

  /** A complete final response if one has arrived (the socket is read as latin1: one char per byte). */
  private parse(): HttpResponse | undefined {
    this.skipInformational();
    const h = this.head();
    if (!h) return undefined;
    const length = Number(h.headers['content-length'] ?? NaN);
    if (!Number.isFinite(length)) throw new Error(`response without content-length: ${h.statusLine}`);
    if (this.buffer.length - h.end < length) return undefined;
    const body = Buffer.from(this.buffer.slice(h.end, h.end + length), 'latin1').toString('utf8');
    this.buffer = this.buffer.slice(h.end + length);
    return { status: h.status, headers: h.headers, body };
  }

  async response(what: string, timeoutMs = 10_000): Promise<HttpResponse> {
    return pollUntil(
      what,
      () => {
        const r = this.parse();
        if (r) return r;
        if (this.ended)
          throw new Error(`the connection closed before ${what}; received: ${JSON.stringify(this.buffer)}`);
        return undefined;
      },
      { timeoutMs },
    );
  }

  async continued(timeoutMs = 10_000): Promise<void> {
    await pollUntil(
      '100 Continue',
      () => {
        this.skipInformational();
        if (this.informational.includes(100)) return true;
        if (this.ended)
          throw new Error(
            `the connection closed before 100 Continue; received: ${JSON.stringify(this.buffer)}`,
          );
        return undefined;
      },
      { timeoutMs },
    );
  }
}

async function openRaw(port: number): Promise<RawHttp> {
  const socket = connect(port, HOST);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return new RawHttp(socket);
}

const ALERT_BODY = JSON.stringify([{ labels: { alertname: 'DiskFull', instance: 'db-1' }, annotations: {} }]);

/**
 * Starts a POST whose body is still on its way when SIGTERM arrives. `Expect: 100-continue` (what curl sends before
 * a large upload) gives the positive signal that the server has read the headers and is handling the request.
 */
async function startSlowUpload(server: SiagaProcess): Promise<RawHttp> {
  const conn = await openRaw(server.port);
  conn.socket.write(
    'POST /api/v2/alerts HTTP/1.1\r\n' +
      `Host: ${HOST}:${server.port}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(ALERT_BODY)}\r\n` +
      'Expect: 100-continue\r\n\r\n',
  );
  await conn.continued();
  conn.socket.write(ALERT_BODY.slice(0, 10));
  return conn;
}

/** Waits until the listener is closed: new connections are refused. */
async function waitUntilRefused(server: SiagaProcess): Promise<void> {
  await pollUntil(`${server.url} to stop accepting connections`, async () => {
    if (server.exitInfo()) return true;
    return (await tryGet(`${server.url}/readyz`, 500)) === undefined ? true : undefined;
  });
}

/**
 * Every non-empty stdout line is a JSON log entry with level, time and msg: log shippers read stdout line by
 * line. Returns the entries.
 */
function expectJsonLogLines(server: SiagaProcess): { msg: string }[] {
  const entries: { msg: string }[] = [];
  const notLogLines: string[] = [];
  for (const line of lines(server.stdout())) {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      notLogLines.push(line);
      continue;
    }
    const e = entry as Record<string, unknown> | null;
    if (
      e === null ||
      typeof e !== 'object' ||
      e.level === undefined ||
      e.time === undefined ||
      typeof e.msg !== 'string'
    ) {
      notLogLines.push(line);
      continue;
    }
    entries.push(e as { msg: string });
  }
  expect(notLogLines, 'stdout lines that are not JSON log entries with level, time and msg').toEqual([]);
  expect(entries.length).toBeGreaterThan(0);
  return entries;
}

describe('SIGTERM', () => {
  it('finishes the request in flight, stops accepting new ones, and exits 0 with JSON logs ending in "stopped"', async () => {
    // A shutdown timeout far above the 10 s bound below: the exit must come from work finishing, not from the deadline.
    const server = await startSiaga({ env: { SIAGA_LOG_LEVEL: 'info', SIAGA_SHUTDOWN_TIMEOUT: '30s' } });
    await server.ready();

    // An idle keep-alive connection (a client that made a request and kept the socket) must not hold shutdown up.
    const idle = await openRaw(server.port);
    idle.socket.write(`GET /healthz HTTP/1.1\r\nHost: ${HOST}:${server.port}\r\n\r\n`);
    expect((await idle.response('GET /healthz')).status).toBe(200);

    const upload = await startSlowUpload(server);
    const t0 = performance.now();
    server.signal('SIGTERM');

    await pollUntil('the "shutting down" log line', () =>
      server.stdout().includes('"msg":"shutting down') ? true : undefined,
    );
    await waitUntilRefused(server);
    expect(server.exitInfo(), 'the server exited with a request still in flight').toBeUndefined();

    upload.socket.write(ALERT_BODY.slice(10));
    const res = await upload.response('the answer to the upload');
    // Whatever the route answers, it is an answer from the application, not a refusal because it is closing.
    expect(res.status, res.body).not.toBe(503);
    expect(res.status, res.body).toBeLessThan(500);
    expect(res.headers['x-request-id']).toBeTruthy();
    upload.socket.end();

    const exit = await server.waitExit(10_000 - (performance.now() - t0));
    expect(exit, server.output()).toMatchObject({ code: 0, signal: null, timedOut: false });
    expect(performance.now() - t0).toBeLessThan(10_000);
    await pollUntil(
      'the idle keep-alive connection to be closed by the server',
      () => (idle.closed ? true : undefined),
      {
        timeoutMs: 2000,
      },
    );
    expect(hasStackTrace(server.stderr()), server.stderr()).toBe(false);

    const msgs = expectJsonLogLines(server).map((e) => e.msg);
    expect(msgs).toContain('siaga is ready');
    expect(msgs).toContain('signal received');
    expect(msgs.at(-1)).toBe('stopped');
  });

  it('exits 0 within the shutdown timeout even when a keep-alive client holds its connection after its answer', async () => {
    // Answers sent during shutdown carry `Connection: close`, so the exit comes well within the 10 s bound even
    // with a 30 s shutdown timeout: nothing waits for the client to hang up.
    const server = await startSiaga({ env: { SIAGA_LOG_LEVEL: 'info', SIAGA_SHUTDOWN_TIMEOUT: '30s' } });
    await server.ready();
    const upload = await startSlowUpload(server);
    const t0 = performance.now();
    server.signal('SIGTERM');
    await waitUntilRefused(server);

    upload.socket.write(ALERT_BODY.slice(10));
    const res = await upload.response('the answer to the upload');
    expect(res.status, res.body).toBeLessThan(500);
    // The client keeps the socket open, as keep-alive clients do; the server must still go.

    const exit = await server.waitExit(10_000 - (performance.now() - t0));
    expect(exit, server.output()).toMatchObject({ code: 0, signal: null, timedOut: false });
    expect(performance.now() - t0).toBeLessThan(10_000);
    await pollUntil('the server to close the kept connection', () => (upload.closed ? true : undefined), {
      timeoutMs: 2000,
    });
    expect(expectJsonLogLines(server).at(-1)?.msg).toBe('stopped');
  });

  it('answers /readyz until SIGTERM, then stops answering and exits 0 quickly when idle', async () => {
    const server = await startSiaga({ env: { SIAGA_LOG_LEVEL: 'info' } });
    await server.ready();
    expect((await tryGet(`${server.url}/healthz`))?.status).toBe(200);
    const exit = await server.stop('SIGTERM', 10_000);
    expect(exit, server.output()).toMatchObject({ code: 0, signal: null, timedOut: false });
    expect(await tryGet(`${server.url}/readyz`, 500)).toBeUndefined();
    expect(expectJsonLogLines(server).at(-1)?.msg).toBe('stopped');
  });
});

describe('SIGINT (Ctrl-C)', () => {
  it('shuts down gracefully like SIGTERM', async () => {
    const server = await startSiaga({ env: { SIAGA_LOG_LEVEL: 'info' } });
    await server.ready();
    const exit = await server.stop('SIGINT', 10_000);
    expect(exit, server.output()).toMatchObject({ code: 0, signal: null, timedOut: false });
    expect(lines(server.stdout()).some((l) => l.includes('"signal":"SIGINT"'))).toBe(true);
  });
});
