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
  postJson,
  truncate,
  webhookUrlProblems,
} from './chat-format.ts';
import { outcomeFromHttp } from './http-outcome.ts';
import type { Destination, DestinationProblem, Notifier, OutboundMessage } from './notifier.ts';
import { CHANNEL_CAPABILITIES } from './capabilities.ts';

/**
 * Microsoft Teams through a Workflows (Power Automate) webhook: the "Post to a channel when a webhook request is
 * received" flow takes `{type: 'message', attachments: [Adaptive Card]}` and answers 202 before it posts. The
 * workflow URL carries its signature (`sig=`), so it lives in `secrets.webhookUrl`.
 */

// The options object is the extension point every channel factory takes; Teams has no provider-wide setting.
export type TeamsNotifierOptions = Readonly<Record<never, never>>;

/** Adaptive Card 1.4 renders on Teams desktop, web and mobile. */
const CARD_VERSION = '1.4';
const MAX_TEXT = 4000;

export function checkTeamsDestination(dest: Destination): DestinationProblem[] {
  return webhookUrlProblems(dest, 'Teams workflow');
}

export function createTeamsNotifier(_opts: TeamsNotifierOptions = {}): Notifier {
  return {
    kind: 'teams',
    capabilities: CHANNEL_CAPABILITIES.teams,
    secretKeys: ['webhookUrl'],
    check: checkTeamsDestination,
    async send(message, dest, ctx) {
      const url = httpUrl(dest.secrets.webhookUrl);
      if (!url) {
        return { status: 'failed_permanent', reason: 'the Teams workflow URL is missing or not http(s)' };
      }
      const sent = await postJson(ctx, url.href, renderTeamsMessage(message), {
        [DELIVERY_HEADER]: message.id,
      });
      // 202 means the workflow accepted the run; a flow that fails later is visible only in Power Automate.
      return 'outcome' in sent ? sent.outcome : outcomeFromHttp(sent.response, ctx.now);
    },
  };
}

/**
 * Escapes text for an Adaptive Card TextBlock or FactSet, whose markdown subset knows emphasis, lists and links:
 * user text must not turn into a link or a list. Mentions need `msteams.entities`, so text alone cannot ping.
 */
export function escapeCardMarkdown(text: string): string {
  // Only what the card markdown knows: escaping other punctuation would show the backslash on some clients.
  return text
    .replace(/[\\*_[\]()]/g, '\\$&')
    .replace(/^(\s*)([-+])(?=\s)/gm, '$1\\$2')
    .replace(/^(\s*)(\d+)\.(?=\s)/gm, '$1$2\\.');
}

type CardColor = 'Attention' | 'Warning' | 'Good' | 'Accent' | 'Default';

function colorOf(message: OutboundMessage): CardColor {
  if (message.event === 'resolved') return 'Good';
  if (message.event === 'acknowledged') return 'Default';
  switch (message.incident?.severity ?? message.bundle?.incidents[0]?.severity) {
    case 'critical':
    case 'error':
      return 'Attention';
    case 'warning':
      return 'Warning';
    case 'info':
    case undefined:
      return 'Accent';
  }
}

/** The workflow webhook's JSON body. Exported for tests of the rendering alone. */
export function renderTeamsMessage(message: OutboundMessage): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      text: `${eventSymbol(message)} ${escapeCardMarkdown(message.subject)}`,
      weight: 'Bolder',
      size: 'Medium',
      color: colorOf(message),
      wrap: true,
    },
  ];
  if (message.incident) {
    body.push({
      type: 'FactSet',
      facts: [
        { title: 'Incident', value: `#${message.incident.number}` },
        ...incidentFacts(message.incident).map((f) => ({
          title: f.label,
          value: escapeCardMarkdown(f.value),
        })),
      ],
    });
  }
  if (message.text.trim() !== '') {
    body.push({ type: 'TextBlock', text: truncate(escapeCardMarkdown(message.text), MAX_TEXT), wrap: true });
  }
  const { items, more } = bundleItems(message, 15);
  for (const item of items) {
    const url = linkUrl(item.url);
    const line = escapeCardMarkdown(bundleLine(item));
    body.push({ type: 'TextBlock', text: url ? `[${line}](${url})` : line, wrap: true, spacing: 'Small' });
  }
  if (more > 0) body.push({ type: 'TextBlock', text: `… and ${more} more`, wrap: true, isSubtle: true });

  const actions = actionLinks(message).map((l) => ({ type: 'Action.OpenUrl', title: l.label, url: l.url }));
  const link = incidentLink(message);
  if (link) actions.push({ type: 'Action.OpenUrl', title: 'Open incident', url: link.url });

  const card: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: CARD_VERSION,
    msteams: { width: 'Full' },
    body,
  };
  if (actions.length > 0) card.actions = actions;
  return {
    type: 'message',
    attachments: [
      { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
    ],
  };
}
