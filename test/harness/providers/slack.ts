import { signSlackRequest } from '../../../src/response/channels/slack-interaction.ts';
import {
  type RecordedRequest,
  type ScriptedResponse,
  type WebhookReceiver,
  startWebhookReceiver,
} from './webhook-receiver.ts';

/**
 * A fake Slack on 127.0.0.1 speaking the documented shapes of the two ways Siaga posts:
 *
 * - incoming webhooks, `POST /services/T…/B…/…`: `200 ok`; `400 invalid_payload` for a body that is not JSON
 *   or has neither `text` nor `blocks`; `404 no_service` for a URL that is not a known hook;
 * - the Web API, `POST /api/chat.postMessage`: always HTTP 200 with `{ok: true, channel, ts, message}` or
 *   `{ok: false, error}` (`not_authed`, `invalid_auth`, `channel_not_found`, `not_in_channel`, `no_text`);
 *   a user id as channel opens a DM (the answer names a `D…` channel).
 *
 * `script()` overrides the next answers (a 429 with `Retry-After`, a 500, a never-answering call), as for the
 * webhook receiver. `posted` lists what Slack would show, in order.
 */

export interface SlackPost {
  readonly via: 'webhook' | 'api';
  readonly channel: string;
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
  readonly ts: string;
}

export interface FakeSlack {
  readonly origin: string;
  /** Give as `apiBaseUrl`. */
  readonly apiBaseUrl: string;
  /** A working incoming webhook URL (posts to `#incidents`). */
  readonly webhookUrl: string;
  /** The valid bot token. */
  readonly botToken: string;
  /** Channel ids that exist. */
  readonly channels: Set<string>;
  /** Channel ids the bot is a member of. */
  readonly memberOf: Set<string>;
  /** User ids that exist (DM targets). */
  readonly users: Set<string>;
  readonly requests: readonly RecordedRequest[];
  readonly posted: readonly SlackPost[];
  /** Raw answers for the next requests, in order. */
  script(...responses: ScriptedResponse[]): void;
  /** The next Web API call answers 200 `{ok: false, error}`. */
  failNext(error: string): void;
  close(): Promise<void>;
}

export const FAKE_SLACK_BOT_TOKEN = 'xoxb-1111-2222-fake';
export const FAKE_SLACK_CHANNEL = 'C0INCIDENTS';
export const FAKE_SLACK_USER = 'U0ALICE';
const HOOK_PATH = '/services/T0FAKE/B0FAKE/abcdefghijklmnop';

export async function startFakeSlack(): Promise<FakeSlack> {
  const channels = new Set([FAKE_SLACK_CHANNEL, 'C0NOTJOINED']);
  const memberOf = new Set([FAKE_SLACK_CHANNEL]);
  const users = new Set([FAKE_SLACK_USER]);
  const posted: SlackPost[] = [];
  const failures: string[] = [];
  let seq = 0;
  const nextTs = () => `1772355600.${String(++seq).padStart(6, '0')}`;

  const json = (value: unknown): ScriptedResponse => ({
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(value),
  });
  const slackError = (error: string) => json({ ok: false, error });

  const receiver: WebhookReceiver = await startWebhookReceiver({
    responder: (req) => {
      const body = req.json as Record<string, unknown> | undefined;
      if (req.path.startsWith('/services/')) {
        if (req.path !== HOOK_PATH) return { status: 404, body: 'no_service' };
        if (!body || (typeof body.text !== 'string' && !Array.isArray(body.blocks))) {
          return { status: 400, body: 'invalid_payload' };
        }
        posted.push(post('webhook', '#incidents', body, nextTs()));
        return { status: 200, headers: { 'content-type': 'text/html' }, body: 'ok' };
      }
      if (req.path === '/api/chat.postMessage') {
        const failure = failures.shift();
        if (failure) return slackError(failure);
        const auth = req.headers.authorization;
        if (!auth) return slackError('not_authed');
        if (auth !== `Bearer ${FAKE_SLACK_BOT_TOKEN}`) return slackError('invalid_auth');
        if (!body) return slackError('invalid_json');
        const channel = typeof body.channel === 'string' ? body.channel : '';
        let answered: string;
        if (users.has(channel)) answered = `D${channel.slice(1)}`;
        else if (!channels.has(channel)) return slackError('channel_not_found');
        else if (!memberOf.has(channel)) return slackError('not_in_channel');
        else answered = channel;
        if (typeof body.text !== 'string' && !Array.isArray(body.blocks)) return slackError('no_text');
        const ts = nextTs();
        posted.push(post('api', answered, body, ts));
        return json({ ok: true, channel: answered, ts, message: { type: 'message', text: body.text, ts } });
      }
      return { status: 404, body: 'not found' };
    },
  });

  return {
    origin: receiver.origin,
    apiBaseUrl: `${receiver.origin}/api`,
    webhookUrl: `${receiver.origin}${HOOK_PATH}`,
    botToken: FAKE_SLACK_BOT_TOKEN,
    channels,
    memberOf,
    users,
    requests: receiver.requests,
    posted,
    script: (...responses) => receiver.script(...responses),
    failNext: (error) => failures.push(error),
    close: () => receiver.close(),
  };
}

function post(via: SlackPost['via'], channel: string, body: Record<string, unknown>, ts: string): SlackPost {
  return {
    via,
    channel,
    text: typeof body.text === 'string' ? body.text : '',
    blocks: Array.isArray(body.blocks) ? (body.blocks as Record<string, unknown>[]) : [],
    ts,
  };
}

/**
 * The request Slack makes to the interactivity URL when someone clicks a button: a form body `payload=<JSON of a
 * block_actions interaction>` signed with the app's signing secret (`X-Slack-Signature`, v0).
 */
export function slackInteractionRequest(input: {
  signingSecret: string;
  actionId: string;
  value: string;
  userId?: string;
  userName?: string;
  nowSeconds: number;
  responseUrl?: string;
}): { body: string; headers: Record<string, string> } {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0FAKE', domain: 'fake' },
    user: { id: input.userId ?? FAKE_SLACK_USER, username: input.userName ?? 'alice', team_id: 'T0FAKE' },
    api_app_id: 'A0FAKE',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: '1772355600.000001', channel_id: FAKE_SLACK_CHANNEL },
    trigger_id: '123.456.abc',
    channel: { id: FAKE_SLACK_CHANNEL, name: 'incidents' },
    response_url: input.responseUrl ?? 'https://hooks.slack.com/actions/T0FAKE/1/xyz',
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: 'siaga_actions',
        value: input.value,
        text: { type: 'plain_text', text: 'Acknowledge' },
        action_ts: `${input.nowSeconds}.000100`,
      },
    ],
  };
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(input.nowSeconds),
      'x-slack-signature': signSlackRequest(input.signingSecret, input.nowSeconds, body),
    },
  };
}
