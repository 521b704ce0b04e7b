import {
  actionLinks,
  bundleItems,
  bundleLine,
  DELIVERY_HEADER,
  eventSymbol,
  httpUrl,
  incidentFacts,
  incidentLink,
  linkUrl,
  parseJsonObject,
  postJson,
  truncate,
} from './chat-format.ts';
import { excerpt, outcomeFromHttp, parseRetryAfter } from './http-outcome.ts';
import type { EpochMs } from '../../platform/clock.ts';
import type { OutboundResponse } from '../../platform/net/outbound.ts';
import type { Destination, DestinationProblem, Notifier, OutboundMessage, SendOutcome } from './notifier.ts';
import { CHANNEL_CAPABILITIES } from './capabilities.ts';

/**
 * Telegram through the Bot API (`POST {apiBaseUrl}/bot<token>/sendMessage`): HTML text and an inline keyboard of
 * URL buttons for acknowledge, resolve and the incident. The bot token is provider-wide; a destination's address
 * is the chat id (a number, negative for groups) or a public channel's `@username`.
 */

export interface TelegramNotifierOptions {
  /** The Bot API server; a self-hosted `telegram-bot-api` or a test fake. */
  readonly apiBaseUrl?: string | undefined;
  /** From @BotFather: `123456:ABC-DEF...` (`notify.telegram.botToken`); unset means Telegram is off. */
  readonly botToken: string | undefined;
}

const BOT_TOKEN = /^[A-Za-z0-9:_-]+$/;
const CHAT_ID = /^-?\d{1,20}$/;
const CHANNEL_USERNAME = /^@[A-Za-z][A-Za-z0-9_]{3,31}$/;
/** Telegram's limit for a message's text after entity parsing; the markup adds some, so leave room. */
const MAX_TEXT = 3800;

export function checkTelegramDestination(dest: Destination): DestinationProblem[] {
  const chat = dest.address.trim();
  if (chat === '') return [{ pointer: '/address', detail: 'the Telegram chat id is required' }];
  if (!CHAT_ID.test(chat) && !CHANNEL_USERNAME.test(chat)) {
    return [
      {
        pointer: '/address',
        detail:
          'must be a numeric chat id (negative for groups, -100… for supergroups) or a channel @username',
      },
    ];
  }
  return [];
}

export function createTelegramNotifier(opts: TelegramNotifierOptions): Notifier {
  const base = (opts.apiBaseUrl ?? 'https://api.telegram.org').replace(/\/+$/, '');
  return {
    kind: 'telegram',
    capabilities: CHANNEL_CAPABILITIES.telegram,
    secretKeys: [],
    check(dest) {
      const problems = checkTelegramDestination(dest);
      if (!BOT_TOKEN.test(opts.botToken?.trim() ?? '')) {
        problems.push({
          pointer: '/kind',
          detail: 'Telegram is not set up on this server (notify.telegram.botToken)',
        });
      }
      return problems;
    },
    async send(message, dest, ctx) {
      const token = opts.botToken?.trim() ?? '';
      // The token goes into the path as BotFather wrote it (`123:ABC-_`); anything else would change the URL.
      if (!BOT_TOKEN.test(token)) {
        return {
          status: 'failed_permanent',
          reason: 'no Telegram bot token is configured, or it is malformed',
        };
      }
      const url = httpUrl(`${base}/bot${token}/sendMessage`);
      if (!url) return { status: 'failed_permanent', reason: 'the Telegram API base URL is not http(s)' };
      if (checkTelegramDestination(dest).length > 0) {
        return { status: 'failed_permanent', reason: 'the Telegram chat id is not valid' };
      }
      const sent = await postJson(ctx, url.href, renderTelegramMessage(message, dest.address.trim()), {
        [DELIVERY_HEADER]: message.id,
      });
      return 'outcome' in sent ? sent.outcome : telegramOutcome(sent.response, ctx.now);
    },
  };
}

/**
 * The Bot API answers `{ok, result}` or `{ok: false, error_code, description, parameters}`. Flood control (429) says
 * how long to wait in `parameters.retry_after` (seconds); a group upgraded to a supergroup names its new id; a
 * missing chat or a bot that was blocked or removed will not get better by retrying.
 */
function telegramOutcome(res: OutboundResponse, now: EpochMs): SendOutcome {
  const body = parseJsonObject(res.body);
  if (!body || typeof body.ok !== 'boolean') return outcomeFromHttp(res, now);
  if (body.ok) {
    const result = body.result as { message_id?: unknown } | undefined;
    const id = result?.message_id;
    return typeof id === 'number' || typeof id === 'string'
      ? { status: 'sent', providerMessageId: String(id), statusCode: res.status }
      : { status: 'sent', statusCode: res.status };
  }
  const code = typeof body.error_code === 'number' ? body.error_code : res.status;
  const description = typeof body.description === 'string' ? excerpt(body.description) : `HTTP ${code}`;
  const parameters = (body.parameters ?? {}) as { retry_after?: unknown; migrate_to_chat_id?: unknown };
  const retryAfter = parameters.retry_after;
  if (code === 429 || typeof retryAfter === 'number') {
    const retryAfterMs =
      typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0
        ? retryAfter * 1000
        : parseRetryAfter(res.headers['retry-after'], res.headers.date, now);
    return {
      status: 'failed_temporary',
      reason: description,
      statusCode: code,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  const next = parameters.migrate_to_chat_id;
  if (typeof next === 'number' || typeof next === 'string') {
    return {
      status: 'failed_permanent',
      reason: `the group became a supergroup; change the chat id to ${next}`,
      statusCode: code,
    };
  }
  if (code >= 500 || code === 408 || code === 425)
    return { status: 'failed_temporary', reason: description, statusCode: code };
  return { status: 'failed_permanent', reason: description, statusCode: code };
}

/** Escapes text for Telegram's HTML parse mode (`&`, `<`, `>`, and `"` for attribute values). */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

/** The sendMessage JSON body. Exported for tests of the rendering alone. */
export function renderTelegramMessage(message: OutboundMessage, chatId: string): Record<string, unknown> {
  const lines = [`${eventSymbol(message)} <b>${escapeTelegramHtml(message.subject)}</b>`];
  const incident = message.incident;
  if (incident) {
    const link = incidentLink(message);
    const label = `Incident #${incident.number}`;
    lines.push(link ? `<a href="${link.url}">${label}</a>` : label);
    for (const f of incidentFacts(incident)) lines.push(`<b>${f.label}:</b> ${escapeTelegramHtml(f.value)}`);
  }
  if (message.text.trim() !== '') lines.push('', escapeTelegramHtml(message.text));
  const { items, more } = bundleItems(message, 20);
  if (items.length > 0) lines.push('');
  for (const item of items) {
    const url = linkUrl(item.url);
    const line = escapeTelegramHtml(bundleLine(item));
    lines.push(url ? `• <a href="${url}">${line}</a>` : `• ${line}`);
  }
  if (more > 0) lines.push(`… and ${more} more`);

  const buttons = actionLinks(message).map((l) => ({ text: l.label, url: l.url }));
  const link = incidentLink(message);
  const keyboard = [buttons, link ? [{ text: 'Open incident', url: link.url }] : []].filter(
    (r) => r.length > 0,
  );

  const body: Record<string, unknown> = {
    chat_id: chatId,
    text: cutHtml(lines.join('\n'), MAX_TEXT),
    parse_mode: 'HTML',
    link_preview_options: { is_disabled: true },
    // A page rings; acknowledged/resolved updates arrive quietly.
    disable_notification: message.event === 'acknowledged' || message.event === 'resolved',
  };
  if (keyboard.length > 0) body.reply_markup = { inline_keyboard: keyboard };
  return body;
}

/**
 * Cuts HTML-mode text at a line boundary so no tag or entity is split (Telegram rejects the whole message for
 * one broken tag); a single overlong line loses its markup and is cut as escaped text.
 */
function cutHtml(html: string, max: number): string {
  if (html.length <= max) return html;
  const kept: string[] = [];
  let size = 0;
  for (const line of html.split('\n')) {
    if (size + line.length + 1 > max - 2) break;
    kept.push(line);
    size += line.length + 1;
  }
  if (kept.length === 0) {
    const plain = (html.split('\n')[0] ?? '').replace(/<[^>]*>/g, '');
    return escapeTelegramHtml(truncate(unescapeHtml(plain), Math.floor(max / 6)));
  }
  return `${kept.join('\n')}\n…`;
}

function unescapeHtml(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot);/g,
    (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"' })[e] ?? '',
  );
}
