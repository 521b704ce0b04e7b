import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A webhook endpoint on 127.0.0.1 (or another loopback address) that records every request exactly as it arrived
 * (method, path, lower-case headers, raw body bytes) and answers from a script: a queue of responses used in
 * order, then the default. A response may be delayed, or never sent at all (the connection stays open until the
 * receiver closes), to play slow and dead targets.
 */

export interface RecordedRequest {
  readonly method: string;
  /** Path and query. */
  readonly path: string;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly rawBody: Buffer;
  /** `rawBody` as UTF-8. */
  readonly body: string;
  /** `JSON.parse(body)`, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface ScriptedResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Wait this long before answering (a slow target). */
  readonly delayMs?: number;
  /** Never answer; the connection is held until `close()` (a dead target). */
  readonly never?: boolean;
}

/** Decides the answer per request, after the script queue is empty. */
export type Responder = (req: RecordedRequest) => ScriptedResponse;

export interface WebhookReceiver {
  /** `http://<host>:<port>` with no trailing slash. */
  readonly origin: string;
  /** `origin` + `/hook`, the usual target. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly requests: readonly RecordedRequest[];
  /** TCP connections accepted, including ones that never sent a complete request. */
  readonly connections: number;
  /** Answers for the next requests, in order; each is used once. */
  script(...responses: ScriptedResponse[]): void;
  /** The answer once the script is used up (default 200 `ok`). */
  respondWith(responder: Responder | ScriptedResponse): void;
  /** Resolves once `n` requests have been recorded. */
  waitForRequests(n: number): Promise<readonly RecordedRequest[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(
  opts: { host?: string; responder?: Responder | ScriptedResponse } = {},
): Promise<WebhookReceiver> {
  const host = opts.host ?? '127.0.0.1';
  const requests: RecordedRequest[] = [];
  const queue: ScriptedResponse[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const waiters: { n: number; resolve: (r: readonly RecordedRequest[]) => void }[] = [];
  let responder: Responder = () => ({ status: 200, body: 'ok' });
  let connections = 0;

  const toResponder = (r: Responder | ScriptedResponse): Responder => (typeof r === 'function' ? r : () => r);
  if (opts.responder) responder = toResponder(opts.responder);

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) {
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      }
      const body = rawBody.toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers,
        rawBody,
        body,
        json,
      };
      requests.push(recorded);
      for (const w of [...waiters]) {
        if (requests.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(requests.slice());
        }
      }
      const answer = queue.shift() ?? responder(recorded);
      if (answer.never) return;
      const write = () => {
        res.writeHead(answer.status ?? 200, { 'content-type': 'text/plain', ...answer.headers });
        res.end(answer.body ?? '');
      };
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          write();
        }, answer.delayMs);
        timers.add(timer);
      } else {
        write();
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    origin,
    url: `${origin}/hook`,
    host,
    port,
    requests,
    get connections() {
      return connections;
    },
    script: (...responses) => queue.push(...responses),
    respondWith: (r) => {
      responder = toResponder(r);
    },
    waitForRequests: (n) =>
      requests.length >= n
        ? Promise.resolve(requests.slice())
        : new Promise((resolve) => waiters.push({ n, resolve })),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A listener that only counts connections: put it where no request may ever arrive (127.0.0.2, ::1). */
export interface ConnectionTrap {
  readonly host: string;
  readonly port: number;
  readonly connections: number;
  close(): Promise<void>;
}

export async function startConnectionTrap(host = '127.0.0.2'): Promise<ConnectionTrap> {
  const receiver = await startWebhookReceiver({ host });
  return {
    host,
    port: receiver.port,
    get connections() {
      return receiver.connections;
    },
    close: () => receiver.close(),
  };
}
