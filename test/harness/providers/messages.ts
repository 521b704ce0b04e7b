import { epochMs } from '../../../src/platform/clock.ts';
import type { HttpSender } from '../../../src/platform/net/outbound.ts';
import type {
  MessageIncident,
  OutboundMessage,
  SendContext,
} from '../../../src/response/channels/notifier.ts';

/** Messages as the dispatcher hands them to a notifier, for channel tests. */

export const NOW = epochMs(Date.parse('2026-03-01T09:00:00Z'));

export function testIncident(over: Partial<MessageIncident> = {}): MessageIncident {
  return {
    id: 'inc_01JTESTINCIDENT00000000000',
    number: 42,
    title: 'Checkout error rate above 5%',
    severity: 'critical',
    urgency: 'high',
    status: 'triggered',
    serviceName: 'payments',
    url: 'https://siaga.example.com/incidents/inc_01JTESTINCIDENT00000000000',
    openedAt: epochMs(NOW - 60_000),
    alertCount: 3,
    ...over,
  };
}

/** A triggered page with acknowledge and resolve actions. */
export function pageMessage(over: Partial<OutboundMessage> = {}): OutboundMessage {
  const incident = over.incident ?? testIncident();
  return {
    id: 'dlv_01JTESTDELIVERY0000000000',
    kind: 'page',
    event: 'triggered',
    subject: `#${incident.number} ${incident.title}`,
    text: `Service: ${incident.serviceName}\nSeverity: ${incident.severity}\n3 alerts firing.`,
    incident,
    actions: {
      acknowledge: { url: 'https://siaga.example.com/a/ack-token-1', token: 'ack-token-1' },
      resolve: { url: 'https://siaga.example.com/a/res-token-1', token: 'res-token-1' },
    },
    recipient: { userId: 'usr_1', name: 'Ana' },
    createdAt: NOW,
    ...over,
  };
}

/** The same incident, acknowledged or resolved: a status update without actions. */
export function statusMessage(
  event: 'acknowledged' | 'resolved',
  over: Partial<OutboundMessage> = {},
): OutboundMessage {
  const incident = testIncident({ status: event });
  const { actions: _actions, ...page } = pageMessage({ incident });
  return { ...page, id: `dlv_01JTEST${event.toUpperCase()}`, kind: 'status', event, ...over };
}

export function sendContext(http: HttpSender, over: Partial<SendContext> = {}): SendContext {
  return { http, signal: new AbortController().signal, timeoutMs: 5_000, now: NOW, ...over };
}
