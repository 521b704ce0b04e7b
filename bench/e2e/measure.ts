import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { RunResult } from './client.ts';
import type { StageReport } from './stages.ts';
import type { TargetName } from './targets.ts';

/** One run's figures, derived from the client's per-alert record. */
export interface RunSample {
  target: TargetName;
  rate: number;
  run: number;
  runId: string;
  /** Alerts posted (warm-up included), answered 2xx, and in the measured window. */
  posted: number;
  acked: number;
  measured: number;
  /** Alerts answered 2xx that were named by a notification within the drain (warm-up included). */
  notified: number;
  /** Of those, named only inside a bundle, never on their own. */
  bundledOnly: number;
  /** Answered 2xx and never named within the drain. */
  lost: number;
  /** Named by more than one notification (on its own or in a bundle). */
  duplicated: number;
  /** Siaga: the same `X-Webhook-Id` arriving more than once (a re-sent message). */
  repeatedWebhookIds: number;
  /** Post to first arrival over the measured alerts answered 2xx; a lost alert counts as infinitely late. */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  /**
   * Alerts notified within the drain per second, over the posting window or up to the last first arrival, whichever
   * is longer (so a target that notifies a few quickly and loses the rest does not look fast).
   */
  notifiedPerSec: number;
  /** POST answer time of the measured alerts, p99 (ms). */
  postP99Ms: number;
  lagMaxMs: number;
  non2xx: number;
  socketErrors: number;
  errorSamples: readonly string[];
  /** Whether everything arrived before the drain ended. */
  complete: boolean;
  elapsedMs: number;
  /** Server CPU time (user + system, all threads) from the first post to the end of the run, per alert posted. */
  serverCpuMsPerAlert: number;
  clientCores: number;
  stages: StageReport | undefined;
}

export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function sampleOf(
  meta: { target: TargetName; rate: number; run: number; runId: string },
  r: RunResult,
  serverCpuSeconds: number,
  stages: StageReport | undefined,
): RunSample {
  const latencies: number[] = [];
  const posts: number[] = [];
  let acked = 0;
  let notified = 0;
  let bundledOnly = 0;
  let lost = 0;
  let duplicated = 0;
  let firstPost = Infinity;
  let lastPost = -Infinity;
  let lastArrival = -Infinity;
  for (let i = 0; i < r.total; i++) {
    const post = r.postAt[i]!;
    if (Number.isFinite(post)) {
      firstPost = Math.min(firstPost, post);
      lastPost = Math.max(lastPost, post);
    }
    if (i >= r.warmup && Number.isFinite(r.ackAt[i]!)) posts.push(r.ackAt[i]! - post);
    const times = r.singles[i]! + r.bundled[i]!;
    if (times > 1) duplicated++;
    if (r.acked[i] !== 1) continue;
    acked++;
    const first = r.firstAt[i]!;
    if (Number.isNaN(first)) lost++;
    else {
      notified++;
      lastArrival = Math.max(lastArrival, first);
      if (r.singles[i] === 0) bundledOnly++;
    }
    if (i >= r.warmup) latencies.push(Number.isNaN(first) ? Infinity : first - post);
  }
  latencies.sort((a, b) => a - b);
  posts.sort((a, b) => a - b);
  return {
    ...meta,
    posted: r.total,
    acked,
    measured: r.total - r.warmup,
    notified,
    bundledOnly,
    lost,
    duplicated,
    repeatedWebhookIds: r.repeatedWebhookIds,
    p50Ms: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    p99Ms: quantile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? NaN,
    notifiedPerSec:
      notified > 0
        ? notified / (Math.max(lastPost - firstPost + 1000 / meta.rate, lastArrival - firstPost) / 1000)
        : 0,
    postP99Ms: quantile(posts, 0.99),
    lagMaxMs: r.lagMaxMs,
    non2xx: r.non2xx,
    socketErrors: r.socketErrors,
    errorSamples: r.errorSamples,
    complete: r.complete,
    elapsedMs: r.elapsedMs,
    serverCpuMsPerAlert: (serverCpuSeconds * 1000) / r.total,
    clientCores: r.cpuCores,
    stages,
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

/** CPU seconds (user + system, all threads) a process has used, from /proc/<pid>/stat; NaN once it has exited. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return NaN;
  }
}
