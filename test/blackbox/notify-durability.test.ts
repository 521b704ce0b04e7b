import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/providers/webhook-receiver.ts';
import { cleanup, startSiaga, tempDir } from './support.ts';

/** Everything from the config file: a webhook channel paged by the service's policy, and the sender's key. */
function declare(dir: string, receiver: WebhookReceiver): { env: Record<string, string>; key: string } {
  const key = randomBytes(32).toString('base64url');
  const file = path.join(dir, 'siaga.yml');
  writeFileSync(
    file,
    [
      'channels:',
      '  - name: ops-hook',
      '    team: Ops',
      '    kind: webhook',
      `    config: { address: '${receiver.url}' }`,
      'escalationPolicies:',
      '  - name: ops-default',
      '    team: Ops',
      '    steps:',
      '      - escalateAfterMinutes: 30',
      '        targets:',
      '          - channel: ops-hook',
      'services:',
      '  - name: checkout',
      '    team: Ops',
      '    escalationPolicy: ops-default',
      '    integrations:',
      '      - name: prometheus',
      '        kind: alertmanager',
      '        keyEnv: SIAGA_TEST_PROMETHEUS_KEY',
      '',
    ].join('\n'),
  );
  return {
    env: {
      SIAGA_CONFIG: file,
      SIAGA_TEST_PROMETHEUS_KEY: key,
      SIAGA_OUTBOUND_ALLOW: `127.0.0.1:${receiver.port}`,
    },
    key,
  };
}

describe('notification durability (real processes, kill -9)', () => {
  let receiver: WebhookReceiver | undefined;
  afterEach(async () => {
    await cleanup();
    await receiver?.close();
    receiver = undefined;
  });

  it('a webhook sent when the server is killed before recording the outcome is sent again after restart, with the same id', async () => {
    receiver = await startWebhookReceiver();
    // The first request is held open: the server has sent it but never learns the outcome.
    receiver.script({ never: true });
    const dataDir = tempDir();
    const { env, key } = declare(dataDir, receiver);
    const server = await startSiaga({ dataDir, env });
    await server.ready();
    const fired = await fetch(`${server.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify([{ labels: { alertname: 'DiskFull', instance: 'db1' } }]),
    });
    expect(fired.status).toBe(200);
    const [first] = await receiver.waitForRequests(1);
    server.signal('SIGKILL');
    await server.waitExit();

    const again = await startSiaga({ dataDir, env });
    await again.ready();
    const requests = await receiver.waitForRequests(2);
    const ids = requests.map((r) => r.headers['x-webhook-id']);
    expect(ids[0]).toBe(first!.headers['x-webhook-id']);
    expect(ids[1]).toBe(ids[0]);
    expect(requests[1]!.headers['idempotency-key']).toBe(ids[0]);
    expect((requests[1]!.json as { event: string }).event).toBe('triggered');
    await again.stop();
  });
});
