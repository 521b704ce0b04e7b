import { lookup as dnsLookup } from 'node:dns/promises';
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import { createRequire } from 'node:module';
import type { LookupFunction } from 'node:net';
import { withDeadline } from './deadline.ts';
import { parseIp } from './ip-ranges.ts';
import { type HttpSender, OutboundError, type OutboundRequest, type OutboundResponse } from './outbound.ts';
import {
  type CompiledPolicy,
  type OutboundPolicy,
  type OutboundTarget,
  addressProblem,
  checkTarget,
  compilePolicy,
} from './ssrf-policy.ts';

/**
 * `HttpSender` over `node:http`/`node:https` rather than fetch, because the connection must go to the address
 * that was checked: the host is resolved once, every answer is checked, and the socket's `lookup` returns only
 * those answers, so a DNS server that changes its mind between check and connect (rebinding) changes nothing.
 * TLS still verifies the certificate against the host name (SNI and Host stay the name).
 */

// Required, not imported: importing `node:http` as an ES module builds its module facade, which reads every export,
// the lazy ones too (`WebSocket`, `MessageEvent`), and so loads Node's bundled fetch client (undici) that this
// sender never uses: about 2 MiB of an idle server's memory.
const load = createRequire(import.meta.url);
const http = load('node:http') as typeof Http;
const https = load('node:https') as typeof Https;

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024;

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** All addresses of a host name. Injectable so tests can play a rebinding DNS server. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface HttpSenderOptions {
  readonly resolve?: Resolver;
}

/** Headers the transport owns: a caller setting them could smuggle a second request or retarget a virtual host. */
const TRANSPORT_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
]);

export const systemResolver: Resolver = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** One sender per policy; its keep-alive agents are shared by every request it makes. */
export function createHttpSender(policy: OutboundPolicy, options: HttpSenderOptions = {}): HttpSender {
  const compiled = compilePolicy(policy);
  const resolve = options.resolve ?? systemResolver;
  const agents: Agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };
  return { request: (req) => send(compiled, resolve, agents, req) };
}

interface Agents {
  readonly http: Http.Agent;
  readonly https: Https.Agent;
}

async function send(
  policy: CompiledPolicy,
  resolve: Resolver,
  agents: Agents,
  req: OutboundRequest,
): Promise<OutboundResponse> {
  const checked = checkTarget(policy, req.url);
  if (!checked.ok) throw new OutboundError('blocked', checked.reason, false);
  const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return withDeadline(timeoutMs, req.signal, async (signal) => {
    if (signal.aborted) throw abortFailure(signal, timeoutMs, false);
    const addresses = await pinAddresses(policy, resolve, checked.target, signal, timeoutMs);
    return exchange(checked.target, addresses, req, signal, timeoutMs, agents);
  });
}

/** The addresses the socket may use: a literal as is, otherwise every DNS answer, each checked. */
async function pinAddresses(
  policy: CompiledPolicy,
  resolve: Resolver,
  target: OutboundTarget,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<readonly ResolvedAddress[] | null> {
  if (target.ip) return null;
  let answers: readonly ResolvedAddress[];
  try {
    answers = await raceAbort(resolve(target.host), signal);
  } catch (err) {
    if (signal.aborted) throw abortFailure(signal, timeoutMs, false);
    throw new OutboundError('network', `could not resolve ${target.host}: ${describe(err)}`, false);
  }
  if (answers.length === 0) {
    throw new OutboundError('network', `could not resolve ${target.host}: no addresses`, false);
  }
  if (target.hostAllowed) return answers;
  // Any forbidden answer refuses the whole name: picking the "good" one would let a rebinding server win
  // whenever the client's choice and ours differ.
  for (const answer of answers) {
    const bytes = parseIp(answer.address);
    const problem = bytes
      ? addressProblem(policy, bytes, target.port)
      : `the resolver answered "${answer.address}", which is not an address`;
    if (problem) throw new OutboundError('blocked', `${target.host} resolves to ${problem}`, false);
  }
  return answers;
}

function exchange(
  target: OutboundTarget,
  addresses: readonly ResolvedAddress[] | null,
  req: OutboundRequest,
  signal: AbortSignal,
  timeoutMs: number,
  agents: Agents,
): Promise<OutboundResponse> {
  return new Promise((resolve, reject) => {
    const maxBytes = req.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    let settled = false;
    let bodyWritten = false;
    let request: Http.ClientRequest | undefined;

    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const fail = (err: OutboundError) => settle(() => reject(err));
    function onAbort() {
      fail(abortFailure(signal, timeoutMs, bodyWritten));
      request?.destroy();
    }

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers ?? {})) {
      if (!TRANSPORT_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
    }
    if (body) headers['content-length'] = String(body.byteLength);
    const isHttps = target.url.protocol === 'https:';
    const options: Https.RequestOptions = {
      host: target.host,
      port: target.port,
      path: `${target.url.pathname}${target.url.search}`,
      method: req.method ?? (body ? 'POST' : 'GET'),
      headers,
      agent: isHttps ? agents.https : agents.http,
    };
    if (addresses) options.lookup = pinnedLookup(addresses);
    try {
      request = isHttps ? https.request(options) : http.request(options);
    } catch (err) {
      // Node refuses malformed header names and values (CR/LF) before anything is sent.
      fail(new OutboundError('blocked', `invalid request: ${describe(err)}`, false));
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });

    request.on('finish', () => {
      bodyWritten = true;
    });
    request.on('error', (err) => fail(new OutboundError('network', describe(err), bodyWritten)));
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const complete = () =>
        settle(() =>
          resolve({
            status: res.statusCode ?? 0,
            headers: flattenHeaders(res.headers),
            body: Buffer.concat(chunks).toString('utf8'),
            truncated,
          }),
        );
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        if (chunk.byteLength > maxBytes - size) {
          // Stop reading instead of draining: an endless body must not hold the request until the deadline.
          chunks.push(chunk.subarray(0, maxBytes - size));
          size = maxBytes;
          truncated = true;
          complete();
          res.destroy();
          return;
        }
        chunks.push(chunk);
        size += chunk.byteLength;
      });
      res.on('end', complete);
      res.on('error', (err) =>
        fail(new OutboundError('network', `the answer broke off: ${describe(err)}`, true)),
      );
      // 'close' follows every answer, complete or not: build the error only when it is one.
      res.on('close', () => {
        if (!settled)
          fail(new OutboundError('network', 'the connection closed before the answer was complete', true));
      });
    });
    request.end(body);
  });
}

function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 6 || options.family === 'IPv6' ? 6 : options.family === 4 ? 4 : 0;
    const usable = addresses.filter((a) => wanted === 0 || a.family === wanted);
    if (options.all) {
      callback(
        null,
        usable.map((a) => ({ address: a.address, family: a.family })),
      );
      return;
    }
    const first = usable[0];
    if (!first) {
      const err: NodeJS.ErrnoException = new Error(`no IPv${wanted} address was checked for this host`);
      err.code = 'ENOTFOUND';
      callback(err, '', 0);
      return;
    }
    callback(null, first.address, first.family);
  };
}

function abortFailure(signal: AbortSignal, timeoutMs: number, maybeDelivered: boolean): OutboundError {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') {
    return new OutboundError('timeout', `no complete answer within ${timeoutMs} ms`, maybeDelivered);
  }
  return new OutboundError('network', 'the request was cancelled', maybeDelivered);
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: Error) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

function flattenHeaders(headers: Http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
