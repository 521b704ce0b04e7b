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
  postJson,
  truncate,
  webhookUrlProblems,
} from './chat-format.ts';
import { outcomeFromHttp } from './http-outcome.ts';
import type { Destination, DestinationProblem, Notifier, OutboundMessage } from './notifier.ts';
import { CHANNEL_CAPABILITIES } from './capabilities.ts';

/**
 * Mattermost through an incoming webhook (`POST {server}/hooks/{key}`, answers `200 ok`): one markdown post with
 * acknowledge/resolve links. The hook URL is the credential, so it lives in `secrets.webhookUrl`.
 */

export interface MattermostNotifierOptions {
  /** Posts under this name (only when the server allows webhooks to override it). */
  readonly username?: string | undefined;
  /** Posts with this profile picture (an http(s) image URL; same server setting). */
  readonly iconUrl?: string | undefined;
}

const HOOK_PATH = /\/hooks\/[A-Za-z0-9]+\/?$/;

/** Mattermost's default post size limit is 16383 characters; stay well inside it. */
const MAX_TEXT = 12_000;

export function checkMattermostDestination(dest: Destination): DestinationProblem[] {
  return webhookUrlProblems(dest, 'Mattermost', HOOK_PATH);
}

export function createMattermostNotifier(opts: MattermostNotifierOptions = {}): Notifier {
  return {
    kind: 'mattermost',
    capabilities: CHANNEL_CAPABILITIES.mattermost,
    secretKeys: ['webhookUrl'],
    check: checkMattermostDestination,
    async send(message, dest, ctx) {
      const url = httpUrl(dest.secrets.webhookUrl);
      if (!url) {
        return { status: 'failed_permanent', reason: 'the Mattermost webhook URL is missing or not http(s)' };
      }
      const sent = await postJson(ctx, url.href, renderMattermostMessage(message, opts), {
        [DELIVERY_HEADER]: message.id,
      });
      // Mattermost answers `ok` and no post id, so there is nothing to record beyond success.
      return 'outcome' in sent ? sent.outcome : outcomeFromHttp(sent.response, ctx.now);
    },
  };
}

/** The incoming-webhook JSON body. Exported for tests of the rendering alone. */
export function renderMattermostMessage(
  message: OutboundMessage,
  opts: MattermostNotifierOptions = {},
): Record<string, unknown> {
  const lines = [`#### ${eventSymbol(message)} ${escapeChatMarkdown(message.subject)}`];
  const incident = message.incident;
  if (incident) {
    const link = incidentLink(message);
    const facts = incidentFacts(incident).map((f) => `**${f.label}:** ${escapeChatMarkdown(f.value)}`);
    if (link) facts.unshift(`[${link.label}](${link.url})`);
    lines.push(facts.join(' · '));
  }
  if (message.text.trim() !== '') lines.push('', escapeChatMarkdown(message.text));
  const { items, more } = bundleItems(message, 20);
  if (items.length > 0) lines.push('');
  for (const item of items) {
    const url = linkUrl(item.url);
    const line = escapeChatMarkdown(bundleLine(item));
    lines.push(url ? `- [${line}](${url})` : `- ${line}`);
  }
  if (more > 0) lines.push(`- … and ${more} more`);
  const links = actionLinks(message);
  // The links go last and are never cut: they are what the reader acts on.
  const tail = links.length > 0 ? `\n\n${links.map((l) => `**[${l.label}](${l.url})**`).join(' · ')}` : '';
  const head = lines.join('\n');
  const text = head.length + tail.length <= MAX_TEXT ? head : truncate(head, MAX_TEXT - tail.length);

  const body: Record<string, unknown> = { text: `${text.replace(/\\…$/, '…')}${tail}` };
  if (opts.username) body.username = opts.username;
  const icon = linkUrl(opts.iconUrl);
  if (icon) body.icon_url = icon;
  return body;
}
