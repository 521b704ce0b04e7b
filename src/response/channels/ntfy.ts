import {
  actionLinks,
  bundleItems,
  bundleLine,
  DELIVERY_HEADER,
  httpUrl,
  incidentFacts,
  incidentLink,
  parseJsonObject,
  postJson,
  truncate,
} from './chat-format.ts';
import { outcomeFromHttp } from './http-outcome.ts';
import type { EpochMs } from '../../platform/clock.ts';
import type { OutboundResponse } from '../../platform/net/outbound.ts';
import type { Destination, DestinationProblem, Notifier, OutboundMessage, SendOutcome } from './notifier.ts';
import { CHANNEL_CAPABILITIES } from './capabilities.ts';

/**
 * ntfy push notifications, published as JSON to the server's root (`POST {server}/` with `{topic, ...}`), which
 * answers with the stored message (`id`). A destination's address is a topic on the default server or a full
 * topic URL on another server; `secrets.token` is an access token for a protected topic.
 */

export interface NtfyNotifierOptions {
  /** The server for addresses that are a bare topic name. */
  readonly defaultServer?: string | undefined;
  /** An access token (`tk_...`) for the default server; never sent to any other server. */
  readonly token?: string | undefined;
}

const TOPIC = /^[-_A-Za-z0-9]{1,64}$/;
/** ntfy accepts ids of this shape as `sequence_id` (a later publish with the same id replaces the notification). */
const SEQUENCE_ID = /^[-_A-Za-z0-9]{1,64}$/;
/** ntfy turns a message over 4096 bytes into an attachment; stay under it even with multi-byte characters. */
const MAX_MESSAGE = 1300;
const MAX_TITLE = 250;

interface NtfyTarget {
  /** Server base URL without a trailing slash. */
  readonly server: string;
  readonly topic: string;
}

/** Where an address points: a bare topic on `defaultServer`, or the server and topic of a full topic URL. */
export function ntfyTarget(address: string, defaultServer: string): NtfyTarget | undefined {
  const raw = address.trim();
  if (TOPIC.test(raw)) {
    const server = httpUrl(defaultServer);
    return server ? { server: server.href.replace(/\/+$/, ''), topic: raw } : undefined;
  }
  const url = httpUrl(raw);
  if (!url || url.search !== '' || url.hash !== '') return undefined;
  const segments = url.pathname.replace(/\/+$/, '').split('/');
  const topic = segments.pop() ?? '';
  if (!TOPIC.test(topic)) return undefined;
  return { server: `${url.origin}${segments.join('/')}`, topic };
}

export function checkNtfyDestination(dest: Destination): DestinationProblem[] {
  const problems: DestinationProblem[] = [];
  const address = dest.address.trim();
  if (address === '') {
    problems.push({ pointer: '/address', detail: 'the ntfy topic is required' });
  } else if (!ntfyTarget(address, 'https://ntfy.sh')) {
    problems.push({
      pointer: '/address',
      detail:
        'must be a topic name (letters, digits, - and _, at most 64) or a topic URL such as https://ntfy.example.com/alerts',
    });
  }
  const token = dest.secrets.token;
  if (token !== undefined && (token.trim() === '' || /\s/.test(token.trim()))) {
    problems.push({ pointer: '/secrets/token', detail: 'must be an ntfy access token without spaces' });
  }
  return problems;
}

export function createNtfyNotifier(opts: NtfyNotifierOptions = {}): Notifier {
  const defaultServer = opts.defaultServer ?? 'https://ntfy.sh';
  const defaultOrigin = httpUrl(defaultServer)?.origin;
  return {
    kind: 'ntfy',
    capabilities: CHANNEL_CAPABILITIES.ntfy,
    secretKeys: ['token'],
    check: checkNtfyDestination,
    async send(message, dest, ctx) {
      const target = ntfyTarget(dest.address, defaultServer);
      if (!target) return { status: 'failed_permanent', reason: 'the ntfy topic or topic URL is not valid' };
      const headers: Record<string, string> = { [DELIVERY_HEADER]: message.id };
      // The operator's token belongs to the default server: a topic URL typed by a user must not receive it.
      const token =
        dest.secrets.token?.trim() ||
        (new URL(target.server).origin === defaultOrigin ? opts.token?.trim() : undefined);
      if (token) headers.authorization = `Bearer ${token}`;
      const sent = await postJson(
        ctx,
        `${target.server}/`,
        renderNtfyMessage(message, target.topic),
        headers,
      );
      return 'outcome' in sent ? sent.outcome : ntfyOutcome(sent.response, ctx.now);
    },
  };
}

function ntfyOutcome(res: OutboundResponse, now: EpochMs): SendOutcome {
  const outcome = outcomeFromHttp(res, now);
  if (outcome.status !== 'sent') return outcome;
  const id = parseJsonObject(res.body)?.id;
  return typeof id === 'string' && id !== '' ? { ...outcome, providerMessageId: id } : outcome;
}

/** Urgent pages get priority 5 (max: long vibration, pop-over); everything else the default 3. */
export function ntfyPriority(message: OutboundMessage): 3 | 5 {
  if (message.event !== 'triggered') return 3;
  const incidents = message.incident ? [message.incident] : (message.bundle?.incidents ?? []);
  return incidents.some((i) => i.urgency === 'high') ? 5 : 3;
}

/** Tags: ntfy shows those named like an emoji as the emoji, the others as text. */
function tagsOf(message: OutboundMessage): string[] {
  const tags: string[] = [];
  switch (message.event) {
    case 'triggered':
      tags.push('rotating_light');
      break;
    case 'acknowledged':
      tags.push('eyes');
      break;
    case 'resolved':
      tags.push('white_check_mark');
      break;
    case 'notice':
      tags.push('information_source');
      break;
  }
  const severity = message.incident?.severity;
  if (severity) tags.push(severity);
  return tags;
}

/** The JSON publish body. Plain text (no `markdown`), so labels need no escaping. Exported for tests. */
export function renderNtfyMessage(message: OutboundMessage, topic: string): Record<string, unknown> {
  const lines: string[] = [];
  const incident = message.incident;
  if (incident) {
    lines.push(
      [`#${incident.number}`, ...incidentFacts(incident).map((f) => `${f.label}: ${f.value}`)].join(' · '),
    );
  }
  if (message.text.trim() !== '') lines.push(message.text);
  const { items, more } = bundleItems(message, 10);
  for (const item of items) lines.push(`• ${bundleLine(item)}`);
  if (more > 0) lines.push(`… and ${more} more`);

  const body: Record<string, unknown> = {
    topic,
    title: truncate(message.subject, MAX_TITLE),
    message: truncate(lines.join('\n') || message.subject, MAX_MESSAGE),
    priority: ntfyPriority(message),
    tags: tagsOf(message),
  };
  const click = incidentLink(message);
  if (click) body.click = click.url;
  // `view` opens the signed link in the browser, which asks for nothing more; ntfy allows three actions.
  const actions = actionLinks(message).map((l) => ({
    action: 'view',
    label: l.label,
    url: l.url,
    clear: true,
  }));
  if (actions.length > 0) body.actions = actions;
  // ntfy 2.16+ replaces a notification published again with the same sequence id, so a re-send after an unknown
  // outcome updates the first copy instead of adding a second; older servers ignore the field.
  if (SEQUENCE_ID.test(message.id)) body.sequence_id = message.id;
  return body;
}
