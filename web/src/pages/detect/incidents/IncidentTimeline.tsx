import { Text, Timeline } from '@mantine/core';
import type { TimelineEntry } from '../../../api/alerting.ts';
import { Time } from '../../../components/Time.tsx';
import { describeActor, describeData, timelineLabel } from './timelineText.ts';

const COLORS: Record<string, string> = {
  'incident.opened': 'red',
  'incident.acknowledged': 'yellow',
  'incident.resolved': 'teal',
  'alert.resolved': 'teal',
};

/** The incident's history, oldest first: what happened, who did it, when. */
export function IncidentTimeline({
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
        const data = describeData(entry);
        return (
          <Timeline.Item
            key={entry.id}
            title={timelineLabel(entry.type)}
            color={COLORS[entry.type] ?? 'gray'}
            data-type={entry.type}
          >
            {data !== undefined && data !== '' && (
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {data}
              </Text>
            )}
            <Text size="xs" c="dimmed" mt={2}>
              {describeActor(entry.actor, names)} · <Time iso={entry.at} timeZone={timeZone} short />
            </Text>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
