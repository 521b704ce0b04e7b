import {
  actionLinks,
  bundleItems,
  bundleLine,
  DELIVERY_HEADER,
  escapeChatMarkdown,
  eventSymbol,
  httpUrl,
  incidentFacts,
  incidentLink,
  linkUrl,
  parseJsonObject,
  postJson,
  truncate,
  webhookUrlProblems,
} from './chat-format.ts';
import { outcomeFromHttp } from './http-outcome.ts';
import type { EpochMs } from '../../platform/clock.ts';
import type { OutboundResponse } from '../../platform/net/outbound.ts';
import type { Destination, DestinationProblem, Notifier, OutboundMessage, SendOutcome } from './notifier.ts';
import { CHANNEL_CAPABILITIES } from './capabilities.ts';

/**
 * Discord through a channel webhook (`POST /api/webhooks/{id}/{token}?wait=true`): one message with an embed,
 * acknowledge/resolve as markdown links. The webhook URL holds the token, so it lives in `secrets.webhookUrl`.
 */

export interface DiscordNotifierOptions {
  /** Overrides the webhook's own name for Siaga's messages. */
  readonly username?: string | undefined;
  /** Overrides the webhook's own avatar (an http(s) image URL). */
  readonly avatarUrl?: string | undefined;
}

/** `/api/webhooks/{id}/{token}`, optionally versioned (`/api/v10/webhooks/...`). */
const WEBHOOK_PATH = /\/webhooks\/\d+\/[^/]+\/?$/;

/** Discord's limits: content 2000, embed title 256, description 4096, field value 1024, 25 fields. */
const LIMITS = { content: 2000, title: 256, description: 4096, fieldValue: 1024 } as const;

const COLORS = {
  critical: 0xd32f2f,
  error: 0xf57c00,
  warning: 0xfbc02d,
  info: 0x1976d2,
  acknowledged: 0x757575,
  resolved: 0x388e3c,
} as const;

export function checkDiscordDestination(dest: Destination): DestinationProblem[] {
  return webhookUrlProblems(dest, 'Discord', WEBHOOK_PATH);
}

export function createDiscordNotifier(opts: DiscordNotifierOptions = {}): Notifier {
  return {
    kind: 'discord',
    capabilities: CHANNEL_CAPABILITIES.discord,
    secretKeys: ['webhookUrl'],
    check: checkDiscordDestination,
    async send(message, dest, ctx) {
      const url = httpUrl(dest.secrets.webhookUrl);
      if (!url)
        return { status: 'failed_permanent', reason: 'the Discord webhook URL is missing or not http(s)' };
      // `wait=true` makes Discord answer with the created message, so the message id can be recorded.
      url.searchParams.set('wait', 'true');
      const sent = await postJson(ctx, url.href, renderDiscordMessage(message, opts), {
        [DELIVERY_HEADER]: message.id,
      });
      return 'outcome' in sent ? sent.outcome : discordOutcome(sent.response, ctx.now);
    },
  };
}

/** Discord's 429 carries `retry_after` in seconds (fractional) in the JSON body, more precise than the header. */
function discordOutcome(res: OutboundResponse, now: EpochMs): SendOutcome {
  const body = parseJsonObject(res.body);
  if (res.status >= 200 && res.status < 300) {
    const id = body?.id;
    return typeof id === 'string' && id !== ''
      ? { status: 'sent', providerMessageId: id, statusCode: res.status }
      : { status: 'sent', statusCode: res.status };
  }
  const retryAfter = body?.retry_after;
  if (
    res.status === 429 &&
    typeof retryAfter === 'number' &&
    Number.isFinite(retryAfter) &&
    retryAfter >= 0
  ) {
    const scope = body?.global === true ? 'global' : 'webhook';
    return {
      status: 'failed_temporary',
      reason: `HTTP 429: Discord ${scope} rate limit`,
      retryAfterMs: Math.ceil(retryAfter * 1000),
      statusCode: 429,
    };
  }
  return outcomeFromHttp(res, now);
}

function colorOf(message: OutboundMessage): number {
  if (message.event === 'resolved') return COLORS.resolved;
  if (message.event === 'acknowledged') return COLORS.acknowledged;
  const severity = message.incident?.severity ?? message.bundle?.incidents[0]?.severity ?? 'info';
  return COLORS[severity];
}

/** The execute-webhook JSON body. Exported for tests of the rendering alone. */
export function renderDiscordMessage(
  message: OutboundMessage,
  opts: DiscordNotifierOptions = {},
): Record<string, unknown> {
  const lines: string[] = [];
  if (message.text.trim() !== '') lines.push(escapeChatMarkdown(message.text));
  const { items, more } = bundleItems(message, 10);
  for (const incident of items) {
    const url = linkUrl(incident.url);
    const line = escapeChatMarkdown(bundleLine(incident));
    lines.push(url ? `• [${line}](${url})` : `• ${line}`);
  }
  if (more > 0) lines.push(`… and ${more} more`);
  const links = actionLinks(message);
  if (links.length > 0) lines.push(links.map((l) => `**[${l.label}](${l.url})**`).join(' · '));

  const embed: Record<string, unknown> = {
    title: truncate(message.incident ? `Incident #${message.incident.number}` : 'Siaga', LIMITS.title),
    description: truncateLines(lines, LIMITS.description),
    color: colorOf(message),
    fields: message.incident
      ? incidentFacts(message.incident).map((f) => ({
          name: f.label,
          value: truncate(escapeChatMarkdown(f.value), LIMITS.fieldValue),
          inline: true,
        }))
      : [],
    footer: { text: 'Siaga' },
    timestamp: new Date(message.createdAt).toISOString(),
  };
  const link = incidentLink(message);
  if (link) embed.url = link.url;

  const body: Record<string, unknown> = {
    content: truncate(`${eventSymbol(message)} **${escapeChatMarkdown(message.subject)}**`, LIMITS.content),
    embeds: [embed],
    // Nobody is pinged by a page's text, whatever an alert's labels say.
    allowed_mentions: { parse: [] },
  };
  if (opts.username) body.username = truncate(opts.username, 80);
  const avatar = linkUrl(opts.avatarUrl);
  if (avatar) body.avatar_url = avatar;
  return body;
}

/**
 * Joins lines within `max` characters; the action links are the last line and matter most, so earlier lines are
 * cut first.
 */
function truncateLines(lines: readonly string[], max: number): string {
  const joined = lines.join('\n');
  if (joined.length <= max) return joined;
  const last = lines[lines.length - 1] ?? '';
  const head = lines.slice(0, -1).join('\n');
  // Cutting escaped markdown can leave a lone backslash; drop it so it does not escape the ellipsis.
  const room = Math.max(0, max - last.length - 2);
  return `${truncate(head, room).replace(/\\…$/, '…')}\n${last}`;
}
