import { Alert, Badge, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconAlertTriangle, IconUrgent } from '@tabler/icons-react';
import type { TimelineEntry } from '../../api/alerting.ts';
import { escalationQuery } from '../../api/response.ts';
import { escalationState, escalationWarnings } from './responseTimeline.ts';
import { ZoneTime } from './ZoneTime.tsx';

/** Steps run on the server's clock; the state is asked again this often while paging can still change. */
const POLL_MS = 5_000;

/**
 * Where paging stands (from the escalation's own state: step, round, when the next step runs), and every reason
 * someone may not have been reached, above the rest of the incident: a red alert when nobody is or will be paged,
 * a yellow one when a step or a person was skipped.
 */
export function EscalationWarnings({
  incidentId,
  timeline,
  timeZone,
  live,
  now,
}: {
  incidentId: string;
  timeline: readonly TimelineEntry[];
  timeZone: string;
  /** The incident is open, so its escalation may still move. */
  live: boolean;
  now: number;
}) {
  const escalation = useQuery({
    ...escalationQuery(incidentId),
    // An incident resolved elsewhere stops being live here before its escalation is seen to stop.
    refetchInterval: (query) => (live || query.state.data?.state === 'active' ? POLL_MS : false),
  });
  const state = escalationState(escalation.data, timeline, now);
  const warnings = escalationWarnings(timeline);
  if (!state && warnings.length === 0 && !escalation.isError) return null;
  return (
    <Stack gap="xs" aria-label="Escalation" role="region">
      {state && (
        <Group gap="xs">
          <Text size="sm" fw={500}>
            Escalation
            {state.policy ? ` (${state.policy})` : ''}:
          </Text>
          <Badge color={state.color} variant="light" tt="none" data-testid="escalation-state">
            {state.status}
          </Badge>
          {state.next && (
            <Text size="sm" c="dimmed" data-testid="escalation-next">
              {state.next.label} <ZoneTime iso={state.next.at} timeZone={timeZone} /> ({state.next.in})
            </Text>
          )}
        </Group>
      )}
      {escalation.isError && (
        <Text size="sm" c="dimmed">
          Could not load where the escalation stands; the timeline below still shows every step.
        </Text>
      )}
      {warnings.map((w) => (
        <Alert
          key={`${w.title}|${w.message}`}
          color={w.level}
          variant="light"
          role="alert"
          icon={w.level === 'red' ? <IconUrgent aria-hidden /> : <IconAlertTriangle aria-hidden />}
          title={w.count > 1 ? `${w.title} (${w.count} times)` : w.title}
          data-warning-level={w.level}
        >
          <Text size="sm">{w.message}</Text>
          <Text size="xs" c="dimmed">
            <ZoneTime iso={w.at} timeZone={timeZone} seconds />
          </Text>
        </Alert>
      ))}
    </Stack>
  );
}
