import type { EpochMs } from '../../platform/clock.ts';
import type webpushModule from 'web-push';
import type { OutboundResponse } from '../../platform/net/outbound.ts';
import type {
  Destination,
  DestinationProblem,
  Notifier,
  OutboundMessage,
  SendContext,
  SendOutcome,
} from './notifier.ts';
import { outcomeFromError, parseRetryAfter } from './http-outcome.ts';
import { checkVapidKeys, type VapidKeys } from './vapid.ts';
import { CHANNEL_CAPABILITIES } from './capabilities.ts';

/**
 * Web Push (RFC 8030) straight to the browser's push service, payload encrypted for the subscription (RFC 8291,
 * aes128gcm) and signed with the operator's VAPID key (RFC 8292): no vendor relay sees the content. web-push builds
 * the encrypted request; it is sent through the outbound policy like every other provider call, not by web-push.
 *
 * Destination: `address` is the subscription's endpoint URL, `secrets.p256dh` and `secrets.auth` its keys.
 */
export interface WebPushNotifierOptions {
  readonly vapid: VapidKeys;
}

/** What the service worker receives (JSON). It shows the notification and POSTs `ackUrl`/`resolveUrl` on a click. */
export interface PushPayload {
  readonly title: string;
  readonly body: string;
  readonly url?: string;
  /** Notifications with one tag replace each other: an incident's resolution replaces its page. */
  readonly tag: string;
  readonly actions: readonly { readonly action: 'ack' | 'resolve'; readonly title: string }[];
  readonly ackUrl?: string;
  readonly resolveUrl?: string;
}

/**
 * How long the push service keeps a message for a device that is offline. A page that arrives hours late only
 * confuses; by then the escalation has moved on.
 */
const TTL_SECONDS = 60 * 60;
/** Browsers accept about 4 KiB of encrypted payload; the body is cut well below that. */
const MAX_BODY_CHARS = 1500;

/** Throws when the VAPID keys or subject are unusable: that is configuration, found at start, not per send. */
export function createWebPushNotifier(opts: WebPushNotifierOptions): Notifier {
  const problems = checkVapidKeys(opts.vapid);
  if (problems.length > 0) {
    throw new TypeError(
      `web push: ${problems.map((p) => `notify.webPush.${p.field} ${p.detail}`).join('; ')}`,
    );
  }
  const vapidDetails = {
    subject: opts.vapid.subject,
    publicKey: opts.vapid.publicKey,
    privateKey: opts.vapid.privateKey,
  };
  return {
    kind: 'push',
    capabilities: CHANNEL_CAPABILITIES.push,
    secretKeys: ['p256dh', 'auth'],
    check: pushSubscriptionProblems,
    async send(message, dest, ctx) {
      const payload = JSON.stringify(pushPayload(message));
      // Loaded on first use (~12 MiB): only servers that page through Web Push pay for it.
      const webpush = (await import('web-push')).default;
      let details: ReturnType<typeof webpushModule.generateRequestDetails>;
      try {
        details = webpush.generateRequestDetails(
          {
            endpoint: dest.address,
            keys: { p256dh: dest.secrets.p256dh ?? '', auth: dest.secrets.auth ?? '' },
          },
          payload,
          {
            vapidDetails,
            TTL: TTL_SECONDS,
            urgency:
              message.incident?.urgency === 'high' && message.event === 'triggered' ? 'high' : 'normal',
            contentEncoding: 'aes128gcm',
          },
        );
      } catch (err) {
        // The subscription's keys are not a usable P-256 key and auth secret: no retry can encrypt for them.
        const detail = err instanceof Error ? err.message : String(err);
        return { status: 'failed_permanent', reason: `cannot encrypt for this push subscription: ${detail}` };
      }
      const headers: Record<string, string> = {};
      // The sender sets Content-Length from the body itself.
      for (const [name, value] of Object.entries(details.headers)) {
        if (name.toLowerCase() !== 'content-length') headers[name.toLowerCase()] = String(value);
      }
      return postPush(ctx, details.endpoint, headers, details.body ?? Buffer.alloc(0));
    },
  };
}

async function postPush(
  ctx: SendContext,
  endpoint: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<SendOutcome> {
  let response: OutboundResponse;
  try {
    response = await ctx.http.request({
      url: endpoint,
      method: 'POST',
      headers,
      body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
      maxResponseBytes: 4096,
    });
  } catch (err) {
    return outcomeFromError(err);
  }
  return pushOutcome(response, ctx.now);
}

/**
 * 200/201/202 → sent (the push service's `Location` names the message). 404/410: the subscription is gone (the
 * browser unsubscribed or the user cleared site data), which only re-subscribing fixes: `destinationGone`, so the
 * contact method expires and is not paged again until it is. 429 and 5xx are temporary;
 * anything else (400 bad request, 401/403 VAPID refused, 413 too large) is permanent.
 */
export function pushOutcome(response: OutboundResponse, now: EpochMs): SendOutcome {
  const { status } = response;
  if (status === 200 || status === 201 || status === 202) {
    const location = response.headers.location;
    return location
      ? { status: 'sent', providerMessageId: location, statusCode: status }
      : { status: 'sent', statusCode: status };
  }
  const detail = response.body.replace(/\s+/g, ' ').trim().slice(0, 200);
  const suffix = detail === '' ? '' : `: ${detail}`;
  if (status === 404 || status === 410) {
    return {
      status: 'failed_permanent',
      reason: `push subscription expired or unsubscribed (HTTP ${status}); subscribe this browser again in your Siaga profile`,
      statusCode: status,
      destinationGone: true,
    };
  }
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], response.headers.date, now);
    const reason = `push service HTTP ${status}${suffix}`;
    return retryAfterMs === undefined
      ? { status: 'failed_temporary', reason, statusCode: status }
      : { status: 'failed_temporary', reason, retryAfterMs, statusCode: status };
  }
  const hint = status === 401 || status === 403 ? ' (the push service refused the VAPID credentials)' : '';
  return {
    status: 'failed_permanent',
    reason: `push service HTTP ${status}${hint}${suffix}`,
    statusCode: status,
  };
}

export function pushPayload(message: OutboundMessage): PushPayload {
  const incident = message.kind === 'bundle' ? undefined : message.incident;
  const triggered = message.event === 'triggered';
  const ackUrl = triggered ? message.actions?.acknowledge?.url : undefined;
  const resolveUrl = triggered ? message.actions?.resolve?.url : undefined;
  const actions: { action: 'ack' | 'resolve'; title: string }[] = [];
  if (ackUrl) actions.push({ action: 'ack', title: 'Acknowledge' });
  if (resolveUrl) actions.push({ action: 'resolve', title: 'Resolve' });
  const body = message.text.trim();
  return {
    title: message.subject,
    body: body.length > MAX_BODY_CHARS ? `${body.slice(0, MAX_BODY_CHARS - 1)}…` : body,
    ...(incident ? { url: incident.url } : {}),
    tag: incident ? incident.id : message.id,
    actions,
    ...(ackUrl ? { ackUrl } : {}),
    ...(resolveUrl ? { resolveUrl } : {}),
  };
}

/** The endpoint must be an absolute http(s) URL; p256dh a P-256 public point (65 bytes), auth 16 bytes. */
export function pushSubscriptionProblems(dest: Destination): DestinationProblem[] {
  const problems: DestinationProblem[] = [];
  let url: URL | undefined;
  try {
    url = new URL(dest.address);
  } catch {
    url = undefined;
  }
  if (
    !url ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username !== '' ||
    url.password !== ''
  ) {
    problems.push({ pointer: '/address', detail: 'must be the push subscription endpoint, an https:// URL' });
  }
  const p256dh = base64urlBytes(dest.secrets.p256dh);
  if (!p256dh || p256dh.length !== 65 || p256dh[0] !== 0x04) {
    problems.push({
      pointer: '/secrets/p256dh',
      detail: "must be the subscription's p256dh key (base64url, 65 bytes)",
    });
  }
  const auth = base64urlBytes(dest.secrets.auth);
  if (!auth || auth.length !== 16) {
    problems.push({
      pointer: '/secrets/auth',
      detail: "must be the subscription's auth secret (base64url, 16 bytes)",
    });
  }
  return problems;
}

function base64urlBytes(value: string | undefined): Buffer | undefined {
  if (value === undefined || !/^[A-Za-z0-9_-]+={0,2}$/.test(value)) return undefined;
  return Buffer.from(value.replace(/=+$/, ''), 'base64url');
}
