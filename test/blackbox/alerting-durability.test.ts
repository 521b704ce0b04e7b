import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, runSiaga, startSiaga, tempDir } from './support.ts';

const PASSWORD = 'quartz lantern meadow 97';

/** The config file declares the service and its Alertmanager integration; the key comes from the environment. */
function declare(dir: string): { env: Record<string, string>; key: string } {
  const key = randomBytes(32).toString('base64url');
  const file = path.join(dir, 'siaga.yml');
  writeFileSync(
    file,
    [
      'services:',
      '  - name: checkout',
      '    team: Payments',
      '    grouping: { by: [alertname] }',
      '    integrations:',
      '      - name: prometheus',
      '        kind: alertmanager',
      '        keyEnv: SIAGA_TEST_PROMETHEUS_KEY',
      'routes:',
      '  - default: true',
      '    service: checkout',
      '',
    ].join('\n'),
  );
  return { env: { SIAGA_CONFIG: file, SIAGA_TEST_PROMETHEUS_KEY: key }, key };
}

async function signIn(url: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ops@example.com', password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

describe('alerting durability (real processes, kill -9)', () => {
  afterEach(cleanup);

  it('loses no alert that got a 2xx and no silence when the server is killed during sustained ingest', async () => {
    const dataDir = tempDir();
    const { env, key } = declare(dataDir);
    const admin = await runSiaga(
      ['admin', 'create', '--email', 'ops@example.com', '--name', 'Ops', '--password-stdin'],
      { SIAGA_DATA_DIR: dataDir },
      { input: `${PASSWORD}\n` },
    );
    expect(admin.code, admin.stderr).toBe(0);

    const server = await startSiaga({ dataDir, env });
    await server.ready();
    const session = await signIn(server.url);
    const silence = await fetch(`${server.url}/api/v2/silences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
      body: JSON.stringify({
        matchers: [{ name: 'alertname', value: 'Maintenance', isRegex: false, isEqual: true }],
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        createdBy: 'ops@example.com',
        comment: 'planned work',
      }),
    });
    expect(silence.status).toBe(200);
    const { silenceID } = (await silence.json()) as { silenceID: string };

    // 8 senders post distinct alerts as fast as they can; the server is killed while they are at it.
    const acknowledged = new Set<string>();
    let n = 0;
    let killed = false;
    const sender = async () => {
      while (!killed && n < 20_000) {
        const id = `a${n++}`;
        try {
          const res = await fetch(`${server.url}/api/v2/alerts`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify([
              { labels: { alertname: 'Load', id }, annotations: { summary: `load ${id}` } },
            ]),
          });
          if (res.status === 200) acknowledged.add(id);
          else await res.arrayBuffer();
        } catch {
          return; // the server is gone
        }
      }
    };
    const senders = Array.from({ length: 8 }, sender);
    while (acknowledged.size < 400 && n < 20_000) await new Promise((r) => setImmediate(r));
    server.signal('SIGKILL');
    killed = true;
    await Promise.all(senders);
    await server.waitExit();
    expect(acknowledged.size).toBeGreaterThanOrEqual(400);

    const again = await startSiaga({ dataDir, env });
    await again.ready();
    const listed = await fetch(
      `${again.url}/api/v2/alerts?filter=${encodeURIComponent('alertname="Load"')}`,
      {
        headers: { authorization: `Bearer ${key}` },
      },
    );
    expect(listed.status).toBe(200);
    const present = new Set(((await listed.json()) as { labels: { id: string } }[]).map((a) => a.labels.id));
    const lost = [...acknowledged].filter((id) => !present.has(id));
    expect(lost).toEqual([]);

    const s2 = await signIn(again.url);
    const kept = await fetch(`${again.url}/api/v2/silence/${silenceID}`, { headers: { cookie: s2.cookie } });
    expect(kept.status).toBe(200);
    expect(((await kept.json()) as { status: { state: string } }).status.state).toBe('active');
    await again.stop();
  });
});
