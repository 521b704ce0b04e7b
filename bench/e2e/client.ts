import { fork } from 'node:child_process';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { alertBody, parseNotification } from './alerts.ts';

/**
 * The client side of one end-to-end run, in a forked process of its own (so the driver's work does not delay it):
 * a webhook receiver on 127.0.0.1 and an open-loop load generator. Both read the same clock
 * (`performance.now()` of this process), so post-to-arrival latency needs no clock sync.
 *
 * The generator posts one alert per request at a fixed rate: alert `i` is due at `start + i / rate`, whatever
 * happened to earlier requests (open loop: a slow server does not slow the sender down, it only builds up
 * requests in flight). The receiver answers 200 at once and records when each alert's notification arrived.
 */

export interface RunRequest {
  /** `http://127.0.0.1:PORT` of the target, no trailing slash. */
  readonly baseUrl: string;
  /** Bearer keys; alert `i` is sent with `keys[i % keys.length]`. Alertmanager ignores the header. */
  readonly keys: readonly string[];
  readonly runId: string;
  /** Alerts per second. */
  readonly rate: number;
  /** Alerts posted first and left out of the latency figures (they are still checked for loss and duplicates). */
  readonly warmupMs: number;
  readonly durationMs: number;
  /** After the last post, how long to wait at most for the notifications still missing. */
  readonly drainMs: number;
  /** Once nothing is missing, how long to keep listening for duplicates. */
  readonly settleMs: number;
}

export interface RunResult {
  /** Alerts posted; alert `i` < `warmup` was a warm-up alert. */
  readonly total: number;
  readonly warmup: number;
  /** `performance.timeOrigin` of the client, to turn its times into epoch milliseconds. */
  readonly timeOrigin: number;
  /** Per alert, client clock (ms): when its POST was issued, and when the answer ended (NaN: no answer). */
  readonly postAt: Float64Array;
  readonly ackAt: Float64Array;
  /** 1: answered 2xx. */
  readonly acked: Uint8Array;
  /** First arrival of a notification naming the alert, on its own or in a bundle (NaN: none). */
  readonly firstAt: Float64Array;
  /** How many notifications named it on its own, and inside a bundle. */
  readonly singles: Uint16Array;
  readonly bundled: Uint16Array;
  /** Notifications that arrived (webhook requests), those naming nothing of this run, and repeated webhook ids. */
  readonly requests: number;
  readonly foreign: number;
  readonly repeatedWebhookIds: number;
  /** HTTP errors and socket errors of the POSTs, with a few samples. */
  readonly non2xx: number;
  readonly socketErrors: number;
  readonly errorSamples: readonly string[];
  /** How far behind its schedule the generator issued a POST: p99 and max (ms). */
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  /** From the first post to the end of the wait for notifications. */
  readonly elapsedMs: number;
  /** Whether the wait ended because everything had arrived (false: the drain timed out). */
  readonly complete: boolean;
  /** CPU this process used from the first post to the end, in cores. */
  readonly cpuCores: number;
}

type ToWorker = { type: 'run'; request: RunRequest };
type FromWorker =
  | { type: 'listening'; port: number }
  | { type: 'result'; result: RunResult }
  | { type: 'failed'; message: string };

const POST_TIMEOUT_MS = 30_000;
const MAX_SOCKETS = 256;
const POLL_MS = 20;
const ERROR_SAMPLES = 5;
const MAX_BODY = 4 * 1024 * 1024;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The worker's state for one run: filled by the receiver and the generator. */
class Recorder {
  readonly postAt: Float64Array;
  readonly ackAt: Float64Array;
  readonly acked: Uint8Array;
  readonly firstAt: Float64Array;
  readonly singles: Uint16Array;
  readonly bundled: Uint16Array;
  readonly webhookIds = new Map<string, number>();
  requests = 0;
  foreign = 0;
  readonly runId: string;
  readonly total: number;
  constructor(runId: string, total: number) {
    this.runId = runId;
    this.total = total;
    this.postAt = new Float64Array(total).fill(NaN);
    this.ackAt = new Float64Array(total).fill(NaN);
    this.acked = new Uint8Array(total);
    this.firstAt = new Float64Array(total).fill(NaN);
    this.singles = new Uint16Array(total);
    this.bundled = new Uint16Array(total);
  }

  arrived(at: number, body: string, webhookId: string | undefined): void {
    this.requests++;
    const n = parseNotification(this.runId, body, webhookId);
    if (n.webhookId !== undefined)
      this.webhookIds.set(n.webhookId, (this.webhookIds.get(n.webhookId) ?? 0) + 1);
    if (n.single.length === 0 && n.bundled.length === 0) this.foreign++;
    const mark = (seq: number, counts: Uint16Array) => {
      if (seq >= this.total) return;
      counts[seq] = Math.min(65_535, counts[seq]! + 1);
      if (Number.isNaN(this.firstAt[seq]!)) this.firstAt[seq] = at;
    };
    for (const s of n.single) mark(s, this.singles);
    for (const s of n.bundled) mark(s, this.bundled);
  }

  /** Every alert answered 2xx has been named at least once. */
  complete(): boolean {
    for (let i = 0; i < this.total; i++)
      if (this.acked[i] === 1 && Number.isNaN(this.firstAt[i]!)) return false;
    return true;
  }
}

let current: Recorder | undefined;

function receive(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= MAX_BODY) chunks.push(c);
  });
  req.once('end', () => {
    const at = performance.now();
    const id = req.headers['x-webhook-id'];
    current?.arrived(at, Buffer.concat(chunks).toString('utf8'), typeof id === 'string' ? id : undefined);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  req.once('error', () => res.destroy());
}

async function generate(r: RunRequest): Promise<RunResult> {
  const warmup = Math.round((r.rate * r.warmupMs) / 1000);
  const total = warmup + Math.round((r.rate * r.durationMs) / 1000);
  const rec = new Recorder(r.runId, total);
  current = rec;
  const url = new URL('/api/v2/alerts', r.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, maxFreeSockets: MAX_SOCKETS });
  const startsAt = new Date().toISOString();
  const endsAt = new Date(Date.parse(startsAt) + 3_600_000).toISOString();
  // Bodies and options built before the clock starts: the generator's own cost per post must stay small.
  const bodies = Array.from({ length: total }, (_, i) => alertBody(r.runId, i, startsAt, endsAt));
  const headers = r.keys.map((k) => ({ authorization: `Bearer ${k}`, 'content-type': 'application/json' }));
  let non2xx = 0;
  let socketErrors = 0;
  let pending = 0;
  const errorSamples: string[] = [];
  const sample = (s: string) => errorSamples.length < ERROR_SAMPLES && errorSamples.push(s);
  const lags = new Float64Array(total);

  const post = (i: number) => {
    const body = bodies[i]!;
    pending++;
    let settled = false;
    const settle = () => {
      if (!settled) pending--;
      settled = true;
    };
    rec.postAt[i] = performance.now();
    const req = request(
      {
        host: url.hostname,
        port: Number(url.port),
        path: url.pathname,
        method: 'POST',
        agent,
        headers: { ...headers[i % headers.length], 'content-length': body.length },
        timeout: POST_TIMEOUT_MS,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text = (text + c).slice(0, 300)));
        res.once('end', () => {
          rec.ackAt[i] = performance.now();
          if (status >= 200 && status < 300) rec.acked[i] = 1;
          else {
            non2xx++;
            sample(`HTTP ${status}: ${text}`);
          }
          settle();
        });
      },
    );
    req.once('timeout', () => req.destroy(new Error(`no answer within ${POST_TIMEOUT_MS} ms`)));
    req.once('error', (err) => {
      if (!settled) {
        socketErrors++;
        sample(`socket: ${err.message}`);
      }
      settle();
    });
    req.end(body);
  };

  const cpu0 = process.cpuUsage();
  const start = performance.now() + 20;
  const intervalMs = 1000 / r.rate;
  let next = 0;
  // Bounded: each pass posts every alert now due, and there are `total` of them.
  while (next < total) {
    const now = performance.now();
    while (next < total && start + next * intervalMs <= now) {
      lags[next] = Math.max(0, performance.now() - (start + next * intervalMs));
      post(next++);
    }
    if (next < total) await sleep(Math.max(0, start + next * intervalMs - performance.now()));
  }
  const lastPost = performance.now();
  // Every POST ends (answer, error or its timeout) within POST_TIMEOUT_MS; the drain clock starts at the last post.
  const drainEnd = lastPost + r.drainMs;
  while ((pending > 0 || !rec.complete()) && performance.now() < drainEnd) await sleep(POLL_MS);
  const complete = pending === 0 && rec.complete();
  if (complete) await sleep(r.settleMs);
  const end = performance.now();
  const used = process.cpuUsage(cpu0);
  current = undefined;
  agent.destroy();

  const sortedLags = lags.slice().sort();
  let repeatedWebhookIds = 0;
  for (const n of rec.webhookIds.values()) repeatedWebhookIds += n - 1;
  return {
    total,
    warmup,
    timeOrigin: performance.timeOrigin,
    postAt: rec.postAt,
    ackAt: rec.ackAt,
    acked: rec.acked,
    firstAt: rec.firstAt,
    singles: rec.singles,
    bundled: rec.bundled,
    requests: rec.requests,
    foreign: rec.foreign,
    repeatedWebhookIds,
    non2xx,
    socketErrors,
    errorSamples,
    lagP99Ms: quantile(sortedLags, 0.99),
    lagMaxMs: sortedLags.length > 0 ? sortedLags[sortedLags.length - 1]! : NaN,
    elapsedMs: end - start,
    complete,
    cpuCores: (used.user + used.system) / 1000 / (end - start),
  };
}

const WORKER_FLAG = '--bench-e2e-client';

export interface Client {
  /** The receiver's port on 127.0.0.1; notifications go to `http://127.0.0.1:<port>/hook`. */
  readonly port: number;
  /** One run (call once). Rejects if the worker fails or does not answer within the run time plus a grace. */
  run(request: RunRequest): Promise<RunResult>;
  /** Ends the worker (disconnect; SIGKILL by PID if it is still there after a second). */
  close(): Promise<void>;
}

/** Forks the client worker and resolves once its receiver listens. */
export function startClient(): Promise<Client> {
  const child = fork(fileURLToPath(import.meta.url), [WORKER_FLAG], {
    execArgv: [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const close = async () => {
    if (alive() && child.connected) child.disconnect();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 1000)));
    const outcome = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (outcome === 'late' && alive() && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    await exited;
  };
  const next = <T extends FromWorker['type']>(type: T, timeoutMs: number) =>
    new Promise<Extract<FromWorker, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error(`the e2e client did not answer in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onMessage = (msg: FromWorker) => {
        if (msg.type === type) done(undefined, msg as Extract<FromWorker, { type: T }>);
        else if (msg.type === 'failed') done(new Error(`e2e client: ${msg.message}`));
      };
      const onExit = () => done(new Error('the e2e client exited'));
      const done = (err: Error | undefined, msg?: Extract<FromWorker, { type: T }>) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (err) reject(err);
        else resolve(msg!);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  return next('listening', 10_000).then(
    ({ port }) => ({
      port,
      async run(request) {
        const result = next(
          'result',
          request.warmupMs +
            request.durationMs +
            request.drainMs +
            request.settleMs +
            POST_TIMEOUT_MS +
            30_000,
        );
        child.send({ type: 'run', request } satisfies ToWorker);
        return (await result).result;
      },
      close,
    }),
    async (err: unknown) => {
      await close();
      throw err;
    },
  );
}

if (import.meta.main && process.argv.includes(WORKER_FLAG) && process.send) {
  const send = (msg: FromWorker) => process.send!(msg);
  const server = createServer({ keepAliveTimeout: 60_000 }, receive);
  server.listen(0, '127.0.0.1', () =>
    send({ type: 'listening', port: (server.address() as AddressInfo).port }),
  );
  process.on('message', (msg: ToWorker) => {
    if (msg.type !== 'run') return;
    generate(msg.request).then(
      (result) => send({ type: 'result', result }),
      (err: unknown) => send({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
    );
  });
  // The worker leaves when the driver disconnects (or kills it), so nothing is cut off mid-send.
  process.once('disconnect', () => {
    server.closeAllConnections();
    server.close();
    process.exit(0);
  });
}
