import type { EpochMs } from '../../platform/clock.ts';
import { OutboundError, type OutboundResponse } from '../../platform/net/outbound.ts';
import type { SendOutcome } from './notifier.ts';

/**
 * The shared reading of an HTTP answer, for channels whose provider speaks plain HTTP status codes: 2xx sent;
 * 408, 425, 429 and 5xx temporary (honouring `Retry-After`); any other answer permanent, so a 400 or 404 is not
 * retried in a storm (R-NOT-2). Channels whose provider answers 200 with an error inside (Slack's Web API,
 * Telegram) look at the body first and use this for the rest.
 */

const TEMPORARY_STATUSES = new Set([408, 425, 429]);
const EXCERPT_CHARS = 200;
/** A provider asking for a day's pause is misconfigured or hostile; the dispatcher's backoff takes over beyond. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * `now` is the caller's clock, used for a `Retry-After` HTTP-date only when the answer carries no `Date` header
 * (the provider's own `Date` is preferred: it cancels clock skew between us and them).
 */
export function outcomeFromHttp(res: OutboundResponse, now?: EpochMs): SendOutcome {
  const statusCode = res.status;
  if (statusCode >= 200 && statusCode < 300) return { status: 'sent', statusCode };
  const reason = describeAnswer(res);
  if (TEMPORARY_STATUSES.has(statusCode) || statusCode >= 500) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], res.headers.date, now);
    return {
      status: 'failed_temporary',
      reason,
      statusCode,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  return { status: 'failed_permanent', reason, statusCode };
}

/** A request that got no answer: refused by the policy (permanent), or timed out / broke off (temporary). */
export function outcomeFromError(err: unknown): SendOutcome {
  if (err instanceof OutboundError) {
    if (err.failure === 'blocked') {
      return { status: 'failed_permanent', reason: `refused by the outbound policy: ${err.message}` };
    }
    return {
      status: 'failed_temporary',
      reason: `${err.failure === 'timeout' ? 'timed out' : 'network error'}: ${err.message}`,
      maybeDelivered: err.maybeDelivered,
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { status: 'failed_temporary', reason: `unexpected error: ${message}`, maybeDelivered: true };
}

/**
 * `Retry-After` as milliseconds from now: delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Undefined when
 * absent or unreadable, or a date with nothing to measure it against.
 */
export function parseRetryAfter(
  value: string | undefined,
  dateHeader?: string,
  now?: EpochMs,
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(text);
  if (!Number.isFinite(at)) return undefined;
  const providerNow = dateHeader === undefined ? NaN : Date.parse(dateHeader);
  const reference = Number.isFinite(providerNow) ? providerNow : now;
  if (reference === undefined) return undefined;
  return Math.min(Math.max(0, at - reference), MAX_RETRY_AFTER_MS);
}

/** `HTTP 404: <first 200 characters of the body, on one line>`; a redirect names where it pointed. */
export function describeAnswer(res: OutboundResponse): string {
  if (res.status >= 300 && res.status < 400) {
    const where = res.headers.location ? ` to ${excerpt(res.headers.location)}` : '';
    return `HTTP ${res.status}: redirect${where} not followed (point the destination at the final URL)`;
  }
  const body = excerpt(res.body);
  return body ? `HTTP ${res.status}: ${body}` : `HTTP ${res.status}`;
}

/** One line, no control characters, at most 200 characters: safe for a delivery log row and a timeline. */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  const flat = text
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
