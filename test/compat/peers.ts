import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  PROMETHEUS_BIN,
  spawnPeer,
  startAlertmanager as startAlertmanagerPeer,
  stopPeer,
  type PeerProcess,
} from '../../bench/lib/peers.ts';
import { removeDir, tempDir } from '../../bench/lib/server.ts';

export type { PeerProcess };

/**
 * Compatibility-test harness: the real Prometheus 2.42, Alertmanager 0.25 and amtool (Debian's binaries) as peers
 * of Siaga, so a test can check Siaga against what those programs actually send and accept rather than against our
 * reading of their docs. Everything started here is tracked; call `stopAllPeers()` from afterEach/afterAll: it
 * stops each process by PID and removes its temporary directory.
 */

export const AMTOOL_BIN = process.env.AMTOOL_BIN ?? '/usr/bin/amtool';

const livePeers = new Set<PeerProcess>();
const scratchDirs = new Set<string>();

function track(peer: PeerProcess): PeerProcess {
  livePeers.add(peer);
  return peer;
}

/** Alertmanager with clustering off, `config` as its alertmanager.yml (default: one null receiver). */
export async function startAlertmanager(opts: { config?: string } = {}): Promise<PeerProcess> {
  return track(await startAlertmanagerPeer(opts.config === undefined ? {} : { config: opts.config }));
}

/**
 * Prometheus with `config` as prometheus.yml and `rules` written next to it as rules.yml (refer to it as
 * `rule_files: [rules.yml]`; prometheusConfig() does). Alerts are re-sent every `resendDelay` (default 1s, Prometheus's
 * own default is 1m): the first notification is dropped when a rule fires before the Alertmanager target is
 * discovered, and a test should not wait a minute for the retry.
 */
export async function startPrometheus(opts: {
  config: string;
  rules?: string;
  resendDelay?: string;
}): Promise<PeerProcess> {
  return track(
    await spawnPeer({
      name: 'prometheus',
      bin: PROMETHEUS_BIN,
      files: { 'prometheus.yml': opts.config, 'rules.yml': opts.rules ?? 'groups: []\n' },
      args: (port, dir) => [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--rules.alert.resend-delay=${opts.resendDelay ?? '1s'}`,
        '--log.level=warn',
      ],
      readyPath: '/-/ready',
    }),
  );
}

export interface AlertmanagerTarget {
  /** `http://host:port` of an Alertmanager or of Siaga. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>` (Siaga's integration key); Alertmanager ignores it. */
  readonly bearerToken?: string;
}

/**
 * A prometheus.yml that evaluates rules.yml every second and sends alerts to each target over API v2. Rule
 * evaluation and scraping at 1s keep compatibility tests to seconds.
 */
export function prometheusConfig(targets: readonly AlertmanagerTarget[]): string {
  const blocks = targets.map((t) => {
    const u = new URL(t.url);
    const lines = [
      `    - api_version: v2`,
      `      scheme: ${u.protocol.replace(':', '')}`,
      ...(u.pathname !== '/' ? [`      path_prefix: ${JSON.stringify(u.pathname)}`] : []),
      ...(t.bearerToken
        ? [
            '      authorization:',
            '        type: Bearer',
            `        credentials: ${JSON.stringify(t.bearerToken)}`,
          ]
        : []),
      `      static_configs:`,
      `        - targets: [${JSON.stringify(u.host)}]`,
    ];
    return lines.join('\n');
  });
  return [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'rule_files: [rules.yml]',
    'alerting:',
    '  alertmanagers:',
    ...blocks,
    '',
  ].join('\n');
}

/** A rule group with one alert that fires on every evaluation (`expr: vector(1)`). */
export function alwaysFiringRules(alertname = 'AlwaysFiring', labels: Record<string, string> = {}): string {
  const extra = Object.entries(labels).map(([k, v]) => `          ${k}: ${JSON.stringify(v)}`);
  return [
    'groups:',
    '  - name: compat',
    '    interval: 1s',
    '    rules:',
    `      - alert: ${alertname}`,
    '        expr: vector(1)',
    '        labels:',
    '          severity: page',
    ...extra,
    '        annotations:',
    `          summary: ${JSON.stringify(`${alertname} fires on every evaluation`)}`,
    '',
  ].join('\n');
}

export interface AmtoolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs amtool against `url`. HOME points to an empty directory, so a developer's ~/.config/prometheus/amtool.yml
 * cannot change the result (amtool also reads /etc/prometheus/amtool.yml, which no Debian package installs). A bearer
 * token goes through `--http.config.file` (`authorization: {type: Bearer, credentials}`), which amtool 0.25 sends
 * on every request, the version check included. Never throws for a non-zero exit: tests assert on the code.
 */
export async function runAmtool(
  args: readonly string[],
  opts: { url: string; bearerToken?: string; timeoutMs?: number },
): Promise<AmtoolResult> {
  const dir = tempDir('siaga-amtool-');
  scratchDirs.add(dir);
  try {
    const flags = [`--alertmanager.url=${opts.url}`];
    if (opts.bearerToken !== undefined) {
      const file = path.join(dir, 'http.yml');
      writeFileSync(
        file,
        `authorization:\n  type: Bearer\n  credentials: ${JSON.stringify(opts.bearerToken)}\n`,
      );
      flags.push(`--http.config.file=${file}`);
    }
    const timeoutMs = opts.timeoutMs ?? 15_000;
    return await new Promise<AmtoolResult>((resolve, reject) => {
      execFile(
        AMTOOL_BIN,
        [...flags, `--timeout=${Math.ceil(timeoutMs / 1000)}s`, ...args],
        { cwd: dir, env: { ...process.env, HOME: dir }, timeout: timeoutMs + 5_000, killSignal: 'SIGKILL' },
        (err, stdout, stderr) => {
          if (!err) resolve({ code: 0, stdout, stderr });
          else if (typeof err.code === 'number') resolve({ code: err.code, stdout, stderr });
          // Not an exit code: amtool could not be started, or was killed past the timeout.
          else reject(new Error(`amtool ${args.join(' ')}: ${err.message}\n${stderr}`));
        },
      );
    });
  } finally {
    scratchDirs.delete(dir);
    removeDir(dir);
  }
}

/**
 * The sum of every series of metric `name` (optionally only those whose labels include `labels`) on `url`'s
 * `/metrics`, or undefined when the metric is not exposed (yet): a Go client exposes a labelled counter only once
 * a series of it exists.
 */
export async function scrapeMetric(
  url: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number | undefined> {
  const target = new URL(url);
  if (target.pathname === '/' || target.pathname === '') target.pathname = '/metrics';
  const res = await fetch(target, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`GET ${target.href} answered ${res.status}`);
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum: number | undefined;
  for (const line of (await res.text()).split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const set = m[2] ?? '';
    if (!wanted.every((w) => set.includes(w))) continue;
    sum = (sum ?? 0) + Number(m[3]);
  }
  return sum;
}

/**
 * Polls `check` every `intervalMs` until it returns something other than undefined or false, and resolves with
 * that; throws after `timeoutMs` with `what` and the last value or error. Errors from `check` count as "not yet"
 * (a peer that is still starting refuses connections).
 */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  { timeoutMs = 15_000, intervalMs = 100, what = 'a condition' } = {},
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (performance.now() > deadline) {
      const detail = last instanceof Error ? last.message : String(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await delay(intervalMs);
  }
}

/** Stops every peer this module started (by PID, SIGTERM then SIGKILL) and removes their directories. */
export async function stopAllPeers(): Promise<void> {
  const peers = [...livePeers];
  livePeers.clear();
  await Promise.allSettled(peers.map((p) => stopPeer(p)));
  for (const dir of scratchDirs) removeDir(dir);
  scratchDirs.clear();
}
