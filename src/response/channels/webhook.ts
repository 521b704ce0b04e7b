import { toIso } from '../../platform/clock.ts';
import { SIGNATURE_HEADER, signWebhook } from '../../platform/crypto/webhook-signature.ts';
import { outcomeFromError, outcomeFromHttp } from './http-outcome.ts';
import type {
  Destination,
  DestinationProblem,
  MessageIncident,
  Notifier,
  OutboundMessage,
} from './notifier.ts';
import { CHANNEL_CAPABILITIES } from './capabilities.ts';

/**
 * The generic webhook: one JSON POST per message, delivered at least once. Every attempt of one message carries
 * the same `Idempotency-Key` / `X-Webhook-Id` (the delivery id), so a receiver de-duplicates re-sends after a
 * timeout or a crash (R-NOT-5). With a signing secret each attempt is signed over its own timestamp and the
 * exact bytes sent (R-NOT-9); during a rotation both secrets sign.
 *
 * Destination: `address` = URL; `config.headers` = extra non-secret headers; `secrets.signingSecret`,
 * `secrets.previousSigningSecret` (rotation), `secrets.authorization` (sent as `Authorization`).
 */

export const WEBHOOK_SECRET_KEYS = ['signingSecret', 'previousSigningSecret', 'authorization'] as const;

/** Headers Siaga sets itself, which `config.headers` may not replace. */
const RESERVED_HEADERS = new Set([
  'content-type',
  'content-length',
  'user-agent',
  'idempotency-key',
  'x-webhook-id',
  'authorization',
  'host',
  'connection',
  'transfer-encoding',
  'cookie',
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
const MAX_EXTRA_HEADERS = 20;
const MAX_HEADER_VALUE = 2048;
const MIN_SECRET_LENGTH = 16;

export interface WebhookIncident {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly severity: MessageIncident['severity'];
  readonly urgency: MessageIncident['urgency'];
  readonly status: MessageIncident['status'];
  readonly serviceName: string;
  readonly url: string;
  /** RFC 3339, UTC. */
  readonly openedAt: string;
  readonly alertCount: number;
}

/** The documented body (docs/operations/channels.md#webhook). Field names are a public contract. */
export interface WebhookPayload {
  readonly id: string;
  readonly event: OutboundMessage['event'];
  readonly kind: OutboundMessage['kind'];
  readonly subject: string;
  readonly text: string;
  readonly incident?: WebhookIncident;
  readonly actions?: { readonly acknowledge?: { url: string }; readonly resolve?: { url: string } };
  readonly bundle?: { readonly count: number; readonly incidents: readonly WebhookIncident[] };
  readonly recipient?: { readonly userId: string; readonly name: string };
  readonly createdAt: string;
}

export function webhookPayload(message: OutboundMessage): WebhookPayload {
  const ack = message.actions?.acknowledge;
  const resolve = message.actions?.resolve;
  // Action tokens stay out of the payload: the links already carry what a receiver needs to act.
  const actions = {
    ...(ack ? { acknowledge: { url: ack.url } } : {}),
    ...(resolve ? { resolve: { url: resolve.url } } : {}),
  };
  return {
    id: message.id,
    event: message.event,
    kind: message.kind,
    subject: message.subject,
    text: message.text,
    ...(message.incident ? { incident: incidentView(message.incident) } : {}),
    ...(ack || resolve ? { actions } : {}),
    ...(message.bundle
      ? { bundle: { count: message.bundle.count, incidents: message.bundle.incidents.map(incidentView) } }
      : {}),
    ...(message.recipient ? { recipient: message.recipient } : {}),
    createdAt: toIso(message.createdAt),
  };
}

function incidentView(i: MessageIncident): WebhookIncident {
  return {
    id: i.id,
    number: i.number,
    title: i.title,
    severity: i.severity,
    urgency: i.urgency,
    status: i.status,
    serviceName: i.serviceName,
    url: i.url,
    openedAt: toIso(i.openedAt),
    alertCount: i.alertCount,
  };
}

/** The headers of one attempt; `nowMs` dates the signature. */
export function webhookHeaders(
  message: OutboundMessage,
  dest: Destination,
  rawBody: string,
  nowMs: number,
): Record<string, string> {
  const headers: Record<string, string> = { ...extraHeaders(dest) };
  headers['Content-Type'] = 'application/json';
  headers['User-Agent'] = 'Siaga';
  headers['Idempotency-Key'] = message.id;
  headers['X-Webhook-Id'] = message.id;
  headers['X-Siaga-Event'] = message.event;
  const authorization = dest.secrets.authorization;
  if (authorization) headers.Authorization = authorization;
  const secrets = [dest.secrets.signingSecret, dest.secrets.previousSigningSecret].filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
  if (secrets.length > 0) {
    headers[SIGNATURE_HEADER] = signWebhook(secrets, Math.floor(nowMs / 1000), rawBody);
  }
  return headers;
}

function extraHeaders(dest: Destination): Record<string, string> {
  const raw = dest.config.headers;
  if (!raw || typeof raw !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const lower = name.toLowerCase();
    if (typeof value === 'string' && !RESERVED_HEADERS.has(lower) && !lower.startsWith('x-siaga-')) {
      out[name] = value;
    }
  }
  return out;
}

/**
 * Settings problems without the network. Only the URL's syntax is checked here: whether its host may be reached
 * depends on the operator's outbound policy, which the API layer applies with `checkOutboundUrl`.
 */
export function checkWebhookDestination(dest: Destination): DestinationProblem[] {
  const problems: DestinationProblem[] = [];
  const urlProblem = httpUrlProblem(dest.address);
  if (urlProblem) problems.push({ pointer: '/address', detail: urlProblem });

  const headers = dest.config.headers;
  if (headers !== undefined) {
    if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
      problems.push({ pointer: '/config/headers', detail: 'must be an object of header names to values' });
    } else {
      const entries = Object.entries(headers as Record<string, unknown>);
      if (entries.length > MAX_EXTRA_HEADERS) {
        problems.push({ pointer: '/config/headers', detail: `at most ${MAX_EXTRA_HEADERS} headers` });
      }
      for (const [name, value] of entries) {
        const pointer = `/config/headers/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        const lower = name.toLowerCase();
        if (!HEADER_NAME.test(name)) {
          problems.push({ pointer, detail: 'not a valid header name' });
        } else if (RESERVED_HEADERS.has(lower) || lower.startsWith('x-siaga-')) {
          const hint = lower === 'authorization' ? ' (put it in the secret "authorization")' : '';
          problems.push({ pointer, detail: `${name} is set by Siaga and cannot be overridden${hint}` });
        } else if (typeof value !== 'string') {
          problems.push({ pointer, detail: 'must be a string' });
        } else if (!headerValueOk(value)) {
          problems.push({
            pointer,
            detail: `must be at most ${MAX_HEADER_VALUE} characters, without line breaks`,
          });
        }
      }
    }
  }

  const { signingSecret, previousSigningSecret, authorization } = dest.secrets;
  if (signingSecret !== undefined && signingSecret.length < MIN_SECRET_LENGTH) {
    problems.push({
      pointer: '/secrets/signingSecret',
      detail: `must be at least ${MIN_SECRET_LENGTH} characters`,
    });
  }
  if (previousSigningSecret !== undefined && !signingSecret) {
    problems.push({
      pointer: '/secrets/previousSigningSecret',
      detail: 'is only used next to a current signingSecret (rotation)',
    });
  }
  if (authorization !== undefined && !headerValueOk(authorization)) {
    problems.push({ pointer: '/secrets/authorization', detail: 'must be a single-line header value' });
  }
  return problems;
}

/** Syntax of an http(s) destination URL; shared with the Slack channel's incoming-webhook URL. */
export function httpUrlProblem(address: string): string | null {
  if (address.trim() === '') return 'a URL is required';
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username !== '' || url.password !== '') {
    return 'credentials in the URL are not allowed; use the "authorization" secret';
  }
  return null;
}

function headerValueOk(value: string): boolean {
  // eslint-disable-next-line no-control-regex -- a CR, LF or NUL in a header value is header injection
  return value.length <= MAX_HEADER_VALUE && !/[\r\n\u0000]/.test(value);
}

export function createWebhookNotifier(): Notifier {
  return {
    kind: 'webhook',
    capabilities: CHANNEL_CAPABILITIES.webhook,
    secretKeys: WEBHOOK_SECRET_KEYS,
    check: checkWebhookDestination,
    async send(message, dest, ctx) {
      const rawBody = JSON.stringify(webhookPayload(message));
      try {
        const res = await ctx.http.request({
          url: dest.address,
          method: 'POST',
          headers: webhookHeaders(message, dest, rawBody, ctx.now),
          body: rawBody,
          timeoutMs: ctx.timeoutMs,
          signal: ctx.signal,
        });
        return outcomeFromHttp(res, ctx.now);
      } catch (err) {
        return outcomeFromError(err);
      }
    },
  };
}
