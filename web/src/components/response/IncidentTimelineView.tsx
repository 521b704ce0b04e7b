import { Text, Timeline } from '@mantine/core';
import type { TimelineEntry } from '../../api/alerting.ts';
import { describeActor, describeData, timelineLabel } from '../../pages/detect/incidents/timelineText.ts';
import { describeResponseData, responseLabel, warningLevel } from './responseTimeline.ts';
import { ZoneTime } from './ZoneTime.tsx';

const COLORS: Record<string, string> = {
  'incident.opened': 'red',
  'incident.acknowledged': 'yellow',
  'incident.resolved': 'teal',
  'alert.resolved': 'teal',
  'escalation.started': 'orange',
  'escalation.step_started': 'orange',
  'escalation.stopped': 'gray',
  'notification.sent': 'blue',
  // A failure that will be retried: noticeable, not alarming (a final one is red, from warningLevel).
  'notification.failed': 'orange',
};

/**
 * The incident's history, oldest first, including the Respond stage's entries (escalation steps and every
 * notification) in words; other entries read as on the Detect pages.
 */
export function IncidentTimelineView({
  entries,
  timeZone,
  names,
}: {
  entries: readonly TimelineEntry[];
  timeZone: string;
  names: ReadonlyMap<string, string>;
}) {
  if (entries.length === 0) return <Text c="dimmed">Nothing recorded yet.</Text>;
  const sorted = [...entries].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <Timeline bulletSize={14} lineWidth={2} active={sorted.length - 1} aria-label="Timeline">
      {sorted.map((entry) => {
        const response = responseLabel(entry.type);
        const data = response === undefined ? describeData(entry) : describeResponseData(entry);
        const warning = warningLevel(entry);
        return (
          <Timeline.Item
            key={entry.id}
            title={response ?? timelineLabel(entry.type)}
            color={warning ?? COLORS[entry.type] ?? 'gray'}
            data-type={entry.type}
          >
            {data !== undefined && data !== '' && (
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {data}
              </Text>
            )}
            <Text size="xs" c="dimmed" mt={2}>
              {describeActor(entry.actor, names)} · <ZoneTime iso={entry.at} timeZone={timeZone} seconds />
            </Text>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
