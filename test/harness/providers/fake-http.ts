import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The scriptable core every fake provider shares: an HTTP server on 127.0.0.1:<free port> that records each
 * request (headers, raw body, parsed JSON) and answers from a queue of scripted replies, falling back to the
 * provider's own documented behaviour when the queue is empty.
 */

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent, e.g. `/api/webhooks/1/abc?wait=true`. */
  readonly path: string;
  readonly url: URL;
  /** Lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly rawBody: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

export interface ScriptedReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown;
  /** Answer only after this many milliseconds (for timeout tests; the client's deadline is what is tested). */
  readonly delayMs?: number;
}

/** What the provider would answer to a request nobody scripted a reply for. */
export type DefaultHandler = (req: RecordedRequest) => ScriptedReply;

export interface FakeHttpServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly baseUrl: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** Queues replies; each request takes the next one, then the provider's default applies again. */
  reply(...replies: ScriptedReply[]): void;
  /** The last request, failing loudly when there is none. */
  last(): RecordedRequest;
  close(): Promise<void>;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function flatHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export async function startFakeHttpServer(defaultHandler: DefaultHandler): Promise<FakeHttpServer> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedReply[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        url: new URL(req.url ?? '/', 'http://127.0.0.1'),
        headers: flatHeaders(req.headers),
        rawBody,
        json: parseJson(rawBody),
      };
      requests.push(recorded);
      const reply = queue.shift() ?? defaultHandler(recorded);
      const answer = (): void => {
        const body =
          reply.body === undefined
            ? ''
            : typeof reply.body === 'string'
              ? reply.body
              : JSON.stringify(reply.body);
        const headers: Record<string, string> = { ...reply.headers };
        if (body !== '' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
          headers['content-type'] =
            typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
        }
        res.writeHead(reply.status, headers).end(body);
      };
      if (reply.delayMs === undefined) {
        answer();
      } else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) answer();
        }, reply.delayMs);
        timers.add(timer);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    reply(...replies) {
      queue.push(...replies);
    },
    last() {
      const r = requests[requests.length - 1];
      if (!r) throw new Error('the fake provider received no request');
      return r;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
