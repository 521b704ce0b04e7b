import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from './net.ts';
import { getStatus, HOST, removeDir, tempDir } from './server.ts';

/**
 * Peer servers (Prometheus's own Go binaries, as Debian packages them) started fresh for a benchmark or a
 * compatibility test: each on a free loopback port with a temporary directory of its own, watched only over HTTP
 * and by PID, and stopped by PID. Nothing here touches the packages' system services or their /etc configs.
 */

/** Debian's binary names; override with ALERTMANAGER_BIN / PROMETHEUS_BIN for a binary from a release tarball. */
export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';
export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

/**
 * The Alertmanager config of the ingest comparison (perf-anchors method): one route to a receiver with no
 * integrations, so what is measured is ingest and dispatch, not notification.
 */
export const NULL_RECEIVER_CONFIG = `route:
  receiver: 'null'
receivers:
  - name: 'null'
`;

export interface PeerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** The temporary directory holding the peer's config and storage; removed by stopPeer. */
  readonly dir: string;
  /** The last 64 KiB of stdout and stderr, for error messages. */
  output(): string;
  running(): boolean;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const OUTPUT_LIMIT = 64 * 1024;
const READY_POLL_MS = 25;
/** A freshly picked port can be taken by someone else before the peer binds it; that is retried this often. */
const PORT_ATTEMPTS = 3;

export interface SpawnPeerOptions {
  readonly name: string;
  readonly bin: string;
  /** Arguments for a given port and directory (the directory already holds any files `files` names). */
  readonly args: (port: number, dir: string) => string[];
  /** Files written into the directory before the start, by name. */
  readonly files?: Readonly<Record<string, string>>;
  /** Path answered with 200 once the peer is ready, e.g. `/-/ready`. */
  readonly readyPath: string;
  readonly readyTimeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Starts a peer and resolves once `readyPath` answers 200. On failure the process is killed, its directory removed,
 * and the error carries its output. Retries with a new port when the one picked was taken in the meantime.
 */
export async function spawnPeer(opts: SpawnPeerOptions): Promise<PeerProcess> {
  if (!existsSync(opts.bin)) {
    throw new Error(
      `${opts.name}: ${opts.bin} is missing (Debian: apt-get install ${path.basename(opts.bin)})`,
    );
  }
  for (let attempt = 1; ; attempt++) {
    const dir = tempDir(`siaga-peer-${opts.name}-`);
    for (const [file, text] of Object.entries(opts.files ?? {})) writeFileSync(path.join(dir, file), text);
    let peer: PeerProcess;
    try {
      peer = launch(opts, await freePort(), dir);
    } catch (err) {
      removeDir(dir);
      throw err;
    }
    try {
      await waitPeerReady(peer, opts.readyPath, opts.readyTimeoutMs ?? 15_000);
      return peer;
    } catch (err) {
      await stopPeer(peer, 'SIGKILL');
      const portTaken = /address already in use/i.test(peer.output());
      if (!portTaken || attempt >= PORT_ATTEMPTS) throw err;
    }
  }
}

function launch(opts: SpawnPeerOptions, port: number, dir: string): PeerProcess {
  const child = spawn(opts.bin, opts.args(port, dir), {
    cwd: dir,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Without a listener a spawn failure (ENOENT, EACCES) would be an uncaught 'error' event.
  let output = '';
  child.once('error', (err) => (output += `\n${String(err)}`));
  if (child.pid === undefined) throw new Error(`${opts.name}: could not start ${opts.bin}: ${output}`);
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    name: opts.name,
    child,
    pid: child.pid,
    port,
    url: `http://${HOST}:${port}`,
    dir,
    output: () => output,
    running: () => child.exitCode === null && child.signalCode === null,
    exited,
  };
}

async function waitPeerReady(peer: PeerProcess, readyPath: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (!peer.running()) throw new Error(`${peer.name} exited before it was ready:\n${peer.output()}`);
    const status = await getStatus(`${peer.url}${readyPath}`);
    if (status === 200) return;
    if (performance.now() > deadline) {
      throw new Error(
        `${peer.name} was not ready within ${timeoutMs} ms (last ${readyPath}: ${status}):\n${peer.output()}`,
      );
    }
    await delay(READY_POLL_MS);
  }
}

/**
 * Stops a peer by PID (`signal`, then SIGKILL after `timeoutMs`) and removes its directory. Safe to call twice.
 * The Go binaries flush snapshots on SIGTERM; SIGKILL is for cleanup after a failure.
 */
export async function stopPeer(
  peer: PeerProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 10_000,
): Promise<void> {
  if (peer.running()) {
    process.kill(peer.pid, signal);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
    const outcome = await Promise.race([peer.exited, late]);
    clearTimeout(timer);
    if (outcome === 'late' && peer.running()) process.kill(peer.pid, 'SIGKILL');
    await peer.exited;
  }
  removeDir(peer.dir);
}

export interface AlertmanagerOptions {
  /** alertmanager.yml; default: the null receiver. */
  readonly config?: string;
  /** Alertmanager's --log.level (default warn, so a busy run does not fill the output buffer). */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  readonly extraArgs?: readonly string[];
}

/**
 * Alertmanager with clustering off (`--cluster.listen-address=` : no gossip port, no HA settle wait before
 * notifications) and storage in its own temporary directory.
 */
export function startAlertmanager(opts: AlertmanagerOptions = {}): Promise<PeerProcess> {
  return spawnPeer({
    name: 'alertmanager',
    bin: ALERTMANAGER_BIN,
    files: { 'alertmanager.yml': opts.config ?? NULL_RECEIVER_CONFIG },
    args: (port, dir) => [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=${HOST}:${port}`,
      '--cluster.listen-address=',
      `--log.level=${opts.logLevel ?? 'warn'}`,
      ...(opts.extraArgs ?? []),
    ],
    readyPath: '/-/ready',
  });
}
