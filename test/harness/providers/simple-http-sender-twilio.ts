import {
  OutboundError,
  type HttpSender,
  type OutboundRequest,
  type OutboundResponse,
} from '../../../src/platform/net/outbound.ts';

/**
 * A bare fetch-based `HttpSender` for channel tests against local fakes: the same contract as the real sender
 * (any HTTP answer resolves, no answer rejects with an `OutboundError`, no redirects, bounded body) without the
 * SSRF policy, which would refuse 127.0.0.1.
 */
export function createSimpleHttpSender(): HttpSender & { readonly sent: OutboundRequest[] } {
  const sent: OutboundRequest[] = [];
  return {
    sent,
    async request(req: OutboundRequest): Promise<OutboundResponse> {
      sent.push(req);
      const timeout = AbortSignal.timeout(req.timeoutMs ?? 10_000);
      const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
      let res: Response;
      try {
        res = await fetch(req.url, {
          method: req.method ?? 'GET',
          ...(req.headers ? { headers: req.headers } : {}),
          ...(req.body === undefined ? {} : { body: req.body as BodyInit }),
          redirect: 'manual',
          signal,
        });
      } catch (err) {
        if (timeout.aborted)
          throw new OutboundError('timeout', `no answer in ${req.timeoutMs ?? 10_000} ms`, true);
        throw new OutboundError('network', err instanceof Error ? err.message : String(err), false);
      }
      const text = await res.text();
      const max = req.maxResponseBytes ?? 64 * 1024;
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return { status: res.status, headers, body: text.slice(0, max), truncated: text.length > max };
    },
  };
}
