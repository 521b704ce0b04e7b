import { Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconCalendarShare } from '@tabler/icons-react';
import { useState } from 'react';
import {
  createScheduleFeed,
  revokeFeed,
  scheduleFeedsQuery,
  type IssuedIcalFeed,
  type Schedule,
} from '../../../api/response.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { FeedReveal } from '../../../components/response/FeedReveal.tsx';
import { Section } from '../../../components/Section.tsx';
import { Time } from '../../../components/Time.tsx';

/** Secret calendar URLs of the schedule: made here, shown once, ended here. */
export function CalendarFeedsSection({
  schedule,
  names,
  timeZone,
}: {
  schedule: Schedule;
  names: ReadonlyMap<string, string>;
  timeZone: string;
}) {
  const queryClient = useQueryClient();
  const feeds = useQuery(scheduleFeedsQuery(schedule.id));
  const [issued, setIssued] = useState<IssuedIcalFeed | undefined>();
  const key = ['schedules', 'ical-feeds', schedule.id];
  const create = useMutation({
    mutationFn: () => createScheduleFeed(schedule.id),
    onSuccess: async (feed) => {
      setIssued(feed);
      await queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const revoke = useMutation({
    mutationFn: revokeFeed,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
  return (
    <Section
      id="schedule-feeds"
      title="Calendar feeds"
      description="Subscribe to the schedule in a calendar app with a secret URL."
      actions={
        <Button
          variant="default"
          leftSection={<IconCalendarShare size={16} aria-hidden />}
          loading={create.isPending}
          onClick={() => create.mutate()}
        >
          Get a calendar URL
        </Button>
      }
    >
      {create.isError && <ErrorAlert title="Could not make a calendar URL" error={create.error} />}
      {revoke.isError && <ErrorAlert title="Could not end the calendar URL" error={revoke.error} />}
      {feeds.isPending ? (
        <Skeleton height={40} />
      ) : feeds.isError ? (
        <ErrorAlert title="Could not load the calendar feeds" error={feeds.error} />
      ) : feeds.data.length === 0 ? (
        <Text size="sm" c="dimmed">
          No calendar URL yet.
        </Text>
      ) : (
        <Stack gap={4} role="list" aria-label="Calendar feeds">
          {feeds.data.map((feed) => (
            <Group key={feed.id} justify="space-between" role="listitem" gap="xs">
              <Text size="sm">
                Made by {names.get(feed.createdBy) ?? feed.createdBy},{' '}
                <Time iso={feed.createdAt} timeZone={timeZone} short />
              </Text>
              <Button
                size="compact-sm"
                variant="subtle"
                color="red"
                loading={revoke.isPending && revoke.variables === feed.id}
                onClick={() => revoke.mutate(feed.id)}
              >
                End this URL
              </Button>
            </Group>
          ))}
        </Stack>
      )}
      <FeedReveal issued={issued} onClose={() => setIssued(undefined)} />
    </Section>
  );
}
