import { Button, Group, SegmentedControl, Skeleton, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { useState } from 'react';
import { shiftsQuery, type Schedule } from '../../../api/response.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { ScheduleTimeline } from '../../../components/response/ScheduleTimeline.tsx';
import { addDays, scheduleRange } from '../../../components/response/scheduleLayout.ts';
import { formatDayRange } from '../../../components/response/zoneFormat.ts';
import { Section } from '../../../components/Section.tsx';

const WEEK_CHOICES = ['1', '2', '4'] as const;

/** The schedule over 1, 2 or 4 weeks from today (on its clock), a page at a time. */
export function TimelineSection({
  schedule,
  names,
}: {
  schedule: Schedule;
  names: ReadonlyMap<string, string>;
}) {
  const [now] = useState(Date.now);
  const [weeks, setWeeks] = useState<(typeof WEEK_CHOICES)[number]>('2');
  const [offset, setOffset] = useState(0);
  const range = scheduleRange(now, schedule.timeZone, Number(weeks), offset * Number(weeks));
  const shifts = useQuery({
    ...shiftsQuery(schedule.id, { from: range.from, to: range.to }),
    placeholderData: (previous) => previous,
  });
  const gaps = shifts.data?.gaps.length ?? 0;
  return (
    <Section
      id="schedule-timeline"
      title="Timeline"
      description={`Each layer, the overrides, and who is paged in the end. Times in ${schedule.timeZone}.`}
    >
      <Group justify="space-between" gap="sm" mb="sm">
        <Group gap="xs">
          <Button
            size="xs"
            variant="default"
            aria-label="Earlier"
            onClick={() => setOffset((o) => o - 1)}
            leftSection={<IconChevronLeft size={14} aria-hidden />}
          >
            Earlier
          </Button>
          <Button size="xs" variant="default" onClick={() => setOffset(0)} disabled={offset === 0}>
            Today
          </Button>
          <Button
            size="xs"
            variant="default"
            aria-label="Later"
            onClick={() => setOffset((o) => o + 1)}
            rightSection={<IconChevronRight size={14} aria-hidden />}
          >
            Later
          </Button>
          <Text size="sm" fw={500}>
            {formatDayRange(range.firstDay, addDays(range.firstDay, range.days - 1))}
          </Text>
        </Group>
        <SegmentedControl
          size="xs"
          aria-label="Range"
          data={WEEK_CHOICES.map((w) => ({ value: w, label: w === '1' ? '1 week' : `${w} weeks` }))}
          value={weeks}
          onChange={(value) => {
            setWeeks(value);
            setOffset(0);
          }}
        />
      </Group>
      {shifts.isPending ? (
        <Skeleton height={160} />
      ) : shifts.isError ? (
        <ErrorAlert
          title="Could not load the shifts"
          error={shifts.error}
          onRetry={() => void shifts.refetch()}
        />
      ) : (
        <>
          <ScheduleTimeline shifts={shifts.data} range={range} names={names} />
          <Text size="sm" mt="xs" c={gaps > 0 ? 'red' : 'dimmed'} data-testid="timeline-gaps">
            {gaps === 0
              ? 'No gaps: someone is on call all the time in this range.'
              : `${gaps} ${gaps === 1 ? 'gap' : 'gaps'} in this range: nobody is paged then.`}
          </Text>
        </>
      )}
    </Section>
  );
}
