import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_THROTTLE_LIMITS } from '../../src/response/notify/throttle-limits.ts';
import { describeMachine, machine, table, type Summary } from '../lib/report.ts';
import { REPO_ROOT } from '../lib/server.ts';
import type { RunSample } from './measure.ts';
import type { Options } from './scenario.ts';
import type { TargetName } from './targets.ts';

/** Tables and verdicts of the end-to-end benchmark. */

const NAMES: Record<TargetName, string> = { am: 'Alertmanager 0.25', siaga: 'Siaga' };

type MetricKey =
  | 'acked'
  | 'notified'
  | 'bundledOnly'
  | 'lost'
  | 'duplicated'
  | 'repeatedWebhookIds'
  | 'p50Ms'
  | 'p95Ms'
  | 'p99Ms'
  | 'maxMs'
  | 'notifiedPerSec'
  | 'postP99Ms'
  | 'serverCpuMsPerAlert'
  | 'clientCores';

const METRICS: { key: MetricKey; label: string; digits: number; ratio: boolean }[] = [
  { key: 'acked', label: 'alerts posted, answered 2xx', digits: 0, ratio: false },
  { key: 'notified', label: 'notified within the drain', digits: 0, ratio: false },
  { key: 'bundledOnly', label: '  of which only inside a bundle', digits: 0, ratio: false },
  { key: 'lost', label: 'lost (2xx, never notified)', digits: 0, ratio: false },
  { key: 'duplicated', label: 'duplicated (notified twice or more)', digits: 0, ratio: false },
  { key: 'repeatedWebhookIds', label: 'repeated X-Webhook-Id (Siaga)', digits: 0, ratio: false },
  { key: 'p50Ms', label: 'latency p50 (ms)', digits: 1, ratio: true },
  { key: 'p95Ms', label: 'latency p95 (ms)', digits: 1, ratio: true },
  { key: 'p99Ms', label: 'latency p99 (ms)', digits: 1, ratio: true },
  { key: 'maxMs', label: 'latency max (ms)', digits: 1, ratio: true },
  { key: 'notifiedPerSec', label: 'throughput (alerts notified/s)', digits: 0, ratio: true },
  { key: 'postP99Ms', label: 'POST answer p99 (ms)', digits: 1, ratio: true },
  { key: 'serverCpuMsPerAlert', label: 'server CPU per alert (ms)', digits: 2, ratio: true },
  { key: 'clientCores', label: 'client CPU (cores, whole run)', digits: 2, ratio: false },
];

export interface RateSummary {
  rate: number;
  byTarget: Partial<Record<TargetName, Record<MetricKey, Summary>>>;
}

/** Median, min and max, unrounded (lib/report's summarize rounds to one decimal, too coarse for CPU cores). */
function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { n: 0, median: NaN, min: NaN, max: NaN };
  const sorted = [...values].sort((a, b) => (a === b ? 0 : a < b ? -1 : 1));
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { n: sorted.length, median, min: sorted[0]!, max: sorted.at(-1)! };
}

export function summarizeRuns(samples: readonly RunSample[], opts: Options): RateSummary[] {
  return opts.rates.map((rate) => {
    const byTarget: RateSummary['byTarget'] = {};
    for (const t of opts.targets) {
      const runs = samples.filter((s) => s.rate === rate && s.target === t);
      const entry = {} as Record<MetricKey, Summary>;
      for (const m of METRICS) entry[m.key] = summarize(runs.map((s) => s[m.key]));
      byTarget[t] = entry;
    }
    return { rate, byTarget };
  });
}

/** A figure for the tables: thousands separators, `lost` for an infinitely late percentile, `-` for none. */
export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : n === Infinity
      ? 'lost'
      : '-';
const cell = (s: Summary, digits = 0): string =>
  s.n === 0
    ? '-'
    : s.n === 1
      ? fmt(s.median, digits)
      : `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;

export interface Verdict {
  label: string;
  measured: string;
  target: string;
  pass: boolean | 'info';
}

/** The issue's targets per rate, on medians; loss and duplicates on the worst run. */
export function verdicts(summary: readonly RateSummary[]): Verdict[] {
  const out: Verdict[] = [];
  for (const r of summary) {
    const am = r.byTarget.am;
    const siaga = r.byTarget.siaga;
    if (am && siaga) {
      const ratio = siaga.p99Ms.median / am.p99Ms.median;
      out.push({
        label: `${r.rate}/s latency p99, Siaga vs AM`,
        measured: `${fmt(siaga.p99Ms.median, 1)} vs ${fmt(am.p99Ms.median, 1)} ms (Siaga/AM ${Number.isFinite(ratio) ? `${fmt(ratio, 2)}×` : 'n/a'})`,
        target: '< AM',
        pass: siaga.p99Ms.median < am.p99Ms.median,
      });
    }
    if (siaga) {
      out.push({
        label: `${r.rate}/s Siaga lost notifications`,
        measured: fmt(siaga.lost.max),
        target: '0',
        pass: siaga.lost.max === 0,
      });
      out.push({
        label: `${r.rate}/s Siaga duplicated notifications`,
        measured: fmt(Math.max(siaga.duplicated.max, siaga.repeatedWebhookIds.max)),
        target: '0',
        pass: siaga.duplicated.max === 0 && siaga.repeatedWebhookIds.max === 0,
      });
      if (siaga.bundledOnly.max > 0)
        out.push({
          label: `${r.rate}/s Siaga alerts notified only in a bundle`,
          measured: fmt(siaga.bundledOnly.max),
          target: '-',
          pass: 'info',
        });
    }
  }
  return out;
}

function notes(opts: Options, loadBefore: readonly number[]): string[] {
  const cores = os.cpus().length;
  const throttle = DEFAULT_THROTTLE_LIMITS.webhook;
  const out = [
    'one alert per request, open loop (alert i is posted at start + i/rate whatever the answers); the receiver ' +
      'and the generator are one separate Node process, sharing the machine’s cores with the target',
    'latency: from issuing the POST to the arrival of the first webhook naming the alert (on its own or in a ' +
      'bundle); a lost alert counts as infinitely late, so a percentile that falls on one reads "lost"',
    `Alertmanager: group_by ['...'], group_wait 0s, group_interval ${opts.groupIntervalMs} ms, one webhook ` +
      'receiver; Siaga: service grouped per alert, policy with one step paging one webhook channel, on SQLite',
    `Siaga throttles each destination to ${throttle.count} messages per ${throttle.windowMs / 1000} s ` +
      '(src/response/notify/throttle-limits.ts); what goes over is bundled into one summary or deferred to the ' +
      'next free slot',
  ];
  if (opts.lanes > 1)
    out.push(
      `DIAGNOSTIC: Siaga's alerts are spread over ${opts.lanes} services, each with its own key and webhook ` +
        'channel (--siaga-lanes); not the comparison’s configuration',
    );
  if (opts.warmupMs > 0)
    out.push(`the first ${opts.warmupMs / 1000} s of alerts are left out of the latency figures (--warmup)`);
  if ((loadBefore[0] ?? 0) > cores / 2)
    out.push(
      `the 1-minute load average was ${loadBefore[0]?.toFixed(2)} on ${cores} cores before the run: other work ` +
        'competed for the CPU, so compare only figures of this run',
    );
  if (!existsSync(path.join(REPO_ROOT, 'web', 'dist', 'index.html')))
    out.push('web/dist is not built: Siaga runs without serving the web UI (it does not affect this path)');
  for (const k of ['NODE_OPTIONS', 'NODE_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE'])
    if ((process.env[k] ?? '') !== '') out.push(`${k}=${process.env[k]} is set and applies to Siaga`);
  return out;
}

function stageSection(s: RunSample): string {
  const st = s.stages!;
  const rows = st.stages.map((x) => [x.label, fmt(x.n), fmt(x.p50, 1), fmt(x.p99, 1), fmt(x.max, 1)]);
  const counts = Object.entries(st.deliveries)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `Siaga, where the time goes (${s.rate}/s, run ${s.run}; from its database after the run, measured alerts)`,
    '',
    table(['stage', 'alerts', 'p50 (ms)', 'p99 (ms)', 'max (ms)'], rows),
    '',
    `incidents ${st.incidents}; channel notifications by status: ${counts || 'none'}; bundles sent ${st.bundles}; ` +
      `still deferred by the throttle ${st.throttledPending}; queued messages to one destination start ` +
      `${fmt(st.laneGapP50Ms, 1)} ms apart (p50; p90 ${fmt(st.laneGapP90Ms, 1)} ms)`,
  ].join('\n');
}

export function render(
  opts: Options,
  command: string,
  summary: readonly RateSummary[],
  samples: readonly RunSample[],
  loads: { before: number[]; after: number[] },
): string {
  const both = opts.targets.length === 2;
  const header = ['metric', ...opts.targets.map((t) => NAMES[t]), ...(both ? ['Siaga/AM'] : [])];
  const out = [
    'Siaga end-to-end notification benchmark (POST /api/v2/alerts → webhook on 127.0.0.1)',
    `command:  ${command}`,
    `machine:  ${describeMachine(machine())}`,
    `load avg: ${loads.before.map((l) => l.toFixed(2)).join(' ')} before, ${loads.after.map((l) => l.toFixed(2)).join(' ')} after`,
    `method:   ${opts.warmupMs / 1000} s warm-up + ${opts.durationMs / 1000} s of posts per run, then up to ` +
      `${opts.drainMs / 1000} s for stragglers and ${opts.settleMs / 1000} s for duplicates; ${opts.repeat} ` +
      'run(s) per target and rate, fresh processes each; median (min–max)',
    ...notes(opts, loads.before).map((n) => `note:     ${n}`),
    '',
  ];
  for (const r of summary) {
    const rows = METRICS.map((m) => {
      const cells = opts.targets.map((t) => cell(r.byTarget[t]![m.key], m.digits));
      if (both) {
        const a = r.byTarget.am![m.key].median;
        const s = r.byTarget.siaga![m.key].median;
        cells.push(m.ratio && a > 0 && Number.isFinite(s) && Number.isFinite(a) ? fmt(s / a, 2) : '');
      }
      return [m.label, ...cells];
    });
    const alerts = Math.round((r.rate * opts.durationMs) / 1000);
    out.push(
      `${r.rate} alerts/s for ${opts.durationMs / 1000} s (${alerts.toLocaleString('en-US')} measured alerts)`,
    );
    out.push('', table(header, rows), '');
  }
  const v = verdicts(summary);
  if (v.length > 0)
    out.push(
      table(
        ['target (medians; loss and duplicates: worst run)', 'measured', 'target', 'result'],
        v.map((x) => [x.label, x.measured, x.target, x.pass === 'info' ? 'info' : x.pass ? 'PASS' : 'FAIL']),
      ),
      '',
    );
  for (const rate of opts.rates) {
    const first = samples.find((s) => s.rate === rate && s.stages !== undefined);
    if (first) out.push(stageSection(first), '');
  }
  return out.join('\n').trimEnd();
}
