import { Alert, Badge, Group, List, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconAlertTriangle } from '@tabler/icons-react';
import { drillQuery, type Drill } from '../../api/response.ts';
import { ErrorAlert } from '../ErrorAlert.tsx';
import { DeliveryLog } from './DeliveryLog.tsx';
import { ZoneTime } from './ZoneTime.tsx';

const OUTCOME: Record<Drill['outcome'], { label: string; color: string }> = {
  running: { label: 'Sending…', color: 'blue' },
  passed: { label: 'Passed: every message was delivered', color: 'teal' },
  failed: { label: 'Failed: not every message was delivered', color: 'red' },
};

/** A drill's result: per step who would be paged (and why not), then every test message and how it went. */
export function DrillResult({ drill, timeZone }: { drill: Drill; timeZone: string }) {
  const outcome = OUTCOME[drill.outcome];
  return (
    <Stack gap="sm" data-testid="drill-result" data-outcome={drill.outcome}>
      <Group gap="xs">
        <Badge color={outcome.color} variant="light" tt="none" size="lg">
          {outcome.label}
        </Badge>
        <Text size="xs" c="dimmed">
          Started <ZoneTime iso={drill.startedAt} timeZone={timeZone} seconds />
        </Text>
      </Group>
      {drill.summary.warnings.map((warning) => (
        <Alert key={warning} color="yellow" variant="light" icon={<IconAlertTriangle aria-hidden />}>
          {warning}
        </Alert>
      ))}
      {drill.summary.steps.length > 0 && (
        <List type="ordered" listStyleType="none" spacing="xs" aria-label="Drill steps">
          {drill.summary.steps.map((step) => (
            <List.Item key={step.step}>
              <Text size="sm">
                Step {step.step}:{' '}
                {[...step.people, ...step.channels].length === 0
                  ? 'nobody'
                  : [...step.people, ...step.channels].join(', ')}
              </Text>
              {step.warnings.map((warning) => (
                <Text key={warning} size="sm" c="orange">
                  {warning}
                </Text>
              ))}
            </List.Item>
          ))}
        </List>
      )}
      <Title order={3} size="h6">
        Messages
      </Title>
      <DeliveryLog deliveries={drill.deliveries} timeZone={timeZone} empty="No message was sent." />
    </Stack>
  );
}

/** A drill by id, refreshed while its messages are still on their way. */
export function LiveDrillResult({ drillId, timeZone }: { drillId: string; timeZone: string }) {
  const drill = useQuery({
    ...drillQuery(drillId),
    refetchInterval: (query) => (query.state.data?.outcome === 'running' ? 1_500 : false),
  });
  if (drill.isPending) return <Text size="sm">Sending the test page…</Text>;
  if (drill.isError) return <ErrorAlert title="Could not load the drill" error={drill.error} />;
  return <DrillResult drill={drill.data} timeZone={timeZone} />;
}
