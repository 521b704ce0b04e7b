import { Badge, List, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { CHANNEL_KIND_LABELS, TARGET_TYPE_LABELS, type EscalationPolicy } from '../../api/response.ts';

const KIND: Record<string, string> = {
  user: 'Person',
  schedule: 'Schedule',
  team: 'Team',
  channel: 'Channel',
};

/** A policy's steps in words: "Step 1: page Primary (schedule); after 15 min, step 2". */
export function PolicySteps({ policy }: { policy: EscalationPolicy }) {
  return (
    <>
      <List type="ordered" spacing="sm" aria-label={`Steps of ${policy.name}`}>
        {policy.steps.map((step, index) => (
          <List.Item key={index}>
            <Text size="sm" component="div">
              Page{' '}
              {step.targets.map((t, i) => (
                <span key={`${t.type}-${t.id}`}>
                  {i > 0 && (i === step.targets.length - 1 ? ' and ' : ', ')}
                  <Tooltip label={TARGET_TYPE_LABELS[t.type]}>
                    <Text span fw={600}>
                      {t.name ?? t.id}
                    </Text>
                  </Tooltip>{' '}
                  <Badge size="xs" variant="default" tt="none">
                    {t.channelKind ? CHANNEL_KIND_LABELS[t.channelKind] : KIND[t.type]}
                  </Badge>
                  {t.warning && (
                    <Text span c="orange" size="xs">
                      {' '}
                      <IconAlertTriangle size={12} aria-hidden style={{ verticalAlign: 'middle' }} />{' '}
                      {t.warning}
                    </Text>
                  )}
                </span>
              ))}
              {step.roundRobin && ' (one at a time, in turn)'}
            </Text>
            <Text size="xs" c="dimmed">
              {index < policy.steps.length - 1
                ? `No acknowledgement within ${step.escalateAfterMinutes} min: step ${index + 2}`
                : policy.repeat > 0
                  ? `No acknowledgement within ${step.escalateAfterMinutes} min: start again from step 1`
                  : `No acknowledgement within ${step.escalateAfterMinutes} min: paging stops`}
            </Text>
          </List.Item>
        ))}
      </List>
      <Text size="sm" mt="xs" c="dimmed">
        {policy.repeat === 0
          ? 'Runs once.'
          : `Runs ${policy.repeat + 1} times in all (repeats ${policy.repeat} ${policy.repeat === 1 ? 'time' : 'times'}).`}
      </Text>
    </>
  );
}
