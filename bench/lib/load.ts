import { fork } from 'node:child_process';
import { Agent, request, type ClientRequest } from 'node:http';
import { fileURLToPath } from 'node:url';

/**
 * A closed-loop HTTP load generator for `POST /api/v2/alerts`. It runs in a child process of its own (this file,
 * forked), so its event loop and garbage collector are not those of the benchmark driver; it still shares the
 * machine's cores with the server it measures, which the report states.
 *
 * Each of `connections` loops keeps one request in flight on a keep-alive connection (node:http Agent: undici is
 * not a dependency) and issues the next as soon as the previous one has been answered. Bodies are serialized once
 * before the clock starts: `labelSets` distinct alerts in bodies of `batch`, cycled round-robin.
 */

export interface LoadOptions {
  /** `http://host:port`, no trailing slash. */
  readonly baseUrl: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly connections: number;
  /** Alerts per request. */
  readonly batch: number;
  /** Distinct alerts, cycled; a multiple of `batch`. */
  readonly labelSets: number;
  /** The `run` label of every alert, so one run's alerts can be told from another's. */
  readonly runId: string;
  /** Unmeasured load before the measured window. */
  readonly warmupMs: number;
  readonly durationMs: number;
}

export interface LoadResult {
  /** Requests completed inside the measured window, and the alerts they carried (2xx or not). */
  readonly requests: number;
  readonly alerts: number;
  readonly measuredMs: number;
  readonly alertsPerSec: number;
  readonly requestsPerSec: number;
  /** Per request, from just before it was issued to the end of its response, in the measured window. */
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  /** Over the whole run, warm-up included. */
  readonly non2xx: number;
  readonly socketErrors: number;
  readonly errorSamples: readonly string[];
  /** 1 for each label set that was in at least one request answered 2xx (warm-up included). */
  readonly acked: Uint8Array;
  /** CPU the load generator used in the measured window, in cores (1.0 = one core busy). */
  readonly cpuCores: number;
}

/** Moments of the run, so the caller can sample the server's CPU over exactly the measured window. */
export interface LoadHooks {
  onMeasureStart?(): void;
  onMeasureEnd?(): void;
}

const ALERTNAMES = 10;

/**
 * The labels of alert `i` of a run. `instance` is unique per alert: verification maps it back to `i`. Ten
 * alertnames so a server grouping by alertname has a few groups rather than one or 10,000.
 */
export function alertLabels(runId: string, i: number): Record<string, string> {
  return {
    alertname: `BenchAlert${i % ALERTNAMES}`,
    instance: `host-${i}`,
    job: 'bench',
    run: runId,
    severity: i % 5 === 0 ? 'critical' : 'warning',
  };
}

/** Inverse of the `instance` label of alertLabels, or undefined for a foreign alert. */
export function alertIndex(labels: Readonly<Record<string, string>>): number | undefined {
  const m = /^host-(\d+)$/.exec(labels.instance ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * Prometheus-shaped bodies (what 2.42 sends: labels, annotations, startsAt, endsAt, generatorURL), with an endsAt an
 * hour out so every alert is still open when the run is verified.
 */
function buildBodies(opts: LoadOptions): Buffer[] {
  const startsAt = new Date().toISOString();
  const endsAt = new Date(Date.parse(startsAt) + 3_600_000).toISOString();
  const bodies: Buffer[] = [];
  for (let first = 0; first < opts.labelSets; first += opts.batch) {
    const alerts = [];
    for (let i = first; i < first + opts.batch; i++) {
      alerts.push({
        labels: alertLabels(opts.runId, i),
        annotations: {
          summary: `bench alert ${i} is firing`,
          runbook_url: 'https://example.invalid/runbook',
        },
        startsAt,
        endsAt,
        generatorURL: `http://127.0.0.1:9090/graph?g0.expr=bench_metric_${i % ALERTNAMES}+%3E+0`,
      });
    }
    bodies.push(Buffer.from(JSON.stringify(alerts)));
  }
  return bodies;
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** A growable array of latencies: a B=1 run records a few hundred thousand. */
class Samples {
  private data = new Float64Array(1 << 16);
  private n = 0;
  push(v: number): void {
    if (this.n === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.n++] = v;
  }
  sorted(): Float64Array {
    return this.data.slice(0, this.n).sort();
  }
}

const REQUEST_TIMEOUT_MS = 30_000;
/** After a socket error a loop pauses this long, so a dead server is not hammered with reconnects. */
const ERROR_BACKOFF_MS = 10;
const ERROR_SAMPLES = 5;

/** The worker side: runs in the forked process and reports one LoadResult. */
async function generate(opts: LoadOptions, notify: (msg: WorkerMessage) => void): Promise<LoadResult> {
  const url = new URL('/api/v2/alerts', opts.baseUrl);
  const bodies = buildBodies(opts);
  const agent = new Agent({
    keepAlive: true,
    maxSockets: opts.connections,
    maxFreeSockets: opts.connections,
  });
  const latencies = new Samples();
  const acked = new Uint8Array(opts.labelSets);
  const errorSamples: string[] = [];
  let next = 0;
  let requests = 0;
  let non2xx = 0;
  let socketErrors = 0;

  const start = performance.now();
  const measureStart = start + opts.warmupMs;
  const measureEnd = measureStart + opts.durationMs;
  // Window edges fire from a timer or from the first loop that sees the time pass, whichever comes first: under
  // load a timer can run late, and a loop can finish before the timer runs.
  let cpuAtStart = process.cpuUsage();
  const edges = { start: NaN, end: NaN };
  let cpuMicros = 0;
  const markStart = () => {
    if (!Number.isNaN(edges.start)) return;
    edges.start = performance.now();
    cpuAtStart = process.cpuUsage();
    notify({ type: 'measure-start' });
  };
  const markEnd = () => {
    if (!Number.isNaN(edges.end)) return;
    markStart();
    edges.end = performance.now();
    const used = process.cpuUsage(cpuAtStart);
    cpuMicros = used.user + used.system;
    notify({ type: 'measure-end' });
  };
  const startTimer = setTimeout(markStart, opts.warmupMs);
  const endTimer = setTimeout(markEnd, opts.warmupMs + opts.durationMs);

  // Request options built once per body: at B=1 the generator's own cost per request is what limits it.
  const requestOptions = bodies.map((body) => ({
    host: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    method: 'POST',
    agent,
    headers: { ...opts.headers, 'content-type': 'application/json', 'content-length': body.length },
  }));
  // One watchdog instead of a socket timeout per request (setTimeout on every request is measurable).
  const inFlight = new Map<ClientRequest, number>();
  const watchdog = setInterval(() => {
    const tooOld = performance.now() - REQUEST_TIMEOUT_MS;
    for (const [req, issuedAt] of inFlight)
      if (issuedAt < tooOld) req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`));
  }, 1000);

  const post = (index: number): Promise<{ status: number; text?: string } | { error: string }> =>
    new Promise((resolve) => {
      const req = request(requestOptions[index]!, (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          res.resume();
          res.once('end', () => resolve({ status }));
        } else {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text = (text + c).slice(0, 300)));
          res.once('end', () => resolve({ status, text }));
        }
        res.once('error', (err) => resolve({ error: err.message }));
      });
      inFlight.set(req, performance.now());
      req.once('close', () => inFlight.delete(req));
      req.once('error', (err) => resolve({ error: err.message }));
      req.end(bodies[index]);
    });

  const loop = async (): Promise<void> => {
    for (;;) {
      const now = performance.now();
      if (now >= measureStart) markStart();
      if (now >= measureEnd) {
        markEnd();
        break;
      }
      const index = next++ % bodies.length;
      const issuedAt = performance.now();
      const outcome = await post(index);
      const doneAt = performance.now();
      if (doneAt >= measureStart && doneAt <= measureEnd) {
        requests++;
        latencies.push(doneAt - issuedAt);
      }
      if ('error' in outcome) {
        socketErrors++;
        if (errorSamples.length < ERROR_SAMPLES) errorSamples.push(`socket: ${outcome.error}`);
        await new Promise((resolve) => setTimeout(resolve, ERROR_BACKOFF_MS));
      } else if (outcome.status < 200 || outcome.status >= 300) {
        non2xx++;
        if (errorSamples.length < ERROR_SAMPLES)
          errorSamples.push(`HTTP ${outcome.status}: ${outcome.text ?? ''}`);
      } else {
        acked.fill(1, index * opts.batch, (index + 1) * opts.batch);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, loop));
  clearTimeout(startTimer);
  clearTimeout(endTimer);
  clearInterval(watchdog);
  agent.destroy();

  const sorted = latencies.sorted();
  const measuredS = opts.durationMs / 1000;
  return {
    requests,
    alerts: requests * opts.batch,
    measuredMs: opts.durationMs,
    alertsPerSec: (requests * opts.batch) / measuredS,
    requestsPerSec: requests / measuredS,
    latencyMs: {
      p50: quantile(sorted, 0.5),
      p90: quantile(sorted, 0.9),
      p99: quantile(sorted, 0.99),
      max: sorted.length > 0 ? sorted[sorted.length - 1]! : NaN,
    },
    non2xx,
    socketErrors,
    errorSamples,
    acked,
    cpuCores: cpuMicros / 1000 / (edges.end - edges.start),
  };
}

type WorkerMessage =
  | { type: 'measure-start' }
  | { type: 'measure-end' }
  | { type: 'result'; result: LoadResult }
  | { type: 'failed'; message: string };

const WORKER_FLAG = '--bench-load-worker';
/** Past the planned run time, how long the worker may take to finish its last requests and report. */
const FINISH_GRACE_MS = REQUEST_TIMEOUT_MS + 30_000;

/**
 * Runs one load in a forked worker and resolves with its result. The worker is killed (by PID) if it does not
 * report within the run time plus a grace period.
 */
export function runLoad(opts: LoadOptions, hooks: LoadHooks = {}): Promise<LoadResult> {
  if (opts.labelSets % opts.batch !== 0) throw new Error('labelSets must be a multiple of batch');
  const child = fork(fileURLToPath(import.meta.url), [WORKER_FLAG], {
    execArgv: [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<LoadResult>((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, result?: LoadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const alive = child.exitCode === null && child.signalCode === null && child.pid !== undefined;
      // A worker that reported leaves when the channel closes; one that failed or hangs is killed.
      if (alive && !err && child.connected) child.disconnect();
      else if (alive) process.kill(child.pid, 'SIGKILL');
      if (err) reject(err);
      else resolve(result!);
    };
    const timer = setTimeout(
      () => finish(new Error('the load generator did not report in time')),
      opts.warmupMs + opts.durationMs + FINISH_GRACE_MS,
    );
    child.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'measure-start') hooks.onMeasureStart?.();
      else if (msg.type === 'measure-end') hooks.onMeasureEnd?.();
      else if (msg.type === 'result') finish(undefined, msg.result);
      else finish(new Error(`load generator: ${msg.message}`));
    });
    child.once('error', (err) => finish(err));
    child.once('exit', (code, signal) =>
      finish(new Error(`the load generator exited (code ${code}, signal ${signal}) without a result`)),
    );
    child.send(opts);
  });
}

if (import.meta.main && process.argv.includes(WORKER_FLAG) && process.send) {
  const send = (msg: WorkerMessage) => process.send!(msg);
  process.once('message', (opts: LoadOptions) => {
    generate(opts, send).then(
      (result) => send({ type: 'result', result }),
      (err: unknown) => send({ type: 'failed', message: err instanceof Error ? err.message : String(err) }),
    );
    // The worker only exits once the parent disconnects (or kills it), so nothing is cut off mid-send.
    process.once('disconnect', () => process.exit(0));
  });
}
