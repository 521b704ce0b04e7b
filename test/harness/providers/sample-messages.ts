import type {
  Destination,
  MessageIncident,
  OutboundMessage,
  SendContext,
} from '../../../src/response/channels/notifier.ts';
import type { ChannelKind } from '../../../src/storage/schema.ts';
import { epochMs } from '../../../src/platform/clock.ts';
import { createHttpSender } from '../../../src/platform/net/http-sender.ts';

/** Text an alert sender controls, written to break every chat format at once. */
export const HOSTILE =
  '@everyone @here @channel @all **bold** _it_ [click](http://evil.example/x) <b>x</b> </a> & `code` # head';

export const INCIDENT: MessageIncident = {
  id: 'inc_0000000042',
  number: 42,
  title: 'Checkout latency above 2s',
  severity: 'critical',
  urgency: 'high',
  status: 'triggered',
  serviceName: 'checkout-api',
  url: 'https://siaga.example.com/incidents/inc_0000000042',
  openedAt: epochMs(1_767_225_600_000),
  alertCount: 3,
};

export const ACK_URL = 'https://siaga.example.com/a/ack?t=tok-ack_123';
export const RESOLVE_URL = 'https://siaga.example.com/a/resolve?t=tok-res_456';

/** A high-urgency page with acknowledge/resolve links. */
export function triggeredPage(over: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: 'dlv_01JFAKE0000000000000000001',
    kind: 'page',
    event: 'triggered',
    subject: '[critical] Checkout latency above 2s (checkout-api)',
    text: 'Incident #42 is open.\np99 latency is 2.4s.',
    incident: INCIDENT,
    actions: {
      acknowledge: { url: ACK_URL, token: 'tok-ack_123' },
      resolve: { url: RESOLVE_URL, token: 'tok-res_456' },
    },
    createdAt: epochMs(1_767_225_660_000),
    ...over,
  };
}

/** The status update once the incident is resolved (links would be stale, but a sender may still pass them). */
export function resolvedUpdate(): OutboundMessage {
  return triggeredPage({
    id: 'dlv_01JFAKE0000000000000000002',
    kind: 'status',
    event: 'resolved',
    subject: 'Resolved: Checkout latency above 2s (checkout-api)',
    text: 'Incident #42 was resolved by Ana.',
    incident: { ...INCIDENT, status: 'resolved' },
  });
}

/** A page whose labels were written by someone hostile. */
export function hostilePage(): OutboundMessage {
  return triggeredPage({
    subject: `[critical] ${HOSTILE}`,
    text: HOSTILE,
    incident: { ...INCIDENT, title: HOSTILE, serviceName: HOSTILE },
  });
}

export function destination(kind: ChannelKind, over: Partial<Destination> = {}): Destination {
  return { kind, address: '', config: {}, secrets: {}, ...over };
}

/** The real outbound sender, with loopback allowed because the fake providers live there. */
const http = createHttpSender({ allowPrivate: false, allow: ['127.0.0.1'] });

export function sendContext(over: Partial<SendContext> = {}): SendContext {
  return {
    http,
    signal: new AbortController().signal,
    timeoutMs: 5_000,
    now: epochMs(1_767_225_660_000),
    ...over,
  };
}

/** A bundled summary: 12 incidents stand behind one message, three of them listed. */
export function bundleSummary(): OutboundMessage {
  const incidents = [42, 43, 44].map((n) => ({
    ...INCIDENT,
    id: `inc_00000000${n}`,
    number: n,
    title: `Disk almost full on db-${n}`,
    severity: 'warning' as const,
    url: `https://siaga.example.com/incidents/inc_00000000${n}`,
  }));
  return {
    id: 'dlv_01JFAKE0000000000000000003',
    kind: 'bundle',
    event: 'triggered',
    subject: '12 incidents need attention',
    text: '12 incidents were opened in the last minute.',
    bundle: { count: 12, incidents },
    createdAt: epochMs(1_767_225_720_000),
  };
}
