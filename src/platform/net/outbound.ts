/**
 * The one way Siaga makes outgoing HTTP requests (notification channels, outgoing webhooks, later monitors).
 * Every request goes through the SSRF policy: scheme and port checks, the resolved address checked against the
 * private ranges (unless the operator allows it), the connection pinned to the address that was checked, no
 * redirects followed, a time limit and a bounded response body.
 */
export interface OutboundRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Default 10 s; the whole exchange (connect, send, read) must fit. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Bytes of the response body kept; the rest is discarded. Default 64 KiB. */
  readonly maxResponseBytes?: number;
}

export interface OutboundResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly truncated: boolean;
}

/** Why a request got no HTTP answer. `blocked`: the policy refused it and nothing was sent. */
export type OutboundFailure = 'blocked' | 'timeout' | 'network';

export class OutboundError extends Error {
  override readonly name = 'OutboundError';
  readonly failure: OutboundFailure;
  /** True when the request may have reached the server (the outcome is unknown). */
  readonly maybeDelivered: boolean;
  constructor(failure: OutboundFailure, message: string, maybeDelivered: boolean) {
    super(message);
    this.failure = failure;
    this.maybeDelivered = maybeDelivered;
  }
}

export interface HttpSender {
  /** Resolves with any HTTP answer (including 4xx/5xx); rejects only with an `OutboundError`. */
  request(req: OutboundRequest): Promise<OutboundResponse>;
}
