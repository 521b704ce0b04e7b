import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ConnectionTrap,
  type WebhookReceiver,
  startConnectionTrap,
  startWebhookReceiver,
} from '../../../test/harness/providers/webhook-receiver.ts';
import { createHttpSender } from './http-sender.ts';
import { OutboundError } from './outbound.ts';

let trap: ConnectionTrap;
let sink: WebhookReceiver;

beforeAll(async () => {
  trap = await startConnectionTrap('127.0.0.2');
});
afterAll(async () => {
  await trap.close();
});
beforeEach(async () => {
  sink = await startWebhookReceiver();
});
afterEach(async () => {
  await sink.close();
  expect(trap.connections, 'a refused request reached the trap on 127.0.0.2').toBe(0);
});

/** The policy of a test server: nothing but the sink. */
const sinkOnly = () => createHttpSender({ allowPrivate: false, allow: [`127.0.0.1:${sink.port}`] });

async function refusal(promise: Promise<unknown>): Promise<OutboundError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof OutboundError)) throw new Error(`expected an OutboundError, got ${String(err)}`);
  return err;
}

describe('outgoing requests: SSRF policy', () => {
  it.each([
    (p: number) => `http://127.0.0.2:${p}/`,
    (p: number) => `http://2130706434:${p}/`,
    (p: number) => `http://0177.0.0.2:${p}/`,
    (p: number) => `http://0x7f000002:${p}/`,
    (p: number) => `http://0x7f.0.0.02:${p}/`,
    (p: number) => `http://127.2:${p}/`,
    (p: number) => `http://[::ffff:127.0.0.2]:${p}/`,
    (p: number) => `http://[::ffff:7f00:2]:${p}/`,
    (p: number) => `http://[64:ff9b::7f00:2]:${p}/`,
  ])('refuses a loopback trap written as %s before connecting', async (url) => {
    const err = await refusal(sinkOnly().request({ url: url(trap.port) }));
    expect(err.failure).toBe('blocked');
    expect(err.maybeDelivered).toBe(false);
    expect(err.message).toMatch(/loopback|reserved/);
  });

  it.each([
    'http://[::1]:8080/',
    'http://0.0.0.0:8080/',
    'http://10.0.0.1/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fd00:ec2::254]/',
    'http://[fe80::1]/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'file:///etc/passwd',
    'gopher://127.0.0.2:70/',
    'https://user:secret@example.com/',
  ])('refuses %s with "blocked"', async (url) => {
    const err = await refusal(sinkOnly().request({ url }));
    expect(err.failure).toBe('blocked');
    expect(err.maybeDelivered).toBe(false);
  });

  it('reaches an allowlisted 127.0.0.1:<port> and nothing else on that host', async () => {
    const sender = sinkOnly();
    const res = await sender.request({ url: `${sink.url}?q=1`, method: 'POST', body: '{"a":1}' });
    expect(res).toMatchObject({ status: 200, body: 'ok', truncated: false });
    expect(sink.requests[0]).toMatchObject({ method: 'POST', path: '/hook?q=1', body: '{"a":1}' });
    expect(sink.requests[0]?.headers['content-length']).toBe('7');

    const other = await startWebhookReceiver();
    try {
      expect((await refusal(sender.request({ url: other.url }))).failure).toBe('blocked');
      expect(other.connections).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('returns a redirect as an answer and never follows it', async () => {
    sink.script({ status: 302, headers: { location: `http://127.0.0.2:${trap.port}/` } });
    const res = await sinkOnly().request({ url: sink.url });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`http://127.0.0.2:${trap.port}/`);
  });

  it('refuses a host name that resolves to a forbidden address, even when only one answer is', async () => {
    const answers = [
      [{ address: '127.0.0.2', family: 4 as const }],
      [
        { address: '93.184.216.34', family: 4 as const },
        { address: '127.0.0.2', family: 4 as const },
      ],
      [{ address: '::ffff:127.0.0.2', family: 6 as const }],
    ];
    for (const answer of answers) {
      const sender = createHttpSender(
        { allowPrivate: false, allow: [`127.0.0.1:${sink.port}`] },
        { resolve: async () => answer },
      );
      const err = await refusal(sender.request({ url: `http://hooks.example.test:${trap.port}/` }));
      expect(err.failure).toBe('blocked');
      expect(err.message).toMatch(/hooks\.example\.test resolves to 127\.0\.0\.2 is a loopback address/);
    }
  });

  it('connects to the address it checked, so a rebinding DNS answer cannot redirect the request', async () => {
    let lookups = 0;
    const sender = createHttpSender(
      { allowPrivate: false, allow: [`127.0.0.1:${sink.port}`] },
      {
        // First answer: the allowed sink; every later answer: the trap.
        resolve: async () => [{ address: lookups++ === 0 ? '127.0.0.1' : '127.0.0.2', family: 4 }],
      },
    );
    const res = await sender.request({ url: `http://rebind.example.test:${sink.port}/hook` });
    expect(res.status).toBe(200);
    expect(lookups).toBe(1);
    // The Host header still names the host, for virtual hosting and TLS.
    expect(sink.requests[0]?.headers.host).toBe(`rebind.example.test:${sink.port}`);
    const err = await refusal(sender.request({ url: `http://rebind.example.test:${sink.port}/hook` }));
    expect(err.failure).toBe('blocked');
    expect(sink.requests).toHaveLength(1);
  });

  it('uses the system resolver for a name the operator allowlisted', async () => {
    const sender = createHttpSender({ allowPrivate: false, allow: [`localhost:${sink.port}`] });
    const res = await sender.request({ url: `http://localhost:${sink.port}/hook` });
    expect(res.status).toBe(200);
    const err = await refusal(sender.request({ url: `http://localhost:${trap.port}/` }));
    expect(err.message).toMatch(/localhost is this machine/);
  });

  it('reports a name that does not resolve as a network failure with nothing delivered', async () => {
    const sender = createHttpSender(
      { allowPrivate: false, allow: [] },
      {
        resolve: async () => {
          throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.example.test'), { code: 'ENOTFOUND' });
        },
      },
    );
    const err = await refusal(sender.request({ url: 'https://nowhere.example.test/' }));
    expect(err).toMatchObject({ failure: 'network', maybeDelivered: false });
    expect(err.message).toMatch(/could not resolve nowhere\.example\.test/);
  });
});

describe('outgoing requests: limits', () => {
  it('times out a target that never answers, and says the request may have been delivered', async () => {
    sink.script({ never: true });
    const err = await refusal(sinkOnly().request({ url: sink.url, body: 'x', timeoutMs: 200 }));
    expect(err).toMatchObject({ failure: 'timeout', maybeDelivered: true });
    expect(err.message).toMatch(/200 ms/);
    expect(sink.requests).toHaveLength(1);
  });

  it('reports a refused connection as a network failure with nothing delivered', async () => {
    const closed = await startWebhookReceiver();
    const port = closed.port;
    await closed.close();
    const sender = createHttpSender({ allowPrivate: false, allow: [`127.0.0.1:${port}`] });
    const err = await refusal(sender.request({ url: `http://127.0.0.1:${port}/`, body: 'x' }));
    expect(err).toMatchObject({ failure: 'network', maybeDelivered: false });
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it('stops when the caller aborts', async () => {
    sink.script({ never: true });
    const controller = new AbortController();
    const pending = sinkOnly().request({ url: sink.url, body: 'x', signal: controller.signal });
    await sink.waitForRequests(1);
    controller.abort();
    const err = await refusal(pending);
    expect(err).toMatchObject({ failure: 'network', maybeDelivered: true });
    expect(err.message).toMatch(/cancelled/);
  });

  it('does not start when the signal is already aborted', async () => {
    const err = await refusal(sinkOnly().request({ url: sink.url, signal: AbortSignal.abort() }));
    expect(err.maybeDelivered).toBe(false);
    expect(sink.connections).toBe(0);
  });

  it('keeps at most 64 KiB of an answer by default, or what the caller asks', async () => {
    sink.respondWith({ status: 200, body: 'x'.repeat(200_000) });
    const big = await sinkOnly().request({ url: sink.url });
    expect(big.body).toHaveLength(64 * 1024);
    expect(big.truncated).toBe(true);
    const small = await sinkOnly().request({ url: sink.url, maxResponseBytes: 10 });
    expect(small).toMatchObject({ body: 'xxxxxxxxxx', truncated: true });
  });

  it('stops reading an endless answer at the cap instead of waiting for the deadline', async () => {
    const endless = http.createServer((_req, res) => {
      res.writeHead(200);
      const pump = () => {
        while (res.write('y'.repeat(16_384)));
      };
      res.on('drain', pump);
      pump();
    });
    await new Promise<void>((r) => endless.listen(0, '127.0.0.1', r));
    const { port } = endless.address() as AddressInfo;
    try {
      const sender = createHttpSender({ allowPrivate: false, allow: [`127.0.0.1:${port}`] });
      const res = await sender.request({ url: `http://127.0.0.1:${port}/`, timeoutMs: 5_000 });
      expect(res).toMatchObject({ status: 200, truncated: true });
      expect(res.body).toHaveLength(64 * 1024);
    } finally {
      endless.closeAllConnections();
      await new Promise<void>((r) => endless.close(() => r()));
    }
  });

  it('passes 4xx and 5xx answers through with lower-case headers', async () => {
    sink.script({ status: 503, headers: { 'Retry-After': '30', 'X-Thing': 'a' }, body: 'busy' });
    const res = await sinkOnly().request({ url: sink.url });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('30');
    expect(res.headers['x-thing']).toBe('a');
    expect(res.body).toBe('busy');
  });

  it('keeps transport headers to itself and refuses header injection', async () => {
    await sinkOnly().request({
      url: sink.url,
      body: 'abc',
      headers: { Host: 'evil.example', 'Content-Length': '999', 'X-Ok': 'yes' },
    });
    expect(sink.requests[0]?.headers).toMatchObject({
      host: `127.0.0.1:${sink.port}`,
      'content-length': '3',
      'x-ok': 'yes',
    });
    const err = await refusal(
      sinkOnly().request({ url: sink.url, headers: { 'X-Bad': 'a\r\nX-Injected: 1' } }),
    );
    expect(err.failure).toBe('blocked');
    expect(sink.requests).toHaveLength(1);
  });
});
