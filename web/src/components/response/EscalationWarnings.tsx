import { Alert, Badge, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconUrgent } from '@tabler/icons-react';
import type { TimelineEntry } from '../../api/alerting.ts';
import { Time } from '../Time.tsx';
import { escalationState, escalationWarnings } from './responseTimeline.ts';

/**
 * Where paging stands, and every reason someone may not have been reached, above the rest of the incident: a red
 * alert when nobody is or will be paged, a yellow one when a step or a person was skipped.
 */
export function EscalationWarnings({
  timeline,
  timeZone,
}: {
  timeline: readonly TimelineEntry[];
  timeZone: string;
}) {
  const state = escalationState(timeline);
  const warnings = escalationWarnings(timeline);
  if (!state && warnings.length === 0) return null;
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
        </Group>
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
            <Time iso={w.at} timeZone={timeZone} short />
          </Text>
        </Alert>
      ))}
    </Stack>
  );
}
