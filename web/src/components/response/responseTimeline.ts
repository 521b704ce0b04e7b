import type { TimelineEntry } from '../../api/alerting.ts';
import { CHANNEL_KIND_LABELS, type ChannelKind } from '../../api/response.ts';

/**
 * The Respond stage's entries on an incident's timeline (`escalation.*` from the escalation engine,
 * `notification.*` from the delivery log): how they read, and which of them are warnings a responder must see.
 */

const LABELS: Record<string, string> = {
  'escalation.started': 'Escalation started',
  'escalation.step_started': 'Escalation step paged',
  'escalation.no_one_on_call': 'Nobody to page at this step',
  'escalation.unreachable': 'Someone cannot be reached',
  'escalation.exhausted': 'Escalation ran out',
  'escalation.stopped': 'Escalation stopped',
  'escalation.no_policy': 'No escalation policy',
  'notification.sent': 'Notification sent',
  'notification.failed': 'Notification failed',
  'notification.unknown': 'Notification outcome unknown',
  'notification.suppressed': 'Notification held back',
  'notification.bundled': 'Notification bundled',
};

export const responseLabel = (type: string): string | undefined => LABELS[type];

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const names = (value: unknown): string[] =>
  Array.isArray(value)
    ? value
        .map((item: unknown) =>
          typeof item === 'object' && item !== null
            ? text((item as Record<string, unknown>)['name'])
            : undefined,
        )
        .filter((name): name is string => name !== undefined)
    : [];

const channelLabel = (value: unknown): string | undefined => {
  const kind = text(value);
  return kind === undefined ? undefined : (CHANNEL_KIND_LABELS[kind as ChannelKind] ?? kind);
};

const notes = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string' && n !== '') : [];

/** One line for a Respond entry; undefined for entries of other stages. */
export function describeResponseData(entry: TimelineEntry): string | undefined {
  const d = entry.data;
  const step = typeof d['step'] === 'number' ? `Step ${d['step']}` : undefined;
  const round = typeof d['round'] === 'number' && d['round'] > 1 ? `round ${d['round']}` : undefined;
  const where = [step, round].filter(Boolean).join(', ');
  switch (entry.type) {
    case 'escalation.started':
      return d['restarted'] === true
        ? 'Restarted from the first step'
        : [
            text(d['policy']) && `Policy “${text(d['policy'])}”`,
            typeof d['version'] === 'number' && `version ${d['version']}`,
          ]
            .filter(Boolean)
            .join(', ');
    case 'escalation.step_started': {
      const paged = [...names(d['people']), ...names(d['channels'])];
      return [where, paged.length > 0 ? `paged ${paged.join(', ')}` : undefined, ...notes(d['notes'])]
        .filter(Boolean)
        .join(' · ');
    }
    case 'escalation.no_one_on_call':
    case 'escalation.unreachable':
    case 'escalation.exhausted':
    case 'escalation.no_policy':
      return [text(d['warning']), ...notes(d['notes'])].filter(Boolean).join(' · ');
    case 'escalation.stopped':
      // "incident acknowledged" → "The incident was acknowledged".
      return text(d['reason'])
        ? `The incident was ${text(d['reason'])?.replace(/^incident /, '') ?? ''}`
        : undefined;
    case 'notification.sent':
    case 'notification.failed':
    case 'notification.unknown': {
      const parts = [
        [text(d['event']), text(d['kind'])].filter(Boolean).join(' '),
        [channelLabel(d['channel']), text(d['to']) && `to ${text(d['to'])}`].filter(Boolean).join(' '),
        typeof d['attempt'] === 'number' && d['attempt'] > 1 ? `attempt ${d['attempt']}` : undefined,
        text(d['reason']) ?? text(d['warning']),
        entry.type === 'notification.failed'
          ? d['final'] === true
            ? 'no more retries'
            : 'will retry'
          : undefined,
      ];
      return parts.filter(Boolean).join(' · ');
    }
    case 'notification.suppressed':
    case 'notification.bundled':
      return [channelLabel(d['channel']), text(d['reason'])].filter(Boolean).join(' · ');
    default:
      return undefined;
  }
}

export type WarningLevel = 'red' | 'yellow';

/** Entries a responder must notice: nobody was or will be paged, or a page did not arrive. */
export function warningLevel(entry: TimelineEntry): WarningLevel | undefined {
  switch (entry.type) {
    case 'escalation.no_policy':
    case 'escalation.exhausted':
      return 'red';
    case 'notification.failed':
      return entry.data['final'] === true ? 'red' : undefined;
    case 'escalation.no_one_on_call':
    case 'escalation.unreachable':
    case 'notification.unknown':
      return 'yellow';
    default:
      return undefined;
  }
}

export interface EscalationWarning {
  level: WarningLevel;
  title: string;
  message: string;
  /** The latest time it happened. */
  at: string;
  count: number;
}

/** The warnings of a timeline, the same message counted once, red first, then newest first. */
export function escalationWarnings(entries: readonly TimelineEntry[]): EscalationWarning[] {
  const byKey = new Map<string, EscalationWarning>();
  for (const entry of entries) {
    const level = warningLevel(entry);
    if (level === undefined) continue;
    const title = responseLabel(entry.type) ?? entry.type;
    const message = describeResponseData(entry) ?? '';
    const key = `${entry.type}\u0000${message}`;
    const seen = byKey.get(key);
    if (seen) {
      seen.count++;
      if (entry.at > seen.at) seen.at = entry.at;
    } else byKey.set(key, { level, title, message, at: entry.at, count: 1 });
  }
  return [...byKey.values()].sort((a, b) =>
    a.level === b.level ? b.at.localeCompare(a.at) : a.level === 'red' ? -1 : 1,
  );
}

export interface EscalationState {
  policy: string | undefined;
  /** What it is doing now, in words. */
  status: string;
  color: string;
}

/** Where the incident's escalation stands, from its latest `escalation.*` entries; undefined before any. */
export function escalationState(entries: readonly TimelineEntry[]): EscalationState | undefined {
  const escalation = [...entries]
    .filter((entry) => entry.type.startsWith('escalation.'))
    .sort((a, b) => a.at.localeCompare(b.at));
  const last = escalation.at(-1);
  if (!last) return undefined;
  const policy = [...escalation]
    .reverse()
    .map((entry) => text(entry.data['policy']))
    .find((name) => name !== undefined);
  switch (last.type) {
    case 'escalation.no_policy':
      return { policy, status: 'Nobody is paged: the service has no escalation policy', color: 'red' };
    case 'escalation.exhausted':
      return {
        policy,
        status: 'Paging has stopped: every step ran without an acknowledgement',
        color: 'red',
      };
    case 'escalation.stopped':
      return { policy, status: describeResponseData(last) ?? 'Stopped', color: 'gray' };
    default: {
      const step = [...escalation].reverse().find((entry) => typeof entry.data['step'] === 'number');
      return {
        policy,
        status: step ? `Paging: step ${String(step.data['step'])}` : 'Paging',
        color: 'orange',
      };
    }
  }
}
