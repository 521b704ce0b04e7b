import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startAlertmanager, stopPeer } from '../lib/peers.ts';
import {
  freePort,
  HOST,
  killServer,
  removeDir,
  spawnServer,
  stopServer,
  tempDir,
  waitReady,
  type ServerProcess,
} from '../lib/server.ts';

/**
 * The two targets of the end-to-end benchmark, each started fresh for one run and wired to the receiver at
 * `http://127.0.0.1:<receiverPort>/hook`: Alertmanager with one webhook receiver and every alert its own group sent
 * at once, and Siaga set up through its HTTP API as an operator would (first-run setup, a team, a service grouped
 * per alert, an Alertmanager integration key, a webhook channel, an escalation policy paging that channel).
 */

export type TargetName = 'am' | 'siaga';

export interface Target {
  readonly name: TargetName;
  readonly pid: number;
  readonly url: string;
  /** Bearer keys for POST /api/v2/alerts (Alertmanager ignores them). */
  readonly keys: readonly string[];
  /** Siaga's SQLite file, readable after `stop()` and until `cleanup()`. */
  readonly dbFile: string | undefined;
  /** Stops the process by PID (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
  /** Removes the temporary directory (after stop). */
  cleanup(): void;
}

export const hookUrl = (receiverPort: number, lane?: number): string =>
  `http://${HOST}:${receiverPort}/hook${lane === undefined ? '' : `?lane=${lane}`}`;

/**
 * `group_by: ['...']` makes every label set its own aggregation group, `group_wait: 0s` sends a new group's first
 * notification at once; `group_interval` only matters for changes to a group, which a run never makes.
 */
export function alertmanagerConfig(receiverPort: number, groupIntervalMs: number): string {
  return `route:
  receiver: hook
  group_by: ['...']
  group_wait: 0s
  group_interval: ${groupIntervalMs}ms
  repeat_interval: 24h
receivers:
  - name: hook
    webhook_configs:
      - url: ${hookUrl(receiverPort)}
        send_resolved: false
`;
}

export async function startAm(receiverPort: number, groupIntervalMs: number): Promise<Target> {
  const am = await startAlertmanager({ config: alertmanagerConfig(receiverPort, groupIntervalMs) });
  return {
    name: 'am',
    pid: am.pid,
    url: am.url,
    keys: ['alertmanager-ignores-this'],
    dbFile: undefined,
    stop: () => stopPeer(am),
    cleanup: () => {},
  };
}

const SETUP_LINK = /\/setup#token=(setup_[\w-]+)/;
const SETUP_LINK_TIMEOUT_MS = 10_000;

/** A signed-in administrator: the session cookie and the CSRF token writes must carry. */
interface Session {
  readonly cookie: string;
  readonly csrfToken: string;
}

async function call<T>(
  base: string,
  session: Session | undefined,
  method: 'POST' | 'PATCH',
  route: string,
  body: unknown,
): Promise<{ body: T; headers: Headers }> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken } : {}),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`Siaga setup: ${method} ${route} answered ${res.status}: ${await res.text()}`);
  return { body: (await res.json()) as T, headers: res.headers };
}

async function setupToken(server: ServerProcess): Promise<string> {
  const deadline = performance.now() + SETUP_LINK_TIMEOUT_MS;
  for (;;) {
    const m = SETUP_LINK.exec(server.output());
    if (m?.[1]) return m[1];
    if (!server.running() || performance.now() > deadline)
      throw new Error(`Siaga printed no setup link:\n${server.output()}`);
    await delay(25);
  }
}

/**
 * First-run setup through the API, then `lanes` services, each with its own integration key, webhook channel and
 * policy (one lane is the benchmark's configuration; more spread the alerts over several destinations, which is
 * a diagnostic: see --siaga-lanes).
 */
async function configureSiaga(server: ServerProcess, receiverPort: number, lanes: number): Promise<string[]> {
  const base = server.url;
  const token = await setupToken(server);
  const setup = await call<{ csrfToken: string }>(base, undefined, 'POST', '/api/v1/setup', {
    token,
    email: 'bench@example.com',
    name: 'Bench',
    password: randomBytes(18).toString('base64url'),
    timeZone: 'UTC',
  });
  const cookie = /^([^=;]+=[^;]*)/.exec(setup.headers.get('set-cookie') ?? '')?.[1];
  if (!cookie) throw new Error('Siaga setup: POST /api/v1/setup set no session cookie');
  const s: Session = { cookie, csrfToken: setup.body.csrfToken };
  const team = await call<{ id: string }>(base, s, 'POST', '/api/v1/teams', { name: 'bench' });
  const teamId = team.body.id;
  const keys: string[] = [];
  for (let lane = 0; lane < lanes; lane++) {
    const suffix = lanes === 1 ? '' : `-${lane}`;
    const service = await call<{ id: string }>(base, s, 'POST', '/api/v1/services', {
      name: `bench${suffix}`,
      teamId,
    });
    const integration = await call<{ key: string }>(
      base,
      s,
      'POST',
      `/api/v1/services/${service.body.id}/integrations`,
      { name: 'prometheus', kind: 'alertmanager' },
    );
    const channel = await call<{ id: string }>(base, s, 'POST', '/api/v1/channels', {
      name: `bench-hook${suffix}`,
      teamId,
      kind: 'webhook',
      config: { address: hookUrl(receiverPort, lanes === 1 ? undefined : lane) },
    });
    const policy = await call<{ id: string }>(base, s, 'POST', '/api/v1/escalation-policies', {
      name: `bench${suffix}`,
      teamId,
      steps: [
        { escalateAfterMinutes: 60, targets: [{ type: 'channel', id: channel.body.id }], roundRobin: false },
      ],
    });
    await call(base, s, 'PATCH', `/api/v1/services/${service.body.id}`, {
      escalationPolicyId: policy.body.id,
      grouping: { mode: 'alert' },
    });
    keys.push(integration.body.key);
  }
  return keys;
}

export async function startSiaga(receiverPort: number, lanes: number): Promise<Target> {
  const dir = tempDir('siaga-bench-e2e-');
  const dataDir = path.join(dir, 'data');
  const server = spawnServer({
    port: await freePort(),
    dataDir,
    env: { SIAGA_LOG_LEVEL: 'warn', SIAGA_OUTBOUND_ALLOW: `${HOST}:${receiverPort}` },
  });
  let keys: string[];
  try {
    await waitReady(server);
    keys = await configureSiaga(server, receiverPort, lanes);
  } catch (err) {
    await killServer(server);
    removeDir(dir);
    throw err;
  }
  return {
    name: 'siaga',
    pid: server.pid,
    url: server.url,
    keys,
    dbFile: path.join(dataDir, 'siaga.db'),
    stop: async () => {
      try {
        await stopServer(server);
      } finally {
        await killServer(server);
      }
    },
    cleanup: () => removeDir(dir),
  };
}
