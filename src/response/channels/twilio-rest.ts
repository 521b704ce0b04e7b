import type { EpochMs } from '../../platform/clock.ts';
import type { OutboundResponse } from '../../platform/net/outbound.ts';
import { outcomeFromError, parseRetryAfter } from './http-outcome.ts';
import type { Destination, DestinationProblem, SendContext, SendOutcome } from './notifier.ts';

/**
 * The part of Twilio's REST API the SMS and voice channels share: a form-encoded POST to
 * `/2010-04-01/Accounts/{AccountSid}/{Messages|Calls}.json` with HTTP Basic auth, and the classification of its
 * answer. Any provider that speaks the same API (a Twilio-compatible gateway, the test fake) works through
 * `baseUrl`.
 */
export interface TwilioAccountOptions {
  /** Default `https://api.twilio.com`. */
  readonly baseUrl?: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** The Twilio number (E.164) or messaging service the texts and calls come from. */
  readonly from: string;
  /**
   * Where Twilio reports delivery status (`StatusCallback`), `{publicUrl}/api/v1/callbacks/twilio/status` when
   * `notify.twilio.statusCallbacks` is on; each send adds `?delivery={delivery id}`. Omitted when unset.
   */
  readonly statusCallbackUrl?: string;
}

export const TWILIO_DEFAULT_BASE_URL = 'https://api.twilio.com';

/** E.164: a plus, a non-zero country digit, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

export function phoneNumberProblems(dest: Destination): DestinationProblem[] {
  if (E164.test(dest.address)) return [];
  return [
    {
      pointer: '/address',
      detail: 'must be a phone number in international E.164 form, for example +4915112345678',
    },
  ];
}

/** POSTs one form to `{Resource}.json` and classifies what came back. */
export async function postTwilioForm(
  ctx: SendContext,
  account: TwilioAccountOptions,
  resource: 'Messages' | 'Calls',
  form: Readonly<Record<string, string>>,
): Promise<SendOutcome> {
  const base = (account.baseUrl ?? TWILIO_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(account.accountSid)}/${resource}.json`;
  const credentials = Buffer.from(`${account.accountSid}:${account.authToken}`, 'utf8').toString('base64');
  let response: OutboundResponse;
  try {
    response = await ctx.http.request({
      url,
      method: 'POST',
      headers: {
        authorization: `Basic ${credentials}`,
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        accept: 'application/json',
      },
      body: new URLSearchParams(form).toString(),
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
    });
  } catch (err) {
    return outcomeFromError(err);
  }
  return twilioOutcome(response, ctx.now);
}

/**
 * 200/201 → sent (the `sid` is the provider id); 429 and 5xx → temporary, honouring `Retry-After`; any other
 * status → permanent with Twilio's error code and message (21211 invalid number, 21610 unsubscribed recipient,
 * 20003 bad credentials: retrying cannot fix any of them).
 */
export function twilioOutcome(response: OutboundResponse, now: EpochMs): SendOutcome {
  const { status } = response;
  const body = parseJson(response.body);
  if (status === 200 || status === 201) {
    const sid = typeof body?.sid === 'string' ? body.sid : undefined;
    return sid === undefined
      ? { status: 'sent', statusCode: status }
      : { status: 'sent', providerMessageId: sid, statusCode: status };
  }
  const reason = twilioErrorText(status, body, response.body);
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], response.headers.date, now);
    return retryAfterMs === undefined
      ? { status: 'failed_temporary', reason, statusCode: status }
      : { status: 'failed_temporary', reason, retryAfterMs, statusCode: status };
  }
  return { status: 'failed_permanent', reason, statusCode: status };
}

function twilioErrorText(status: number, body: Record<string, unknown> | undefined, raw: string): string {
  const code =
    typeof body?.code === 'number' || typeof body?.code === 'string' ? String(body.code) : undefined;
  const message = typeof body?.message === 'string' ? body.message : undefined;
  if (code !== undefined || message !== undefined) {
    return `Twilio error ${code ?? '?'}: ${(message ?? '').slice(0, 300)} (HTTP ${status})`;
  }
  const text = raw.trim().slice(0, 200);
  return text === '' ? `HTTP ${status}` : `HTTP ${status}: ${text}`;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
