import { Badge, Group, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { onCallQuery } from '../../api/response.ts';
import { formatInZone } from './zoneFormat.ts';

/** Who is on call in a schedule right now, each until when (on the schedule's clock). */
export function OnCallNames({ scheduleId, timeZone }: { scheduleId: string; timeZone: string }) {
  const onCall = useQuery({ ...onCallQuery(scheduleId), refetchInterval: 60_000 });
  if (onCall.isPending)
    return (
      <Text size="sm" c="dimmed">
        …
      </Text>
    );
  if (onCall.isError)
    return (
      <Text size="sm" c="red">
        Could not load
      </Text>
    );
  if (onCall.data.onCall.length === 0)
    return (
      <Badge color="red" variant="light" tt="none">
        Nobody on call
      </Badge>
    );
  return (
    <Group gap={6}>
      {onCall.data.onCall.map((who) => (
        <Text key={who.userId} size="sm" span>
          <Text span fw={600}>
            {who.name}
          </Text>{' '}
          <Text span c="dimmed" size="xs">
            until {formatInZone(who.end, timeZone)}
          </Text>
        </Text>
      ))}
    </Group>
  );
}
