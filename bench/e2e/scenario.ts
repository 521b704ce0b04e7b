import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { commandLine, describeMachine, machine } from '../lib/report.ts';
import type { Scenario } from '../lib/scenario.ts';
import { startClient } from './client.ts';
import { processCpuSeconds, sampleOf, type RunSample } from './measure.ts';
import { fmt, render, summarizeRuns, verdicts } from './render.ts';
import { readStages } from './stages.ts';
import { startAm, startSiaga, type Target, type TargetName } from './targets.ts';

/**
 * End to end: alerts posted at a fixed rate to `POST /api/v2/alerts`, each routed to a webhook receiver on
 * 127.0.0.1, latency from post to arrival, Siaga side by side with Debian's Alertmanager 0.25 (every alert its own
 * group, no group wait). Each run starts a fresh target and a fresh client (receiver + generator, bench/e2e/client.ts).
 */

export interface Options {
  targets: TargetName[];
  rates: number[];
  durationMs: number;
  warmupMs: number;
  drainMs: number;
  settleMs: number;
  repeat: number;
  groupIntervalMs: number;
  lanes: number;
  json: boolean;
}

const USAGE = `options:
  --target am|siaga|both   what to measure (default both; runs alternate AM, Siaga at each rate)
  --rates LIST             alerts per second, comma-separated (default 200,1000); one alert per request
  --duration S             seconds of posting per run (default 10)
  --warmup S               seconds of posting first whose alerts are left out of the latency figures (default 2;
                           they are still checked for loss and duplicates, and they spend Siaga's throttle budget)
  --drain S                after the last post, how long to wait at most for missing notifications (default 30)
  --settle S               once nothing is missing, how long to keep listening for duplicates (default 2)
  --repeat N               runs per target and rate (default 1); the table gives median (min–max)
  --group-interval MS      Alertmanager's group_interval (default 1000; group_wait is 0s, group_by ['...'])
  --siaga-lanes N          diagnostic: spread Siaga's alerts over N services, each with its own key, webhook
                           channel and policy, so no destination goes over the webhook throttle (default 1, the
                           comparison's configuration; Alertmanager always has one receiver)
  --json                   print the results as JSON on stdout (progress goes to stderr)

Exits 1 when a target fails to start or a run fails; missed targets (and lost or duplicated notifications) are
reported, not an error.`;

class UsageError extends Error {}

function parseOptions(args: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...args],
    options: {
      target: { type: 'string', default: 'both' },
      rates: { type: 'string', default: '200,1000' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      drain: { type: 'string', default: '30' },
      settle: { type: 'string', default: '2' },
      repeat: { type: 'string', default: '1' },
      'group-interval': { type: 'string', default: '1000' },
      'siaga-lanes': { type: 'string', default: '1' },
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
  const opts: Options = {
    targets: chosen,
    rates: values.rates.split(',').map((r) => number('rates', r.trim(), 1, 10_000)),
    durationMs: number('duration', values.duration, 1, 120, false) * 1000,
    warmupMs: number('warmup', values.warmup, 0, 60, false) * 1000,
    drainMs: number('drain', values.drain, 1, 600, false) * 1000,
    settleMs: number('settle', values.settle, 0, 60, false) * 1000,
    repeat: number('repeat', values.repeat, 1, 20),
    groupIntervalMs: number('group-interval', values['group-interval'], 10, 60_000),
    lanes: number('siaga-lanes', values['siaga-lanes'], 1, 500),
    json: values.json,
  };
  for (const rate of opts.rates) {
    // Sequence numbers are counted per alert in 16-bit cells; keep a run well inside that.
    if ((rate * (opts.durationMs + opts.warmupMs)) / 1000 > 60_000)
      throw new UsageError(`--rates ${rate} with --duration/--warmup posts more than 60,000 alerts per run`);
  }
  return opts;
}

/** Idle time after a target is ready (and configured) before the first post. */
const IDLE_BEFORE_MS = 1000;

async function startTarget(name: TargetName, receiverPort: number, opts: Options): Promise<Target> {
  return name === 'am' ? startAm(receiverPort, opts.groupIntervalMs) : startSiaga(receiverPort, opts.lanes);
}

async function oneRun(target: TargetName, rate: number, run: number, opts: Options): Promise<RunSample> {
  const runId = `${target}-${rate}-${run}-${randomBytes(3).toString('hex')}`;
  const client = await startClient();
  try {
    const server = await startTarget(target, client.port, opts);
    try {
      await delay(IDLE_BEFORE_MS);
      const cpu0 = processCpuSeconds(server.pid);
      const result = await client.run({
        baseUrl: server.url,
        keys: server.keys,
        runId,
        rate,
        warmupMs: opts.warmupMs,
        durationMs: opts.durationMs,
        drainMs: opts.drainMs,
        settleMs: opts.settleMs,
      });
      const cpu1 = processCpuSeconds(server.pid);
      await server.stop();
      const stages = server.dbFile ? readStages(server.dbFile, runId, result) : undefined;
      return sampleOf({ target, rate, run, runId }, result, cpu1 - cpu0, stages);
    } finally {
      await server.stop();
      server.cleanup();
    }
  } finally {
    await client.close();
  }
}

function progressLine(s: RunSample): string {
  return (
    `  ${s.target.padEnd(5)} ${String(s.rate).padStart(5)}/s run ${s.run}: ` +
    `notified ${s.notified}/${s.acked} (${s.bundledOnly} only in bundles), lost ${s.lost}, dup ${s.duplicated}, ` +
    `p50 ${fmt(s.p50Ms, 1)} p95 ${fmt(s.p95Ms, 1)} p99 ${fmt(s.p99Ms, 1)} max ${fmt(s.maxMs, 1)} ms, ` +
    `${fmt(s.notifiedPerSec)} notified/s, POST p99 ${fmt(s.postP99Ms, 1)} ms, ` +
    `server CPU ${fmt(s.serverCpuMsPerAlert, 2)} ms/alert, client ${fmt(s.clientCores, 2)} cores, ` +
    `${s.complete ? 'all in' : 'drain timed out'} after ${fmt(s.elapsedMs / 1000, 1)} s` +
    (s.errorSamples.length > 0 ? `\n    first errors: ${s.errorSamples.join(' | ')}` : '')
  );
}

async function run(args: readonly string[]): Promise<number> {
  let opts: Options;
  try {
    opts = parseOptions(args);
  } catch (err) {
    if (!(err instanceof UsageError) && !(err instanceof TypeError)) throw err;
    process.stderr.write(`bench e2e: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (!existsSync('/proc/self/stat')) {
    process.stderr.write('bench e2e: needs Linux (/proc) for CPU\n');
    return 1;
  }
  const command = commandLine(['e2e', ...args]);
  const loadBefore = os.loadavg();
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  progress(
    `e2e: ${opts.targets.join(' vs ')}, ${opts.rates.join(',')} alerts/s, ${opts.repeat} run(s) each, ` +
      `${opts.warmupMs / 1000}+${opts.durationMs / 1000} s of posts + up to ${opts.drainMs / 1000} s drain, ` +
      `on ${describeMachine(machine())}`,
  );
  const samples: RunSample[] = [];
  try {
    for (const rate of opts.rates)
      for (let r = 1; r <= opts.repeat; r++)
        for (const target of opts.targets) {
          const s = await oneRun(target, rate, r, opts);
          samples.push(s);
          progress(progressLine(s));
        }
  } catch (err) {
    process.stderr.write(`bench e2e: a run failed: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
  const loadAfter = os.loadavg();
  const summary = summarizeRuns(samples, opts);
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          scenario: 'e2e',
          command,
          date: new Date().toISOString(),
          machine: machine(),
          loadAverage: { before: loadBefore, after: loadAfter },
          options: opts,
          summary,
          verdicts: verdicts(summary),
          runs: samples,
        },
        (_k, v: unknown) => (v === Infinity ? 'lost' : v),
        2,
      )}\n`,
    );
  } else {
    process.stdout.write(
      `${render(opts, command, summary, samples, { before: loadBefore, after: loadAfter })}\n`,
    );
  }
  return 0;
}

export const scenario: Scenario = {
  summary:
    'alerts at a fixed rate to a webhook receiver: post-to-arrival latency, loss and duplicates, Siaga vs Alertmanager 0.25',
  usage: USAGE,
  run,
};
