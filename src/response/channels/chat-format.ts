import type { OutboundRequest, OutboundResponse } from '../../platform/net/outbound.ts';
import { outcomeFromError } from './http-outcome.ts';
import type {
  Destination,
  DestinationProblem,
  MessageIncident,
  OutboundMessage,
  SendContext,
  SendOutcome,
} from './notifier.ts';

/**
 * What the chat and push channels (Teams, Discord, Mattermost, Telegram, ntfy) share: the facts and links a
 * message carries, URL checks, and the one POST they all make. Each channel escapes for its own format.
 */

/** Carries the delivery id to providers that have no field for it, so a duplicate can be traced in their logs. */
export const DELIVERY_HEADER = 'X-Siaga-Delivery';

export interface ChatFact {
  readonly label: string;
  readonly value: string;
}

export interface ChatLink {
  readonly label: string;
  readonly url: string;
}

/** The parsed URL when `raw` is an absolute http(s) URL without credentials, else undefined. */
export function httpUrl(raw: unknown): URL | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  return url;
}

/**
 * A URL safe to place inside a link in any of the formats: http(s) only (never `javascript:`), with the characters
 * that end a markdown link target or an HTML attribute percent-encoded.
 */
export function linkUrl(raw: string | undefined): string | undefined {
  const url = raw === undefined ? undefined : httpUrl(raw);
  if (!url) return undefined;
  return url.href.replace(
    /[()<>"' ]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** Problems with a webhook URL kept in `secrets.webhookUrl`; `path` optionally checks the provider's path shape. */
export function webhookUrlProblems(dest: Destination, provider: string, path?: RegExp): DestinationProblem[] {
  const pointer = '/secrets/webhookUrl';
  const raw = dest.secrets.webhookUrl;
  if (raw === undefined || raw.trim() === '') {
    return [{ pointer, detail: `the ${provider} webhook URL is required` }];
  }
  const url = httpUrl(raw);
  if (!url) return [{ pointer, detail: 'must be an http:// or https:// URL without user name or password' }];
  if (path && !path.test(url.pathname)) {
    return [{ pointer, detail: `does not look like a ${provider} webhook URL` }];
  }
  return [];
}

/** The incident's facts in display order (plain text; the caller escapes). */
export function incidentFacts(incident: MessageIncident): ChatFact[] {
  return [
    { label: 'Service', value: incident.serviceName },
    { label: 'Severity', value: incident.severity },
    { label: 'Urgency', value: incident.urgency },
    { label: 'Status', value: incident.status },
    { label: 'Alerts', value: String(incident.alertCount) },
  ];
}

/**
 * Acknowledge/resolve links travel only with a triggered message: on an acknowledged or resolved update they would
 * invite a click that no longer means anything.
 */
export function actionLinks(message: OutboundMessage): ChatLink[] {
  if (message.event !== 'triggered') return [];
  const links: ChatLink[] = [];
  const ack = linkUrl(message.actions?.acknowledge?.url);
  if (ack) links.push({ label: 'Acknowledge', url: ack });
  const resolve = linkUrl(message.actions?.resolve?.url);
  if (resolve) links.push({ label: 'Resolve', url: resolve });
  return links;
}

/** The link to the incident itself, when there is one incident. */
export function incidentLink(message: OutboundMessage): ChatLink | undefined {
  const url = linkUrl(message.incident?.url);
  return url && message.incident ? { label: `Incident #${message.incident.number}`, url } : undefined;
}

/** A bundled summary's incidents, at most `max` of them, plus how many were left out. */
export function bundleItems(
  message: OutboundMessage,
  max: number,
): { readonly items: readonly MessageIncident[]; readonly more: number } {
  const bundle = message.bundle;
  if (!bundle) return { items: [], more: 0 };
  const items = bundle.incidents.slice(0, max);
  return { items, more: Math.max(0, bundle.count - items.length) };
}

/** One line for a bundled incident, plain text: `#12 [critical] Disk full (checkout)`. */
export function bundleLine(incident: MessageIncident): string {
  return `#${incident.number} [${incident.severity}] ${incident.title} (${incident.serviceName})`;
}

/** A pictogram for the headline, so a page and its resolution look different at a glance. */
export function eventSymbol(message: OutboundMessage): string {
  switch (message.event) {
    case 'triggered':
      return '🚨';
    case 'acknowledged':
      return '👀';
    case 'resolved':
      return '✅';
    case 'notice':
      return 'ℹ️';
  }
}

/** Cuts `text` to at most `max` characters (code points kept whole), marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Neutralises mass and personal mentions (`@everyone`, `@here`, `@channel`, `@all`, `@someone`) by putting a
 * zero-width space after the `@`: the text reads the same and nobody is pinged by a label an alert sender chose.
 */
export function neutraliseMentions(text: string): string {
  return text.replace(/@(?=\S)/g, '@\u200b');
}

/**
 * Escapes text for Discord and Mattermost markdown: every ASCII punctuation character that has a meaning there
 * gets a backslash (both hide the backslash), so user text cannot make links, headings, code or formatting, and
 * mentions are neutralised.
 */
export function escapeChatMarkdown(text: string): string {
  return neutraliseMentions(text.replace(/[\\`*_~|<>[\]()#+\-.!:{}]/g, '\\$&'));
}

/** Parses a JSON object body; undefined when the body is not a JSON object. */
export function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * POSTs a JSON body through the outbound policy. Either the provider answered (any status), or the request got
 * no answer and the outcome is already classified.
 */
export async function postJson(
  ctx: SendContext,
  url: string,
  payload: unknown,
  headers: Readonly<Record<string, string>>,
): Promise<{ readonly response: OutboundResponse } | { readonly outcome: SendOutcome }> {
  const req: OutboundRequest = {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(payload),
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
  };
  try {
    return { response: await ctx.http.request(req) };
  } catch (err) {
    return { outcome: outcomeFromError(err) };
  }
}
