import { toIso } from '../../platform/clock.ts';
import type { OutboundResponse } from '../../platform/net/outbound.ts';
import { excerpt, outcomeFromError, outcomeFromHttp, parseRetryAfter } from './http-outcome.ts';
import type {
  Destination,
  DestinationProblem,
  MessageIncident,
  Notifier,
  OutboundMessage,
  SendContext,
  SendOutcome,
} from './notifier.ts';
import { SLACK_ACK_ACTION_ID, SLACK_RESOLVE_ACTION_ID } from './slack-interaction.ts';
import { httpUrlProblem } from './webhook.ts';
import { CHANNEL_CAPABILITIES } from './capabilities.ts';

/**
 * Slack, two ways. An incoming webhook (`secrets.webhookUrl`) posts into the one channel the webhook was made
 * for; it cannot carry working buttons unless the Slack app also has interactivity. A bot token (the
 * destination's `secrets.botToken`, or the provider-wide token given at construction) posts with
 * `chat.postMessage` to `config.channel`, or to the `address` (a user id: a direct message, `slack_dm`), with
 * Acknowledge/Resolve buttons whose clicks come back to `POST /api/v1/callbacks/slack`.
 *
 * Every text that came from users or alerts is escaped for Slack's mrkdwn, so a label holding `<!channel>` or
 * `@here` does not notify a whole channel (S-TPL-4).
 */

export const DEFAULT_SLACK_API_BASE_URL = 'https://slack.com/api';
export const SLACK_SECRET_KEYS = ['webhookUrl', 'botToken'] as const;

export interface SlackNotifierOptions {
  /** Web API base, for a proxy or a test server. Default `https://slack.com/api`. */
  readonly apiBaseUrl?: string;
  /** The installation's bot token (`xoxb-…`), used when a destination has none of its own. */
  readonly botToken?: string;
}

export interface SlackCheckOptions {
  /** A provider-wide bot token is configured, so a destination may omit its own. */
  readonly providerBotToken?: boolean;
}

/** Web API errors worth another try; every other `ok: false` is a setting to fix, not to retry. */
const TEMPORARY_ERRORS = new Set([
  'ratelimited',
  'rate_limited',
  'service_unavailable',
  'fatal_error',
  'internal_error',
  'request_timeout',
]);

const HINTS: Readonly<Record<string, string>> = {
  invalid_auth: 'the bot token is not valid',
  not_authed: 'no bot token was sent',
  token_revoked: 'the bot token was revoked',
  token_expired: 'the bot token expired',
  account_inactive: 'the bot user or workspace is deactivated',
  channel_not_found: 'no such channel, or the bot cannot see it (private channels need an invite)',
  not_in_channel: 'invite the bot to the channel first (/invite @<app name>)',
  is_archived: 'the channel is archived',
  missing_scope: 'the app lacks the chat:write scope',
  invalid_blocks: 'Slack refused the message layout',
  msg_too_long: 'the message is too long for Slack',
  invalid_payload: 'Slack refused the message body',
  no_service: 'the incoming webhook was removed or disabled',
  channel_is_archived: 'the channel is archived',
  action_prohibited: 'a workspace admin restricted posting to this channel',
  posting_to_general_channel_denied: 'only admins may post to this channel',
};

const SLACK_ID = /^[A-Z0-9]{2,}$/;
const CHANNEL_NAME = /^#?[a-z0-9][a-z0-9._-]{0,79}$/;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const TOKEN = /^\S{8,}$/;

const SECTION_LIMIT = 3000;
const HEADER_LIMIT = 150;
const BUNDLE_LINES = 10;

// ---- formatting ----

/**
 * Text for a mrkdwn field: `&`, `<`, `>` escaped as Slack asks, which disarms `<!channel>`, `<@U…>` and
 * `<http://…|disguised links>`; bare `@here`/`@channel`/`@everyone` get a zero-width space so they stay text even
 * where Slack would link names.
 */
export function escapeSlackText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(here|channel|everyone)\b/gi, '@\u200b$1');
}

/** Cuts escaped text to `max` characters without splitting an `&amp;`-style entity. */
function fit(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  let cut = escaped.slice(0, max - 1);
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  return `${cut}…`;
}

/** A URL inside `<url|label>`: the characters that would end or split the link are encoded. */
function linkUrl(url: string): string {
  return url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
}

const STATUS_LABEL: Record<MessageIncident['status'], string> = {
  triggered: 'Triggered',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};
const SEVERITY_LABEL: Record<MessageIncident['severity'], string> = {
  critical: 'Critical',
  error: 'Error',
  warning: 'Warning',
  info: 'Info',
};

type Text = { type: 'mrkdwn'; text: string } | { type: 'plain_text'; text: string; emoji?: boolean };
export type SlackBlock = Record<string, unknown> & { type: string };

const mrkdwn = (text: string): Text => ({ type: 'mrkdwn', text });

/** `<!date^…>` renders in each reader's own time zone; the fallback is the UTC instant. */
function slackDate(ms: number): string {
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${toIso(ms)}>`;
}

function incidentLine(i: MessageIncident): string {
  return `• <${linkUrl(i.url)}|#${i.number}> ${fit(escapeSlackText(i.title), 200)} (${STATUS_LABEL[i.status]})`;
}

/** Block Kit layout: header, incident fields, text, bundle, link, and buttons while there is something to do. */
export function slackBlocks(message: OutboundMessage): SlackBlock[] {
  const blocks: SlackBlock[] = [
    {
      type: 'header',
      // plain_text is never parsed for mentions or links, so the subject needs no escaping here.
      text: { type: 'plain_text', text: message.subject.slice(0, HEADER_LIMIT) || 'Siaga', emoji: true },
    },
  ];
  const incident = message.incident;
  if (incident) {
    blocks.push({
      type: 'section',
      fields: [
        mrkdwn(`*Service*\n${fit(escapeSlackText(incident.serviceName), 500)}`),
        mrkdwn(`*Severity*\n${SEVERITY_LABEL[incident.severity]}`),
        mrkdwn(`*Status*\n${STATUS_LABEL[incident.status]}`),
        mrkdwn(`*Opened*\n${slackDate(incident.openedAt)}`),
      ],
    });
  }
  if (message.text.trim() !== '') {
    blocks.push({ type: 'section', text: mrkdwn(fit(escapeSlackText(message.text), SECTION_LIMIT)) });
  }
  if (message.bundle && message.bundle.incidents.length > 0) {
    const shown = message.bundle.incidents.slice(0, BUNDLE_LINES).map(incidentLine);
    const more = message.bundle.count - shown.length;
    if (more > 0) shown.push(`…and ${more} more`);
    blocks.push({ type: 'section', text: mrkdwn(fit(shown.join('\n'), SECTION_LIMIT)) });
  }
  if (incident) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`<${linkUrl(incident.url)}|Open incident #${incident.number} in Siaga>`)],
    });
  }
  const buttons: Record<string, unknown>[] = [];
  const ack = message.actions?.acknowledge;
  const resolve = message.actions?.resolve;
  if (message.event === 'triggered' && ack) {
    buttons.push(button('Acknowledge', SLACK_ACK_ACTION_ID, ack.token, 'primary'));
  }
  if ((message.event === 'triggered' || message.event === 'acknowledged') && resolve) {
    buttons.push(button('Resolve', SLACK_RESOLVE_ACTION_ID, resolve.token));
  }
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'siaga_actions', elements: buttons });
  return blocks;
}

function button(label: string, actionId: string, value: string, style?: 'primary') {
  return {
    type: 'button',
    text: { type: 'plain_text', text: label },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

/** The top-level `text`: what notifications and screen readers show. mrkdwn, so escaped. */
export function slackFallbackText(message: OutboundMessage): string {
  return fit(escapeSlackText(message.subject), SECTION_LIMIT);
}

// ---- checks ----

export function checkSlackDestination(dest: Destination, opts: SlackCheckOptions = {}): DestinationProblem[] {
  const webhookUrl = dest.secrets.webhookUrl;
  if (webhookUrl !== undefined) {
    const problem = httpUrlProblem(webhookUrl);
    return problem ? [{ pointer: '/secrets/webhookUrl', detail: problem }] : [];
  }
  const problems: DestinationProblem[] = [];
  const channel = dest.config.channel;
  if (channel !== undefined) {
    if (typeof channel !== 'string' || !(SLACK_ID.test(channel) || CHANNEL_NAME.test(channel))) {
      problems.push({ pointer: '/config/channel', detail: 'a Slack channel id (C0123ABCD) or #name' });
    }
  } else if (!USER_ID.test(dest.address)) {
    problems.push({
      pointer: '/config/channel',
      detail:
        'give a channel (config.channel) and a bot token, or an incoming webhook URL (secrets.webhookUrl)',
    });
  }
  problems.push(...tokenProblems(dest, opts));
  return problems;
}

/** A `slack_dm` contact method: `address` is the person's Slack user id; the message goes through the bot. */
export function checkSlackDmDestination(
  dest: Destination,
  opts: SlackCheckOptions = {},
): DestinationProblem[] {
  const problems: DestinationProblem[] = [];
  if (!USER_ID.test(dest.address)) {
    problems.push({
      pointer: '/address',
      detail: 'a Slack user id, like U0123ABCD (profile → ⋮ → Copy member ID)',
    });
  }
  problems.push(...tokenProblems(dest, opts));
  return problems;
}

function tokenProblems(dest: Destination, opts: SlackCheckOptions): DestinationProblem[] {
  const token = dest.secrets.botToken;
  if (token === undefined) {
    return opts.providerBotToken
      ? []
      : [
          {
            pointer: '/secrets/botToken',
            detail: 'a bot token (xoxb-…) is required: none is configured for Siaga',
          },
        ];
  }
  return TOKEN.test(token) ? [] : [{ pointer: '/secrets/botToken', detail: 'not a Slack token' }];
}

// ---- sending ----

export function createSlackNotifier(opts: SlackNotifierOptions = {}): Notifier {
  const apiBaseUrl = (opts.apiBaseUrl ?? DEFAULT_SLACK_API_BASE_URL).replace(/\/+$/, '');
  const providerBotToken = opts.botToken !== undefined && opts.botToken !== '';
  return {
    kind: 'slack',
    capabilities: CHANNEL_CAPABILITIES.slack,
    secretKeys: SLACK_SECRET_KEYS,
    check: (dest) =>
      dest.config.channel === undefined && dest.secrets.webhookUrl === undefined && USER_ID.test(dest.address)
        ? checkSlackDmDestination(dest, { providerBotToken })
        : checkSlackDestination(dest, { providerBotToken }),
    async send(message, dest, ctx) {
      const body = { text: slackFallbackText(message), blocks: slackBlocks(message), unfurl_links: false };
      const webhookUrl = dest.secrets.webhookUrl;
      if (webhookUrl) return postIncomingWebhook(webhookUrl, body, ctx);
      const token = dest.secrets.botToken || opts.botToken;
      const channel = typeof dest.config.channel === 'string' ? dest.config.channel : dest.address;
      if (!token) return { status: 'failed_permanent', reason: 'no Slack bot token is configured' };
      if (!channel) return { status: 'failed_permanent', reason: 'no Slack channel or user id to post to' };
      return postMessage(`${apiBaseUrl}/chat.postMessage`, token, { channel, ...body }, ctx);
    },
  };
}

/** Incoming webhooks answer `200 ok`, or a 4xx/5xx whose body names the problem (`no_service`). */
async function postIncomingWebhook(url: string, body: object, ctx: SendContext): Promise<SendOutcome> {
  let res: OutboundResponse;
  try {
    res = await ctx.http.request({
      url,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'Siaga' },
      body: JSON.stringify(body),
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
    });
  } catch (err) {
    return outcomeFromError(err);
  }
  const outcome = outcomeFromHttp(res, ctx.now);
  if (outcome.status === 'sent') return outcome;
  const error = excerpt(res.body, 80);
  const hint = HINTS[error];
  return hint ? { ...outcome, reason: `Slack: ${error} (${hint})` } : outcome;
}

/** The Web API answers HTTP 200 with `{ok: false, error}` for most failures; 429 carries `Retry-After`. */
async function postMessage(url: string, token: string, body: object, ctx: SendContext): Promise<SendOutcome> {
  let res: OutboundResponse;
  try {
    res = await ctx.http.request({
      url,
      method: 'POST',
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        Authorization: `Bearer ${token}`,
        'User-Agent': 'Siaga',
      },
      body: JSON.stringify(body),
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
    });
  } catch (err) {
    return outcomeFromError(err);
  }
  if (res.status < 200 || res.status >= 300) return outcomeFromHttp(res, ctx.now);
  const answer = parseJson(res.body);
  if (!answer) {
    // A 2xx that is not the Web API's JSON (a proxy's page): the post may or may not exist.
    return {
      status: 'failed_temporary',
      reason: `Slack answered ${res.status} without a JSON body: ${excerpt(res.body, 80)}`,
      statusCode: res.status,
      maybeDelivered: true,
    };
  }
  if (answer.ok === true) {
    const channel = typeof answer.channel === 'string' ? answer.channel : '';
    const ts = typeof answer.ts === 'string' ? answer.ts : '';
    return {
      status: 'sent',
      statusCode: res.status,
      ...(ts ? { providerMessageId: `${channel}:${ts}` } : {}),
    };
  }
  const error = typeof answer.error === 'string' ? answer.error : 'unknown_error';
  const hint = HINTS[error];
  const reason = `Slack: ${excerpt(error, 80)}${hint ? ` (${hint})` : ''}`;
  if (TEMPORARY_ERRORS.has(error)) {
    const retryAfterMs = parseRetryAfter(res.headers['retry-after'], res.headers.date, ctx.now);
    return {
      status: 'failed_temporary',
      reason,
      statusCode: res.status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  return { status: 'failed_permanent', reason, statusCode: res.status };
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
