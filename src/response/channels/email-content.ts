import { toIso } from '../../platform/clock.ts';
import type { MessageIncident, OutboundMessage } from './notifier.ts';

/**
 * The e-mail a message becomes: subject, plain text and HTML. Every piece of text that came from outside (titles,
 * service names, alert text) is HTML-escaped; links are http(s) only. No remote images or styles: mail clients
 * block them, and a tracking pixel is the last thing a pager should send.
 */
export interface EmailContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export function emailContent(message: OutboundMessage): EmailContent {
  return { subject: emailSubject(message), text: emailText(message), html: emailHtml(message) };
}

/** `[Siaga] #42 TRIGGERED Checkout error rate high`, or `[Siaga] <subject>` for messages about no one incident. */
export function emailSubject(message: OutboundMessage): string {
  const incident = single(message);
  const line = incident
    ? `#${incident.number} ${statusWord(message, incident)} ${oneLine(incident.title)}`
    : oneLine(message.subject);
  return `[Siaga] ${cut(line, 200)}`;
}

interface Link {
  readonly label: string;
  readonly url: string;
}

/** Acknowledge/resolve links belong to a triggered page only: on an update they would no longer mean anything. */
function actionLinks(message: OutboundMessage): Link[] {
  if (message.event !== 'triggered') return [];
  const links: Link[] = [];
  const ack = safeUrl(message.actions?.acknowledge?.url);
  if (ack) links.push({ label: 'Acknowledge', url: ack });
  const resolve = safeUrl(message.actions?.resolve?.url);
  if (resolve) links.push({ label: 'Resolve', url: resolve });
  return links;
}

function emailText(message: OutboundMessage): string {
  const lines: string[] = [];
  const incident = single(message);
  if (incident) {
    lines.push(`#${incident.number} ${statusWord(message, incident)}: ${oneLine(incident.title)}`);
    lines.push(
      facts(incident)
        .map(([k, v]) => `${k}: ${v}`)
        .join(' | '),
    );
    lines.push('');
  }
  lines.push(message.text.trim());
  if (message.bundle) {
    lines.push('');
    for (const item of message.bundle.incidents) {
      const url = safeUrl(item.url);
      lines.push(
        `- #${item.number} [${item.severity}] ${oneLine(item.title)} (${oneLine(item.serviceName)})${url ? ` ${url}` : ''}`,
      );
    }
    const more = message.bundle.count - message.bundle.incidents.length;
    if (more > 0) lines.push(`...and ${more} more`);
  }
  const links = actionLinks(message);
  const incidentUrl = safeUrl(incident?.url);
  if (links.length > 0 || incidentUrl) lines.push('');
  for (const link of links) lines.push(`${link.label}: ${link.url}`);
  if (incident && incidentUrl) lines.push(`Open incident #${incident.number}: ${incidentUrl}`);
  lines.push('', '-- ', `Siaga - delivery ${message.id}`);
  return `${lines.join('\n')}\n`;
}

const COLORS = { critical: '#c92a2a', error: '#e8590c', warning: '#f08c00', info: '#1971c2' } as const;

function accent(message: OutboundMessage, incident: MessageIncident | undefined): string {
  if (message.event === 'resolved') return '#2f9e44';
  if (message.event === 'acknowledged') return '#5c7cfa';
  return incident ? COLORS[incident.severity] : '#495057';
}

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

function emailHtml(message: OutboundMessage): string {
  const incident = single(message);
  const color = accent(message, incident);
  const parts: string[] = [];
  if (incident) {
    parts.push(
      `<p style="margin:0 0 8px;font-size:12px;font-weight:bold;letter-spacing:1px;color:${color}">${esc(statusWord(message, incident))}</p>`,
      `<h1 style="margin:0 0 12px;font-size:20px;line-height:1.3">#${incident.number} ${esc(oneLine(incident.title))}</h1>`,
      `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:0 0 16px;font-size:14px">${facts(
        incident,
      )
        .map(
          ([k, v]) =>
            `<tr><td style="padding:2px 16px 2px 0;color:#666">${esc(k)}</td><td style="padding:2px 0">${esc(v)}</td></tr>`,
        )
        .join('')}</table>`,
    );
  } else {
    parts.push(
      `<h1 style="margin:0 0 12px;font-size:20px;line-height:1.3">${esc(oneLine(message.subject))}</h1>`,
    );
  }
  const text = message.text.trim();
  if (text !== '') {
    parts.push(
      `<p style="margin:0 0 16px;font-size:14px;line-height:1.5">${esc(text).replace(/\r?\n/g, '<br>')}</p>`,
    );
  }
  if (message.bundle) parts.push(bundleHtml(message.bundle));
  const links = actionLinks(message);
  if (links.length > 0) {
    parts.push(
      `<p style="margin:0 0 16px">${links
        .map(
          (l) =>
            `<a href="${esc(l.url)}" style="display:inline-block;margin:0 8px 8px 0;padding:10px 18px;border-radius:4px;background:${l.label === 'Resolve' ? '#2f9e44' : color};color:#ffffff;font-weight:bold;text-decoration:none">${esc(l.label)}</a>`,
        )
        .join('')}</p>`,
    );
  }
  const incidentUrl = safeUrl(incident?.url);
  if (incident && incidentUrl) {
    parts.push(
      `<p style="margin:0 0 16px;font-size:14px"><a href="${esc(incidentUrl)}" style="color:#1971c2">Open incident #${incident.number} in Siaga</a></p>`,
    );
  }
  parts.push(
    `<p style="margin:24px 0 0;font-size:12px;color:#868e96">Siaga &middot; delivery ${esc(message.id)}</p>`,
  );
  return (
    '<!DOCTYPE html><html><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<title>${esc(emailSubject(message))}</title></head>` +
    `<body style="margin:0;padding:16px;background:#f1f3f5;color:#212529;${FONT}">` +
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">' +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-top:4px solid ${color}">` +
    `<tr><td style="padding:24px">${parts.join('')}</td></tr></table>` +
    '</td></tr></table></body></html>'
  );
}

function bundleHtml(bundle: NonNullable<OutboundMessage['bundle']>): string {
  const items = bundle.incidents.map((item) => {
    const url = safeUrl(item.url);
    const label = `#${item.number} ${esc(oneLine(item.title))}`;
    const title = url ? `<a href="${esc(url)}" style="color:#1971c2">${label}</a>` : label;
    return `<li style="margin:0 0 4px">${title} <span style="color:#666">[${esc(item.severity)}] ${esc(oneLine(item.serviceName))}</span></li>`;
  });
  const more = bundle.count - bundle.incidents.length;
  if (more > 0) items.push(`<li style="margin:0 0 4px;color:#666">and ${more} more</li>`);
  return `<ul style="margin:0 0 16px;padding-left:20px;font-size:14px">${items.join('')}</ul>`;
}

/** The one incident the message is about; a bundle is about several, so none. */
function single(message: OutboundMessage): MessageIncident | undefined {
  return message.kind === 'bundle' ? undefined : message.incident;
}

function statusWord(message: OutboundMessage, incident: MessageIncident): string {
  return message.event === 'notice' ? incident.status.toUpperCase() : message.event.toUpperCase();
}

function facts(incident: MessageIncident): [string, string][] {
  return [
    ['Service', oneLine(incident.serviceName)],
    ['Severity', incident.severity],
    ['Urgency', incident.urgency],
    ['Status', incident.status],
    ['Alerts', String(incident.alertCount)],
    [
      'Opened',
      toIso(incident.openedAt)
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC'),
    ],
  ];
}

/** An absolute http(s) URL without credentials, as the URL parser writes it; undefined for anything else. */
function safeUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.username !== '' || url.password !== '') return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
const esc = escapeHtml;

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
