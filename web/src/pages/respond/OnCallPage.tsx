import { Alert, Anchor, Button, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { IconCalendarShare, IconUserCheck } from '@tabler/icons-react';
import { useState } from 'react';
import {
  createMyFeed,
  myOnCallQuery,
  schedulesQuery,
  type IssuedIcalFeed,
  type MyShift,
  type Schedule,
} from '../../api/response.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useLink } from '../../app/router.ts';
import { useCurrentUser } from '../../app/session.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FeedReveal } from '../../components/response/FeedReveal.tsx';
import { OnCallNames } from '../../components/response/OnCallNames.tsx';
import { usePeople } from '../../components/response/usePeople.ts';
import { Section } from '../../components/Section.tsx';
import { ZoneTime } from '../../components/response/ZoneTime.tsx';
import { usePhone } from '../../components/alerting/usePhone.ts';
import { formatDuration } from '../../lib/format.ts';
import { scheduleHref } from './paths.ts';

const DAY = 86_400_000;

function ScheduleLink({ id, name }: { id: string; name: string }) {
  const link = useLink(scheduleHref(id));
  return (
    <Anchor {...link} fw={500}>
      {name}
    </Anchor>
  );
}

const lengthOf = (shift: MyShift) => formatDuration((Date.parse(shift.end) - Date.parse(shift.start)) / 1000);

/** The shifts as lines, for a phone: a table would hide where each ends behind sideways scrolling. */
function ShiftLines({ shifts, timeZone }: { shifts: MyShift[]; timeZone: string }) {
  return (
    <Stack
      gap="xs"
      component="ul"
      aria-label="My shifts"
      style={{ listStyle: 'none', padding: 0, margin: 0 }}
    >
      {shifts.map((shift) => (
        <li key={`${shift.scheduleId}-${shift.start}`}>
          <ScheduleLink id={shift.scheduleId} name={shift.scheduleName} />
          <Text size="sm">
            <ZoneTime iso={shift.start} timeZone={timeZone} /> →{' '}
            <ZoneTime iso={shift.end} timeZone={timeZone} />{' '}
            <Text span size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              ({lengthOf(shift)})
            </Text>
          </Text>
        </li>
      ))}
    </Stack>
  );
}

function ShiftsTable({ shifts, timeZone }: { shifts: MyShift[]; timeZone: string }) {
  const phone = usePhone();
  if (phone) return <ShiftLines shifts={shifts} timeZone={timeZone} />;
  return (
    <Table.ScrollContainer minWidth={520} type="native">
      <Table aria-label="My shifts" verticalSpacing="xs" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Schedule</Table.Th>
            <Table.Th>From</Table.Th>
            <Table.Th>To</Table.Th>
            <Table.Th>Length</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {shifts.map((shift) => (
            <Table.Tr key={`${shift.scheduleId}-${shift.start}`}>
              <Table.Td>
                <ScheduleLink id={shift.scheduleId} name={shift.scheduleName} />
              </Table.Td>
              <Table.Td>
                <ZoneTime iso={shift.start} timeZone={timeZone} />
              </Table.Td>
              <Table.Td>
                <ZoneTime iso={shift.end} timeZone={timeZone} />
              </Table.Td>
              <Table.Td>{lengthOf(shift)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Where I am on call now, my next shift, my shifts in the next 14 days, and my personal calendar URL. */
function MyOnCallSection() {
  const user = useCurrentUser();
  const [now] = useState(Date.now);
  const range = { from: new Date(now).toISOString(), to: new Date(now + 14 * DAY).toISOString() };
  const mine = useQuery(myOnCallQuery(range));
  const [issued, setIssued] = useState<IssuedIcalFeed | undefined>();
  const feed = useMutation({ mutationFn: createMyFeed, onSuccess: setIssued });
  return (
    <Section
      id="my-on-call"
      title="My on-call"
      description={`Your shifts across every schedule in the next 14 days; times in your zone, ${user.timeZone}.`}
      actions={
        <Button
          variant="default"
          leftSection={<IconCalendarShare size={16} aria-hidden />}
          loading={feed.isPending}
          onClick={() => feed.mutate()}
        >
          My calendar URL
        </Button>
      }
    >
      {feed.isError && <ErrorAlert title="Could not make a calendar URL" error={feed.error} />}
      {mine.isPending ? (
        <Skeleton height={80} />
      ) : mine.isError ? (
        <ErrorAlert
          title="Could not load your shifts"
          error={mine.error}
          onRetry={() => void mine.refetch()}
        />
      ) : (
        <Stack gap="sm">
          {mine.data.onCallNow.length > 0 ? (
            <Alert
              color="red"
              variant="light"
              icon={<IconUserCheck aria-hidden />}
              title="You are on call now"
            >
              {mine.data.onCallNow.map((shift) => (
                <Text key={shift.scheduleId} size="sm">
                  <ScheduleLink id={shift.scheduleId} name={shift.scheduleName} /> until{' '}
                  <ZoneTime iso={shift.end} timeZone={user.timeZone} />
                </Text>
              ))}
            </Alert>
          ) : (
            <Text size="sm">
              You are not on call now.
              {mine.data.nextShift && (
                <>
                  {' '}
                  Next:{' '}
                  <ScheduleLink
                    id={mine.data.nextShift.scheduleId}
                    name={mine.data.nextShift.scheduleName}
                  />{' '}
                  from <ZoneTime iso={mine.data.nextShift.start} timeZone={user.timeZone} />.
                </>
              )}
            </Text>
          )}
          {mine.data.shifts.length === 0 ? (
            <Text size="sm" c="dimmed">
              No shifts in the next 14 days.
            </Text>
          ) : (
            <ShiftsTable shifts={mine.data.shifts} timeZone={user.timeZone} />
          )}
        </Stack>
      )}
      <FeedReveal issued={issued} onClose={() => setIssued(undefined)} />
    </Section>
  );
}

function EveryoneOnCall({ schedules }: { schedules: Schedule[] }) {
  const people = usePeople();
  const phone = usePhone();
  const teamName = (id: string) => people.teams.find((team) => team.id === id)?.name ?? id;
  const sorted = [...schedules].sort((a, b) => a.name.localeCompare(b.name));
  if (phone)
    // Who is on call comes first on a phone, not behind sideways scrolling.
    return (
      <Stack
        gap="sm"
        component="ul"
        aria-label="On call now"
        style={{ listStyle: 'none', padding: 0, margin: 0 }}
      >
        {sorted.map((schedule) => (
          <li key={schedule.id}>
            <ScheduleLink id={schedule.id} name={schedule.name} />
            <Text span size="xs" c="dimmed">
              {' '}
              · {teamName(schedule.teamId)} · {schedule.timeZone}
            </Text>
            <OnCallNames scheduleId={schedule.id} timeZone={schedule.timeZone} />
          </li>
        ))}
      </Stack>
    );
  return (
    <Table.ScrollContainer minWidth={560} type="native">
      <Table aria-label="On call now" verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Schedule</Table.Th>
            <Table.Th>Team</Table.Th>
            <Table.Th>On call now</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((schedule) => (
            <Table.Tr key={schedule.id}>
              <Table.Td>
                <ScheduleLink id={schedule.id} name={schedule.name} />
                <Text size="xs" c="dimmed">
                  {schedule.timeZone}
                </Text>
              </Table.Td>
              <Table.Td fz="sm">{teamName(schedule.teamId)}</Table.Td>
              <Table.Td>
                <OnCallNames scheduleId={schedule.id} timeZone={schedule.timeZone} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function OnCallPage() {
  const schedules = useQuery(schedulesQuery);
  return (
    <>
      <PageHeader
        title="On call"
        description="Who is on call now for every schedule you can see, and your own shifts."
        icon={IconUserCheck}
        color="red"
      />
      <Stack gap="lg">
        <MyOnCallSection />
        <Section
          id="on-call-now"
          title="Who is on call now"
          description="Each person until the end of their shift, on the schedule’s clock."
        >
          {schedules.isPending ? (
            <Skeleton height={80} />
          ) : schedules.isError ? (
            <ErrorAlert
              title="Could not load the schedules"
              error={schedules.error}
              onRetry={() => void schedules.refetch()}
            />
          ) : schedules.data.length === 0 ? (
            <Group>
              <Text size="sm" c="dimmed">
                No schedules yet.
              </Text>
            </Group>
          ) : (
            <EveryoneOnCall schedules={schedules.data} />
          )}
        </Section>
      </Stack>
    </>
  );
}
