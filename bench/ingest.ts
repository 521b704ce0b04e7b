import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { alertIndex, runLoad, type LoadResult } from './lib/load.ts';
import { startAlertmanager, stopPeer } from './lib/peers.ts';
import {
  commandLine,
  describeMachine,
  machine,
  round,
  summarize,
  table,
  type Summary,
} from './lib/report.ts';
import type { Scenario } from './lib/scenario.ts';
import {
  freePort,
  killServer,
  removeDir,
  REPO_ROOT,
  rssMiB,
  spawnServer,
  stopServer,
  tempDir,
  waitReady,
} from './lib/server.ts';

/**
 * Ingest: `POST /api/v2/alerts` side by side against Debian's Alertmanager 0.25 and Siaga, each a fresh process per
 * run, with the method of shared/research/perf-anchors.md (closed loop, 16 keep-alive connections, 10,000 distinct
 * label sets cycled round-robin, 2 s warm-up, then a fixed measured window; runs interleaved AM, Siaga, AM, ...).
 * After each run every alert that got a 2xx must come back from `GET /api/v2/alerts?filter=run="<id>"`.
 */

const TARGETS = { ratioBatch100: 1.5, ratioBatch1: 1.0, rssMiB: 150 } as const;
const LABEL_SETS = 10_000;
/** perf-anchors: idle after ready before the load, and settle after it before reading RSS. */
const IDLE_BEFORE_MS = 1000;
const SETTLE_AFTER_MS = 2000;
const VERIFY_TIMEOUT_MS = 60_000;

const USAGE = `options:
  --target am|siaga|both   what to measure (default both; runs alternate AM, Siaga, AM, ...)
  --duration S             measured seconds per run (default 10), after --warmup
  --warmup S               unmeasured seconds of load first (default 2)
  --repeat N               runs per target and configuration (default 3); the table gives median (min-max)
  --batches LIST           alerts per request, comma-separated (default 100,1)
  --connections N          concurrent keep-alive connections (default 16)
  --database-url URL       run Siaga on this PostgreSQL database instead of SQLite in a temporary directory
                           (the database is not emptied between runs; each run has its own run label)
  --json                   print the results as JSON on stdout (progress goes to stderr)

Exits 1 when a run loses alerts (a 2xx alert missing from GET /api/v2/alerts) or a server fails to start;
missed performance targets are reported, not an error.`;

type TargetName = 'am' | 'siaga';

interface Options {
  targets: TargetName[];
  durationMs: number;
  warmupMs: number;
  repeat: number;
  batches: number[];
  connections: number;
  databaseUrl: string | undefined;
  json: boolean;
}

class UsageError extends Error {}

function parseOptions(args: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...args],
    options: {
      target: { type: 'string', default: 'both' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      repeat: { type: 'string', default: '3' },
      batches: { type: 'string', default: '100,1' },
      connections: { type: 'string', default: '16' },
      'database-url': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const number = (name: string, raw: string, min: number, max: number, integer = true): number => {
    const n = Number(raw);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max)
      throw new UsageError(`--${name} must be a ${integer ? 'whole ' : ''}number from ${min} to ${max}`);
    return n;
  };
  const targets: Record<string, TargetName[]> = { am: ['am'], siaga: ['siaga'], both: ['am', 'siaga'] };
  const chosen = targets[values.target];
  if (!chosen) throw new UsageError('--target must be am, siaga or both');
  const batches = values.batches.split(',').map((b) => number('batches', b.trim(), 1, LABEL_SETS));
  for (const b of batches)
    if (LABEL_SETS % b !== 0) throw new UsageError(`--batches: ${b} does not divide ${LABEL_SETS}`);
  return {
    targets: chosen,
    durationMs: number('duration', values.duration, 1, 600, false) * 1000,
    warmupMs: number('warmup', values.warmup, 0, 60, false) * 1000,
    repeat: number('repeat', values.repeat, 1, 20),
    batches,
    connections: number('connections', values.connections, 1, 256),
    databaseUrl: values['database-url'],
    json: values.json,
  };
}

/** A server under test, started fresh for one run. */
interface Running {
  readonly pid: number;
  readonly url: string;
  stop(): Promise<void>;
}

const SIAGA_CONFIG = `services:
  - name: bench
    team: bench
    grouping: { by: [alertname] }
    integrations:
      - name: prometheus
        kind: alertmanager
        keyEnv: SIAGA_BENCH_KEY
routes:
  - default: true
    service: bench
`;

async function startTarget(name: TargetName, key: string, opts: Options): Promise<Running> {
  if (name === 'am') {
    const am = await startAlertmanager();
    return { pid: am.pid, url: am.url, stop: () => stopPeer(am) };
  }
  const dir = tempDir('siaga-bench-ingest-');
  const configFile = path.join(dir, 'siaga.yml');
  writeFileSync(configFile, SIAGA_CONFIG);
  const server = spawnServer({
    port: await freePort(),
    dataDir: path.join(dir, 'data'),
    env: {
      SIAGA_CONFIG: configFile,
      SIAGA_BENCH_KEY: key,
      SIAGA_LOG_LEVEL: 'warn',
      ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    },
  });
  try {
    await waitReady(server);
  } catch (err) {
    await killServer(server);
    removeDir(dir);
    throw err;
  }
  return {
    pid: server.pid,
    url: server.url,
    stop: async () => {
      try {
        await stopServer(server);
      } finally {
        await killServer(server);
        removeDir(dir);
      }
    },
  };
}

/** Clock ticks per second of /proc/<pid>/stat. */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds (user + system, all threads) a process has used, from /proc/<pid>/stat; NaN once it has exited (it is
 * read from an IPC callback, where a throw would be uncaught).
 */
function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** Machine-wide CPU counters from the first line of /proc/stat. */
function machineTicks(): { total: number; idle: number; steal: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = cpu;
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait, steal };
}

interface RunSample {
  target: TargetName;
  batch: number;
  run: number;
  runId: string;
  alertsPerSec: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  socketErrors: number;
  errorSamples: readonly string[];
  /** Distinct alerts that got a 2xx, the run's alerts GET returned, and those of the first not in the second. */
  acked: number;
  returned: number;
  lost: number;
  verifyMs: number;
  /** Why the run could not be verified (lost is NaN then). */
  verifyError: string | undefined;
  idleRssMiB: number;
  rssAfterMiB: number;
  serverCores: number;
  loadgenCores: number;
  machineBusyPct: number;
  stealPct: number;
}

/** GET the run's alerts back and count the acknowledged ones that are missing. */
async function verify(
  url: string,
  headers: Record<string, string>,
  runId: string,
  load: LoadResult,
): Promise<{ returned: number; lost: number; ms: number; error?: string }> {
  const t0 = performance.now();
  const filter = encodeURIComponent(`run="${runId}"`);
  let alerts: { labels?: Record<string, string> }[];
  try {
    const res = await fetch(`${url}/api/v2/alerts?filter=${filter}`, {
      headers,
      signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    alerts = (await res.json()) as { labels?: Record<string, string> }[];
  } catch (err) {
    // Reported with the run's other figures, and fails the run like a loss: nothing was verified.
    return { returned: NaN, lost: NaN, ms: NaN, error: `GET /api/v2/alerts ${(err as Error).message}` };
  }
  const ms = performance.now() - t0;
  const seen = new Uint8Array(load.acked.length);
  let returned = 0;
  for (const a of alerts) {
    if (a.labels?.run !== runId) continue;
    returned++;
    const i = alertIndex(a.labels);
    if (i !== undefined && i < seen.length) seen[i] = 1;
  }
  let lost = 0;
  for (let i = 0; i < load.acked.length; i++) if (load.acked[i] === 1 && seen[i] !== 1) lost++;
  return { returned, lost, ms };
}

async function oneRun(target: TargetName, batch: number, run: number, opts: Options): Promise<RunSample> {
  const key = randomBytes(32).toString('base64url');
  const runId = `${target}-b${batch}-${run}-${randomBytes(4).toString('hex')}`;
  // Alertmanager ignores the header; sending it to both keeps the requests byte for byte the same.
  const headers = { authorization: `Bearer ${key}` };
  const server = await startTarget(target, key, opts);
  try {
    await delay(IDLE_BEFORE_MS);
    const idleRss = rssMiB(server.pid) ?? NaN;
    // Sampled when the load generator reports the edges of its measured window (an IPC message late).
    let [t0, t1, cpu0, cpu1] = [0, 0, 0, 0];
    let m0 = machineTicks();
    let m1 = m0;
    const load = await runLoad(
      {
        baseUrl: server.url,
        headers,
        connections: opts.connections,
        batch,
        labelSets: LABEL_SETS,
        runId,
        warmupMs: opts.warmupMs,
        durationMs: opts.durationMs,
      },
      {
        onMeasureStart: () => {
          t0 = performance.now();
          cpu0 = processCpuSeconds(server.pid);
          m0 = machineTicks();
        },
        onMeasureEnd: () => {
          t1 = performance.now();
          cpu1 = processCpuSeconds(server.pid);
          m1 = machineTicks();
        },
      },
    );
    // A fixed settle window, as in perf-anchors, before reading the memory that holds the 10,000 alerts.
    await delay(SETTLE_AFTER_MS);
    const rssAfter = rssMiB(server.pid) ?? NaN;
    const check = await verify(server.url, headers, runId, load);
    const ticks = m1.total - m0.total;
    return {
      target,
      batch,
      run,
      runId,
      alertsPerSec: load.alertsPerSec,
      requestsPerSec: load.requestsPerSec,
      p50Ms: load.latencyMs.p50,
      p99Ms: load.latencyMs.p99,
      maxMs: load.latencyMs.max,
      non2xx: load.non2xx,
      socketErrors: load.socketErrors,
      errorSamples: load.errorSamples,
      acked: load.acked.reduce((n, v) => n + v, 0),
      returned: check.returned,
      lost: check.lost,
      verifyMs: check.ms,
      verifyError: check.error,
      idleRssMiB: idleRss,
      rssAfterMiB: rssAfter,
      serverCores: t1 > t0 ? (cpu1 - cpu0) / ((t1 - t0) / 1000) : NaN,
      loadgenCores: load.cpuCores,
      machineBusyPct: ticks > 0 ? (100 * (ticks - (m1.idle - m0.idle))) / ticks : NaN,
      stealPct: ticks > 0 ? (100 * (m1.steal - m0.steal)) / ticks : NaN,
    };
  } finally {
    await server.stop();
  }
}

const NAMES: Record<TargetName, string> = { am: 'Alertmanager 0.25', siaga: 'Siaga' };

const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '-';
const cell = (s: Summary, digits = 0): string =>
  s.n === 0
    ? '-'
    : s.n === 1
      ? fmt(s.median, digits)
      : `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

function progressLine(s: RunSample): string {
  const errors = s.non2xx + s.socketErrors;
  return (
    `  ${s.target.padEnd(5)} B=${String(s.batch).padEnd(3)} run ${s.run}: ${fmt(s.alertsPerSec)} alerts/s, ` +
    `p50 ${fmt(s.p50Ms, 2)} ms, p99 ${fmt(s.p99Ms, 2)} ms, errors ${errors}, ` +
    `verified ${s.returned}/${s.acked} (lost ${s.lost}, GET ${fmt(s.verifyMs)} ms), RSS ${fmt(s.idleRssMiB, 1)} → ` +
    `${fmt(s.rssAfterMiB, 1)} MiB, server ${fmt(s.serverCores, 2)} cores, load gen ${fmt(s.loadgenCores, 2)}, ` +
    `machine ${fmt(s.machineBusyPct)} % busy, steal ${fmt(s.stealPct, 1)} %` +
    (s.errorSamples.length > 0 ? `\n    first errors: ${s.errorSamples.join(' | ')}` : '') +
    (s.verifyError ? `\n    NOT VERIFIED: ${s.verifyError}` : '')
  );
}

/** A run that lost alerts, or whose alerts could not be read back at all. */
const failedVerification = (s: RunSample): boolean => s.lost > 0 || s.verifyError !== undefined;

interface ConfigSummary {
  batch: number;
  byTarget: Partial<Record<TargetName, Record<MetricKey, Summary>>>;
}

type MetricKey =
  | 'alertsPerSec'
  | 'alertsPerCpuSec'
  | 'p50Ms'
  | 'p99Ms'
  | 'errors'
  | 'held'
  | 'lost'
  | 'idleRssMiB'
  | 'rssAfterMiB'
  | 'serverCores'
  | 'loadgenCores'
  | 'machineBusyPct'
  | 'stealPct';

/** `ratio`: whether Siaga/AM means something for the metric (it does not for counts that should be 0). */
const METRICS: {
  key: MetricKey;
  label: string;
  digits: number;
  ratio: boolean;
  of: (s: RunSample) => number;
}[] = [
  { key: 'alertsPerSec', label: 'alerts/s', digits: 0, ratio: true, of: (s) => s.alertsPerSec },
  {
    // perf-anchors: steadier than the raw rate when the machine is shared with other work.
    key: 'alertsPerCpuSec',
    label: 'alerts per server CPU-second',
    digits: 0,
    ratio: true,
    of: (s) => s.alertsPerSec / s.serverCores,
  },
  { key: 'p50Ms', label: 'request p50 (ms)', digits: 2, ratio: true, of: (s) => s.p50Ms },
  { key: 'p99Ms', label: 'request p99 (ms)', digits: 2, ratio: true, of: (s) => s.p99Ms },
  {
    key: 'errors',
    label: 'errors (non-2xx + socket)',
    digits: 0,
    ratio: false,
    of: (s) => s.non2xx + s.socketErrors,
  },
  { key: 'held', label: 'distinct alerts answered 2xx', digits: 0, ratio: false, of: (s) => s.acked },
  { key: 'lost', label: 'lost alerts (2xx, not in GET)', digits: 0, ratio: false, of: (s) => s.lost },
  { key: 'idleRssMiB', label: 'RSS idle (MiB)', digits: 1, ratio: true, of: (s) => s.idleRssMiB },
  { key: 'rssAfterMiB', label: 'RSS after load (MiB)', digits: 1, ratio: true, of: (s) => s.rssAfterMiB },
  { key: 'serverCores', label: 'server CPU (cores)', digits: 2, ratio: true, of: (s) => s.serverCores },
  {
    key: 'loadgenCores',
    label: 'load generator CPU (cores)',
    digits: 2,
    ratio: false,
    of: (s) => s.loadgenCores,
  },
  { key: 'machineBusyPct', label: 'machine busy (%)', digits: 0, ratio: false, of: (s) => s.machineBusyPct },
  { key: 'stealPct', label: 'CPU steal (%)', digits: 1, ratio: false, of: (s) => s.stealPct },
];

function summarizeConfigs(samples: readonly RunSample[], opts: Options): ConfigSummary[] {
  return opts.batches.map((batch) => {
    const byTarget: ConfigSummary['byTarget'] = {};
    for (const t of opts.targets) {
      const mine = samples.filter((s) => s.batch === batch && s.target === t);
      const metrics = {} as Record<MetricKey, Summary>;
      // Latencies keep two decimals: a B=1 p50 is around a millisecond.
      for (const m of METRICS)
        metrics[m.key] = m.digits > 1 ? summarize2(mine.map(m.of)) : summarize(mine.map(m.of));
      byTarget[t] = metrics;
    }
    return { batch, byTarget };
  });
}

/** summarize() rounds to one decimal; sub-millisecond latencies need two. */
function summarize2(values: readonly number[]): Summary {
  const s = summarize(values.map((v) => v * 10));
  return { n: s.n, median: s.median / 10, min: s.min / 10, max: s.max / 10 };
}

interface Verdict {
  label: string;
  measured: string;
  target: string;
  /** A string instead of a verdict: why it is not judged, or 'info'. */
  pass: boolean | string;
}

function verdicts(configs: readonly ConfigSummary[], samples: readonly RunSample[]): Verdict[] {
  const out: Verdict[] = [];
  for (const c of configs) {
    const am = c.byTarget.am;
    const siaga = c.byTarget.siaga;
    const ratioTarget =
      c.batch === 100 ? TARGETS.ratioBatch100 : c.batch === 1 ? TARGETS.ratioBatch1 : undefined;
    if (am && siaga && ratioTarget !== undefined) {
      const ratio = siaga.alertsPerSec.median / am.alertsPerSec.median;
      out.push({
        label: `B=${c.batch} alerts/s, Siaga/AM`,
        measured: `${fmt(ratio, 2)}×`,
        target: `≥ ${fmt(ratioTarget, 1)}×`,
        pass: ratio >= ratioTarget,
      });
    }
    if (am && siaga) {
      out.push({
        label: `B=${c.batch} alerts per CPU-second, Siaga/AM`,
        measured: `${fmt(siaga.alertsPerCpuSec.median / am.alertsPerCpuSec.median, 2)}×`,
        target: '-',
        pass: 'info',
      });
      out.push({
        label: `B=${c.batch} request p99, Siaga vs AM`,
        measured: `${fmt(siaga.p99Ms.median, 2)} vs ${fmt(am.p99Ms.median, 2)} ms`,
        target: '< AM',
        pass: siaga.p99Ms.median < am.p99Ms.median,
      });
    }
    if (siaga) {
      out.push({
        label: `B=${c.batch} Siaga RSS with 10k open alerts`,
        measured:
          `${fmt(siaga.rssAfterMiB.median, 1)} MiB` +
          (siaga.held.min < LABEL_SETS ? ` (some runs held only ${fmt(siaga.held.min)})` : ''),
        target: `< ${TARGETS.rssMiB} MiB`,
        // Not judged when a run did not get all 10,000 alerts in: its memory is not that of 10,000.
        pass: siaga.held.min < LABEL_SETS ? 'not judged' : siaga.rssAfterMiB.median < TARGETS.rssMiB,
      });
    }
  }
  const siagaRuns = samples.filter((s) => s.target === 'siaga');
  if (siagaRuns.length > 0) {
    const unverified = siagaRuns.filter((s) => s.verifyError !== undefined).length;
    const lost = siagaRuns.reduce((n, s) => n + (Number.isNaN(s.lost) ? 0 : s.lost), 0);
    out.push({
      label: 'Siaga lost alerts, all runs',
      measured: unverified > 0 ? `${lost} (+${unverified} run(s) not verified)` : String(lost),
      target: '0',
      pass: lost === 0 && unverified === 0,
    });
  }
  return out;
}

function notes(opts: Options, loadBefore: readonly number[]): string[] {
  const cores = os.cpus().length;
  const out = [
    'the load generator is a separate Node process, but it shares the machine’s cores with the server it measures',
    'latency is per request (a B=100 request carries 100 alerts), from the moment it is issued to the end of the answer',
    'AM and Siaga receive identical requests, Authorization header included (Alertmanager ignores it)',
  ];
  if ((loadBefore[0] ?? 0) > cores / 2)
    out.push(
      `the 1-minute load average was ${loadBefore[0]?.toFixed(2)} on ${cores} cores before the run: other work ` +
        'competed for the CPU, so compare only the ratios of this run, not its absolute figures',
    );
  if (!existsSync(path.join(REPO_ROOT, 'web', 'dist', 'index.html')))
    out.push(
      'web/dist is not built: Siaga runs without serving the web UI (`npm run build` to match npm start)',
    );
  if (opts.databaseUrl)
    out.push('Siaga on PostgreSQL (DATABASE_URL given); the database is reused across runs');
  for (const k of ['NODE_OPTIONS', 'NODE_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE'])
    if ((process.env[k] ?? '') !== '') out.push(`${k}=${process.env[k]} is set and applies to Siaga`);
  return out;
}

function render(
  opts: Options,
  command: string,
  configs: readonly ConfigSummary[],
  samples: readonly RunSample[],
  loads: { before: number[]; after: number[] },
): string {
  const both = opts.targets.length === 2;
  const header = ['metric', ...opts.targets.map((t) => NAMES[t]), ...(both ? ['Siaga/AM'] : [])];
  const sections: string[] = [];
  for (const c of configs) {
    const rows = METRICS.map((m) => {
      const cells = opts.targets.map((t) => cell(c.byTarget[t]![m.key], m.digits));
      if (both) {
        const a = c.byTarget.am![m.key].median;
        const s = c.byTarget.siaga![m.key].median;
        cells.push(m.ratio && a > 0 && Number.isFinite(s) ? `${fmt(s / a, 2)}` : '');
      }
      return [m.label, ...cells];
    });
    sections.push(`${c.batch} alert${c.batch === 1 ? '' : 's'} per request\n\n${table(header, rows)}`);
  }
  const v = verdicts(configs, samples);
  const out = [
    'Siaga ingest benchmark (POST /api/v2/alerts)',
    `command:  ${command}`,
    `machine:  ${describeMachine(machine())}`,
    `load avg: ${loads.before.map((l) => l.toFixed(2)).join(' ')} before, ${loads.after.map((l) => l.toFixed(2)).join(' ')} after`,
    `method:   closed loop, ${opts.connections} keep-alive connections, ${LABEL_SETS.toLocaleString('en-US')} distinct ` +
      `alerts cycled, ${opts.warmupMs / 1000} s warm-up + ${opts.durationMs / 1000} s measured, ` +
      `${opts.repeat} run(s) per target, fresh process each, interleaved; median (min–max)`,
    ...notes(opts, loads.before).map((n) => `note:     ${n}`),
    '',
    ...sections.flatMap((s) => [s, '']),
  ];
  if (v.length > 0) {
    out.push(
      table(
        ['target (judged on medians)', 'measured', 'target', 'result'],
        v.map((x) => [
          x.label,
          x.measured,
          x.target,
          typeof x.pass === 'string' ? x.pass : x.pass ? 'PASS' : 'FAIL',
        ]),
      ),
      '',
    );
  }
  const lossy = samples.filter(failedVerification);
  out.push(
    lossy.length > 0
      ? `VERIFICATION FAILED: ${lossy.map((s) => `${s.runId} ${s.verifyError ?? `lost ${s.lost} of ${s.acked}`}`).join('; ')}`
      : `verification: every alert answered 2xx was returned by GET /api/v2/alerts in all ${samples.length} runs`,
  );
  return out.join('\n');
}

async function run(args: readonly string[]): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(args);
  } catch (err) {
    process.stderr.write(`bench ingest: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (!existsSync('/proc/self/stat')) {
    process.stderr.write('bench ingest: needs Linux (/proc) for CPU and RSS\n');
    return 1;
  }
  const command = commandLine(['ingest', ...args]);
  const loadBefore = os.loadavg();
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  progress(
    `ingest: ${opts.targets.join(' vs ')}, batches ${opts.batches.join(',')}, ${opts.repeat} run(s) each, ` +
      `${opts.warmupMs / 1000}+${opts.durationMs / 1000} s per run, on ${describeMachine(machine())}`,
  );

  const samples: RunSample[] = [];
  try {
    for (const batch of opts.batches) {
      for (let r = 1; r <= opts.repeat; r++) {
        for (const target of opts.targets) {
          const s = await oneRun(target, batch, r, opts);
          samples.push(s);
          progress(progressLine(s));
        }
      }
    }
  } catch (err) {
    process.stderr.write(`bench ingest: a run failed: ${(err as Error).message}\n`);
    return 1;
  }
  const configs = summarizeConfigs(samples, opts);
  const loadAfter = os.loadavg();
  const lossy = samples.some(failedVerification);

  if (opts.json) {
    const v = verdicts(configs, samples);
    process.stdout.write(
      `${JSON.stringify(
        {
          scenario: 'ingest',
          command,
          date: new Date().toISOString(),
          machine: machine(),
          loadAverage: { before: loadBefore, after: loadAfter },
          notes: notes(opts, loadBefore),
          options: { ...opts, databaseUrl: opts.databaseUrl ? '(set)' : undefined, labelSets: LABEL_SETS },
          targets: TARGETS,
          summary: configs,
          verdicts: v,
          runs: samples.map((s) => ({ ...s, alertsPerSec: round(s.alertsPerSec) })),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    process.stdout.write(
      `${render(opts, command, configs, samples, { before: loadBefore, after: loadAfter })}\n`,
    );
  }
  return lossy ? 1 : 0;
}

export const scenario: Scenario = {
  summary: 'POST /api/v2/alerts throughput, latency, loss and RSS: Siaga side by side with Alertmanager 0.25',
  usage: USAGE,
  run,
};
