import type { TimelineEntry } from '../../../api/alerting.ts';

const TYPE_LABELS: Record<string, string> = {
  'incident.opened': 'Incident opened',
  'incident.acknowledged': 'Incident acknowledged',
  'incident.unacknowledged': 'Acknowledgement withdrawn',
  'incident.resolved': 'Incident resolved',
  'alert.joined': 'Alert joined',
  'alert.acknowledged': 'Alert acknowledged',
  'alert.resolved': 'Alert resolved',
  'alert.reopened': 'Alert fired again',
};

/** "alert.joined" → "Alert joined"; types this page does not know yet are shown as they are. */
export const timelineLabel = (type: string): string => TYPE_LABELS[type] ?? type;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** Who did it, in words; `names` knows integrations by id. */
export function describeActor(actor: Record<string, unknown>, names: ReadonlyMap<string, string>): string {
  const id = text(actor['id']);
  switch (actor['kind']) {
    case 'user':
      return text(actor['name']) ?? `User ${id ?? ''}`.trim();
    case 'token':
      return `API token ${id ?? ''}`.trim();
    case 'integration':
      return id && names.get(id) ? `Integration “${names.get(id)}”` : `Integration ${id ?? ''}`.trim();
    case 'source':
      return `Sender ${text(actor['source']) ?? ''}`.trim();
    case 'system':
      return text(actor['reason']) ? `Siaga (${text(actor['reason'])})` : 'Siaga';
    default:
      return 'Unknown';
  }
}

/** One line of what the entry's data says. */
export function describeData(entry: TimelineEntry): string | undefined {
  const d = entry.data;
  switch (entry.type) {
    case 'incident.opened':
      return [text(d['title']), text(d['severity']), text(d['urgency']) && `${text(d['urgency'])} urgency`]
        .filter(Boolean)
        .join(' · ');
    case 'alert.joined':
      return [text(d['summary']), text(d['severity'])].filter(Boolean).join(' · ');
    case 'alert.resolved':
      return text(d['summary']);
    case 'incident.resolved':
      return d['automatic'] === true ? 'All of its alerts resolved' : undefined;
    case 'incident.acknowledged':
      return d['via'] === 'alert' ? 'Through one of its alerts' : undefined;
    default: {
      const keys = Object.keys(d);
      return keys.length === 0 ? undefined : JSON.stringify(d);
    }
  }
}
