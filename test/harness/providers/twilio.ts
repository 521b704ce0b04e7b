import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { twilioSignature } from '../../../src/response/channels/twilio-signature.ts';

/**
 * Twilio's REST API as far as Siaga uses it, on 127.0.0.1: `POST /2010-04-01/Accounts/{Sid}/Messages.json` and
 * `.../Calls.json`, form-encoded, HTTP Basic auth with the account SID and auth token, answering with Twilio's
 * documented shapes (201 with a `sid`; errors as `{code, message, status, more_info}`). Every request is recorded,
 * headers and raw body; answers can be scripted.
 */
export interface TwilioRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** The form fields (last value wins for a repeated name). */
  readonly form: Readonly<Record<string, string>>;
}

export interface TwilioMessage {
  readonly sid: string;
  readonly to: string;
  readonly from: string;
  readonly body: string;
  readonly statusCallback: string | undefined;
}

export interface TwilioCall {
  readonly sid: string;
  readonly to: string;
  readonly from: string;
  readonly twiml: string | undefined;
  readonly url: string | undefined;
  readonly statusCallback: string | undefined;
}

/** A scripted answer: the status, the JSON body and any headers (e.g. `retry-after`). */
export interface TwilioAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface FakeTwilio {
  /** Pass as the notifiers' `baseUrl`. */
  readonly baseUrl: string;
  readonly requests: TwilioRequest[];
  readonly messages: TwilioMessage[];
  readonly calls: TwilioCall[];
  /** Queues an answer for the next request, instead of what the API would say. */
  answerNext(answer: TwilioAnswer): void;
  close(): Promise<void>;
}

/** Twilio's error body: `{code, message, more_info, status}`. */
export function twilioError(status: number, code: number, message: string): TwilioAnswer {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

const E164 = /^\+[1-9]\d{6,14}$/;
const PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/;

export async function startFakeTwilio(opts: {
  readonly accountSid: string;
  readonly authToken: string;
}): Promise<FakeTwilio> {
  const requests: TwilioRequest[] = [];
  const messages: TwilioMessage[] = [];
  const calls: TwilioCall[] = [];
  const script: TwilioAnswer[] = [];
  let counter = 0;
  const nextSid = (prefix: string) => `${prefix}${(++counter).toString(16).padStart(32, '0')}`;

  function answer(res: ServerResponse, a: TwilioAnswer) {
    res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
    res.end(a.body === undefined ? '' : JSON.stringify(a.body));
  }

  function handle(req: TwilioRequest): TwilioAnswer {
    const scripted = script.shift();
    if (scripted) return scripted;
    const match = PATH.exec(req.path);
    if (req.method !== 'POST' || !match)
      return twilioError(404, 20404, 'The requested resource was not found');
    const expected = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected || decodeURIComponent(match[1]!) !== opts.accountSid) {
      return twilioError(401, 20003, 'Authenticate');
    }
    const { To: to = '', From: from = '' } = req.form;
    if (!E164.test(to)) return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (match[2] === 'Messages') {
      const body = req.form.Body;
      if (!body) return twilioError(400, 21602, 'Message body is required.');
      const sid = nextSid('SM');
      messages.push({ sid, to, from, body, statusCallback: req.form.StatusCallback });
      return { status: 201, body: { sid, status: 'queued', to, from, body, account_sid: opts.accountSid } };
    }
    if (!req.form.Twiml && !req.form.Url) return twilioError(400, 21205, 'Url parameter is required.');
    const sid = nextSid('CA');
    calls.push({
      sid,
      to,
      from,
      twiml: req.form.Twiml,
      url: req.form.Url,
      statusCallback: req.form.StatusCallback,
    });
    return { status: 201, body: { sid, status: 'queued', to, from, account_sid: opts.accountSid } };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const form = Object.fromEntries(new URLSearchParams(rawBody.toString('utf8')));
      const recorded: TwilioRequest = {
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0]!,
        headers: req.headers,
        rawBody,
        form,
      };
      requests.push(recorded);
      answer(res, handle(recorded));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    messages,
    calls,
    answerNext: (a) => void script.push(a),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The status callback Twilio posts to a message's `StatusCallback` URL, signed as Twilio signs it: the form
 * parameters Twilio documents for a message (`MessageSid`, `MessageStatus`, also as `SmsSid`/`SmsStatus`,
 * `ErrorCode` when it failed) and the URL it calls. `inject` is the request for `app.http.inject`, whose URL is the
 * callback's path and query (the public origin is only part of the signature).
 */
export function twilioMessageStatusCallback(input: {
  readonly authToken: string;
  readonly accountSid: string;
  readonly message: TwilioMessage;
  readonly status: string;
  readonly errorCode?: string;
  /** Defaults to a signature of these parameters with `authToken`; '' sends none. */
  readonly signature?: string;
}) {
  const m = input.message;
  const params: Record<string, string> = {
    AccountSid: input.accountSid,
    ApiVersion: '2010-04-01',
    From: m.from,
    To: m.to,
    MessageSid: m.sid,
    SmsSid: m.sid,
    MessageStatus: input.status,
    SmsStatus: input.status,
    ...(input.errorCode ? { ErrorCode: input.errorCode } : {}),
  };
  return signedCallback(input.authToken, m.statusCallback, params, input.signature);
}

/** The same for a call: `CallSid`, `CallStatus` and the call's details, posted when the call ends. */
export function twilioCallStatusCallback(input: {
  readonly authToken: string;
  readonly accountSid: string;
  readonly call: TwilioCall;
  readonly status: string;
  readonly signature?: string;
}) {
  const c = input.call;
  const params: Record<string, string> = {
    AccountSid: input.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: c.sid,
    CallStatus: input.status,
    Direction: 'outbound-api',
    From: c.from,
    To: c.to,
    CallDuration: input.status === 'completed' ? '14' : '0',
  };
  return signedCallback(input.authToken, c.statusCallback, params, input.signature);
}

function signedCallback(
  authToken: string,
  url: string | undefined,
  params: Record<string, string>,
  signature: string | undefined,
) {
  if (!url) throw new Error('the message or call was sent without a StatusCallback');
  const target = new URL(url);
  const sig = signature ?? twilioSignature(authToken, url, params);
  return {
    params,
    inject: {
      method: 'POST' as const,
      url: `${target.pathname}${target.search}`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(sig === '' ? {} : { 'x-twilio-signature': sig }),
      },
      payload: new URLSearchParams(params).toString(),
    },
  };
}
