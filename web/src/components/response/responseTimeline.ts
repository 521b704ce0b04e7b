import type { TimelineEntry } from '../../api/alerting.ts';
import { CHANNEL_KIND_LABELS, type ChannelKind, type Escalation } from '../../api/response.ts';
import { formatDuration } from '../../lib/format.ts';

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
        // A failure that expired the contact method (a push subscription gone): who is no longer paged there.
        entry.type === 'notification.failed' && text(d['reason']) ? text(d['warning']) : undefined,
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
  /** An active escalation: what happens next, and when. */
  next?: { label: string; at: string; in: string };
}

/** "in 5 min", "in 2 h 5 min", or "due now" once the time has come (the step is about to run). */
export function inWords(at: string, now: number): string {
  const ms = Date.parse(at) - now;
  if (!(ms > 0)) return 'due now';
  const minutes = Math.ceil(ms / 60_000);
  return minutes < 60 ? `in ${minutes} min` : `in ${formatDuration(minutes * 60)}`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Where the incident's escalation stands, from the server's escalation state (`GET …/escalation`); the timeline
 * only adds why it stopped, and says when the service has no policy at all. Undefined while that is unknown.
 */
export function escalationState(
  view: Escalation | null | undefined,
  entries: readonly TimelineEntry[],
  now: number,
): EscalationState | undefined {
  if (view === undefined) return undefined;
  if (view === null)
    return entries.some((entry) => entry.type === 'escalation.no_policy')
      ? { policy: undefined, status: 'Nobody is paged: the service has no escalation policy', color: 'red' }
      : undefined;
  const policy = view.policyName;
  switch (view.state) {
    case 'exhausted':
      return {
        policy,
        status: `Exhausted after ${plural(view.rounds, 'round')}: nobody acknowledged`,
        color: 'red',
      };
    case 'stopped': {
      const stopped = [...entries]
        .filter((entry) => entry.type === 'escalation.stopped')
        .sort((a, b) => a.at.localeCompare(b.at))
        .at(-1);
      const why = stopped ? describeResponseData(stopped) : undefined;
      return {
        policy,
        status: why ? `Stopped: ${why.charAt(0).toLowerCase()}${why.slice(1)}` : 'Stopped',
        color: 'gray',
      };
    }
    case 'active': {
      const where =
        view.step === null
          ? 'Paging'
          : `Paging: step ${view.step} of ${view.steps}${view.rounds > 1 ? `, round ${view.round} of ${view.rounds}` : ''}`;
      const last = view.step === view.steps && view.round === view.rounds;
      return {
        policy,
        status: where,
        color: 'orange',
        ...(view.nextStepAt
          ? {
              next: {
                label: last ? 'Paging runs out at' : 'Next step at',
                at: view.nextStepAt,
                in: inWords(view.nextStepAt, now),
              },
            }
          : {}),
      };
    }
  }
}
