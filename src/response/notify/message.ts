import { toIso } from '../../platform/clock.ts';
import type { DeliveriesTable, IncidentsTable } from '../../storage/schema.ts';
import type { MessageAction, MessageIncident, OutboundMessage } from '../channels/notifier.ts';

export type IncidentWithService = IncidentsTable & { readonly service_name: string };

export const incidentUrl = (publicUrl: string, id: string): string =>
  `${publicUrl.replace(/\/$/, '')}/detect/incidents/${encodeURIComponent(id)}`;

export function toMessageIncident(i: IncidentWithService, publicUrl: string): MessageIncident {
  return {
    id: i.id,
    number: i.number,
    title: i.title,
    severity: i.severity,
    urgency: i.urgency,
    status: i.status,
    serviceName: i.service_name,
    url: incidentUrl(publicUrl, i.id),
    openedAt: i.opened_at,
    alertCount: i.alert_count,
  };
}

export interface RenderInput {
  readonly delivery: DeliveriesTable;
  readonly publicUrl: string;
  readonly incident?: IncidentWithService | undefined;
  readonly recipient?: { readonly userId: string; readonly name: string } | undefined;
  /** Incidents a bundle stands for. */
  readonly bundle?: readonly IncidentWithService[] | undefined;
  /** Verification code (opened by the caller). */
  readonly code?: string | undefined;
  readonly actions?: { readonly acknowledge?: MessageAction; readonly resolve?: MessageAction } | undefined;
}

const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

function headline(i: MessageIncident, event: DeliveryEvent): string {
  switch (event) {
    case 'acknowledged':
      return `#${i.number} acknowledged: ${i.title}`;
    case 'resolved':
      return `#${i.number} resolved: ${i.title}`;
    case 'triggered':
    case 'notice':
      return `#${i.number} [${i.severity.toUpperCase()}] ${i.serviceName}: ${i.title}`;
  }
}

type DeliveryEvent = DeliveriesTable['event'];

/** Plain text for every channel; each notifier formats and escapes it for its own medium. */
export function renderMessage(input: RenderInput): OutboundMessage {
  const d = input.delivery;
  const base = {
    id: d.id,
    kind: d.kind,
    event: d.event,
    createdAt: d.created_at,
    ...(input.recipient ? { recipient: input.recipient } : {}),
  };
  if (d.kind === 'verification')
    return {
      ...base,
      subject: `Your Siaga verification code is ${input.code ?? '??????'}`,
      text: `Your Siaga verification code is ${input.code ?? '??????'}. It expires in 10 minutes. If you did not add this contact method, ignore this message.`,
    };
  const payload = JSON.parse(d.payload) as { text?: string; subject?: string };
  if (d.kind === 'test' || d.kind === 'handoff')
    return {
      ...base,
      subject: clip(payload.subject ?? 'Test page from Siaga', 150),
      text: payload.text ?? 'This is a test page from Siaga. Nothing is wrong; no action is needed.',
    };
  if (d.kind === 'bundle') {
    const incidents = (input.bundle ?? []).map((i) => toMessageIncident(i, input.publicUrl));
    const count = (JSON.parse(d.payload) as { members?: string[] }).members?.length ?? incidents.length;
    const lines = incidents.slice(0, 10).map((i) => `${headline(i, 'triggered')} (${i.status})`);
    if (incidents.length > 10) lines.push(`…and ${incidents.length - 10} more`);
    return {
      ...base,
      subject: `${count} notifications bundled: ${incidents.length} incident(s) need attention`,
      text: [
        `Siaga held back ${count} notifications to avoid flooding you. Incidents:`,
        ...lines,
        '',
        `${input.publicUrl.replace(/\/$/, '')}/detect/incidents`,
      ].join('\n'),
      bundle: { count, incidents },
    };
  }
  const i = input.incident ? toMessageIncident(input.incident, input.publicUrl) : undefined;
  if (!i)
    return {
      ...base,
      subject: 'Siaga notification',
      text: 'The incident of this notification no longer exists.',
    };
  const text = [
    headline(i, d.event),
    `Service: ${i.serviceName}`,
    `Severity: ${i.severity} · Urgency: ${i.urgency} · Status: ${i.status}`,
    `Opened: ${toIso(i.openedAt)} · Alerts: ${i.alertCount}`,
    i.url,
  ].join('\n');
  return {
    ...base,
    subject: clip(headline(i, d.event), 150),
    text,
    incident: i,
    ...(input.actions ? { actions: input.actions } : {}),
  };
}
