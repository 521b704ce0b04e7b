import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
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
  type ServerProcess,
} from './lib/server.ts';

/**
 * Startup: how long the server, started as `npm start` starts it, takes from spawn to its first `/readyz` 200 on an empty data directory
 * (cold: creates the SQLite file and runs every migration) and on an already-migrated one (warm), how much memory it
 * holds once idle, and how long SIGTERM takes to end it.
 */

const TARGETS = { coldStartMs: 1500, idleRssMiB: 100 } as const;
const POLL_MS = 5;

const USAGE = `options:
  --runs N       measured runs (default 10); each is a cold start, 2 s idle, RSS, SIGTERM, then a warm start
  --warmup N     unmeasured runs first, so the measured ones find Node and the sources in the page cache (default 1)
  --idle-ms MS   idle time between ready and reading RSS (default 2000)
  --json         print the results as JSON on stdout (progress goes to stderr either way);
                 with npm, use \`npm run --silent bench -- startup --json\` so npm's banner stays off stdout`;

interface RunSample {
  coldStartMs: number;
  idleRssMiB: number;
  shutdownMs: number;
  shutdownCode: number | null;
  warmStartMs: number;
  warmShutdownMs: number;
  warmShutdownCode: number | null;
}

interface Options {
  runs: number;
  warmup: number;
  idleMs: number;
  json: boolean;
}

function parseOptions(args: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...args],
    options: {
      runs: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '1' },
      'idle-ms': { type: 'string', default: '2000' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const count = (name: string, raw: string, min: number, max: number): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  return {
    runs: count('runs', values.runs, 1, 100),
    warmup: count('warmup', values.warmup, 0, 10),
    idleMs: count('idle-ms', values['idle-ms'], 0, 60_000),
    json: values.json,
  };
}

class UsageError extends Error {}

/** Starts a server on `dataDir` and a free port, and returns it with the milliseconds from spawn to ready. */
async function startAndTime(dataDir: string): Promise<{ server: ServerProcess; ms: number }> {
  const server = spawnServer({ port: await freePort(), dataDir });
  try {
    const readyAt = await waitReady(server, { intervalMs: POLL_MS });
    return { server, ms: readyAt - server.spawnedAt };
  } catch (err) {
    await killServer(server);
    throw err;
  }
}

async function oneRun(idleMs: number): Promise<RunSample> {
  const dataDir = tempDir('siaga-bench-startup-');
  const started: ServerProcess[] = [];
  try {
    const cold = await startAndTime(dataDir);
    started.push(cold.server);
    // A fixed measurement window, not a wait for work: RSS is read once the process has been idle this long.
    await delay(idleMs);
    const rss = rssMiB(cold.server.pid);
    if (rss === undefined)
      throw new Error(`cannot read /proc/${cold.server.pid}/status (VmRSS); this scenario needs Linux`);
    const shutdown = await stopServer(cold.server);

    const warm = await startAndTime(dataDir);
    started.push(warm.server);
    const warmShutdown = await stopServer(warm.server);
    return {
      coldStartMs: round(cold.ms),
      idleRssMiB: round(rss),
      shutdownMs: round(shutdown.ms),
      shutdownCode: shutdown.code,
      warmStartMs: round(warm.ms),
      warmShutdownMs: round(warmShutdown.ms),
      warmShutdownCode: warmShutdown.code,
    };
  } finally {
    for (const s of started) await killServer(s);
    removeDir(dataDir);
  }
}

/** Node settings inherited from the caller's environment change what is measured; the report says so. */
function nodeEnvNotes(): string[] {
  return ['NODE_OPTIONS', 'NODE_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE']
    .filter((k) => (process.env[k] ?? '') !== '')
    .map((k) => `${k}=${process.env[k]} is set and applies to the server`);
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

async function run(args: readonly string[]): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(args);
  } catch (err) {
    process.stderr.write(`bench startup: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const index = path.join(REPO_ROOT, 'web', 'dist', 'index.html');
  if (!existsSync(index)) {
    process.stderr.write(
      `bench startup: ${path.relative(REPO_ROOT, index)} is missing: run \`npm run build\` first ` +
        '(the benchmark measures the server as `npm start` runs it, serving the built web UI)\n',
    );
    return 1;
  }

  const command = commandLine(['startup', ...args]);
  const host = machine();
  const loadBefore = os.loadavg();
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  progress(`startup: ${opts.warmup} warm-up + ${opts.runs} measured runs on ${describeMachine(host)}`);

  const samples: RunSample[] = [];
  try {
    for (let i = 0; i < opts.warmup; i++) {
      const s = await oneRun(opts.idleMs);
      progress(`  warm-up ${i + 1}/${opts.warmup}: cold ${fmt(s.coldStartMs)} ms (not counted)`);
    }
    for (let i = 0; i < opts.runs; i++) {
      const s = await oneRun(opts.idleMs);
      samples.push(s);
      progress(
        `  run ${i + 1}/${opts.runs}: cold ${fmt(s.coldStartMs)} ms, warm ${fmt(s.warmStartMs)} ms, ` +
          `idle RSS ${fmt(s.idleRssMiB, 1)} MiB, shutdown ${fmt(s.shutdownMs)} ms`,
      );
    }
  } catch (err) {
    process.stderr.write(`bench startup: the server failed to start or stop: ${(err as Error).message}\n`);
    return 1;
  }

  const summary = {
    coldStartMs: summarize(samples.map((s) => s.coldStartMs)),
    warmStartMs: summarize(samples.map((s) => s.warmStartMs)),
    idleRssMiB: summarize(samples.map((s) => s.idleRssMiB)),
    shutdownMs: summarize(samples.map((s) => s.shutdownMs)),
  };
  const verdict = {
    coldStart: summary.coldStartMs.median < TARGETS.coldStartMs,
    idleRss: summary.idleRssMiB.median < TARGETS.idleRssMiB,
  };
  const badExits = samples.flatMap((s) => [s.shutdownCode, s.warmShutdownCode]).filter((c) => c !== 0);
  const loadAfter = os.loadavg();

  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          scenario: 'startup',
          command,
          date: new Date().toISOString(),
          machine: host,
          loadAverage: { before: loadBefore, after: loadAfter },
          notes: nodeEnvNotes(),
          options: { ...opts, pollMs: POLL_MS },
          targets: TARGETS,
          summary,
          pass: verdict,
          nonZeroShutdownExits: badExits.length,
          runs: samples,
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }

  const row = (label: string, s: Summary, digits: number, target: string, pass?: boolean): string[] => [
    label,
    fmt(s.median, digits),
    fmt(s.min, digits),
    fmt(s.max, digits),
    target,
    pass === undefined ? '' : pass ? 'PASS' : 'FAIL',
  ];
  const out = [
    'Siaga startup benchmark',
    `command:  ${command}`,
    `machine:  ${describeMachine(host)}`,
    `load avg: ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' ')} after`,
    ...nodeEnvNotes().map((n) => `note:     ${n}`),
    `runs:     ${opts.runs} measured (+${opts.warmup} warm-up, not counted); /readyz polled every ${POLL_MS} ms; ` +
      `RSS read after ${opts.idleMs} ms idle`,
    '',
    table(
      ['metric', 'median', 'min', 'max', 'target', 'result'],
      [
        row(
          'cold start, empty data dir (ms)',
          summary.coldStartMs,
          0,
          `< ${TARGETS.coldStartMs}`,
          verdict.coldStart,
        ),
        row('warm start, migrated data dir (ms)', summary.warmStartMs, 0, '-'),
        row('idle RSS (MiB)', summary.idleRssMiB, 1, `< ${TARGETS.idleRssMiB}`, verdict.idleRss),
        row('shutdown, SIGTERM to exit (ms)', summary.shutdownMs, 0, '-'),
      ],
    ),
    '',
    'start = spawn of the `npm start` command to the first 200 from GET /readyz; results judge the median.',
    badExits.length > 0
      ? `WARNING: ${badExits.length} shutdown(s) exited with a non-zero code (${badExits.join(', ')})`
      : 'every shutdown exited with code 0',
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

export const scenario: Scenario = {
  summary:
    'cold and warm start to /readyz, idle RSS and SIGTERM shutdown of the server as `npm start` runs it (SQLite)',
  usage: USAGE,
  run,
};
