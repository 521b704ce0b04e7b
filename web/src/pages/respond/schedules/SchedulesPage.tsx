import { Anchor, Button, Card, EmptyState, Skeleton, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconCalendarTime, IconPlus } from '@tabler/icons-react';
import { isStatus } from '../../../api/client.ts';
import { schedulesQuery, type Schedule } from '../../../api/response.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { navigate, useLink } from '../../../app/router.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { OnCallNames } from '../../../components/response/OnCallNames.tsx';
import { adminsAnyTeam } from '../../../components/response/permissions.ts';
import { usePeople } from '../../../components/response/usePeople.ts';
import { scheduleHref } from '../paths.ts';
import { ScheduleFormModal } from './ScheduleFormModal.tsx';

function ScheduleLink({ schedule }: { schedule: Schedule }) {
  const link = useLink(scheduleHref(schedule.id));
  return (
    <Anchor {...link} fw={500}>
      {schedule.name}
    </Anchor>
  );
}

function SchedulesTable({
  schedules,
  teamNames,
}: {
  schedules: Schedule[];
  teamNames: ReadonlyMap<string, string>;
}) {
  return (
    <Table.ScrollContainer minWidth={720} type="native">
      <Table verticalSpacing="sm" aria-label="Schedules">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Schedule</Table.Th>
            <Table.Th>Team</Table.Th>
            <Table.Th>On call now</Table.Th>
            <Table.Th>Layers</Table.Th>
            <Table.Th>Time zone</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...schedules]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((schedule) => (
              <Table.Tr key={schedule.id} data-schedule-id={schedule.id}>
                <Table.Td>
                  <ScheduleLink schedule={schedule} />
                  {schedule.description && (
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {schedule.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td fz="sm">{teamNames.get(schedule.teamId) ?? schedule.teamId}</Table.Td>
                <Table.Td>
                  <OnCallNames scheduleId={schedule.id} timeZone={schedule.timeZone} />
                </Table.Td>
                <Table.Td fz="sm">{schedule.layers.length}</Table.Td>
                <Table.Td fz="sm">{schedule.timeZone}</Table.Td>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function SchedulesPage() {
  const user = useCurrentUser();
  const schedules = useQuery(schedulesQuery);
  const people = usePeople();
  const [creating, create] = useDisclosure(false);
  const teamNames = new Map(people.teams.map((team) => [team.id, team.name]));
  for (const team of user.teams) if (!teamNames.has(team.teamId)) teamNames.set(team.teamId, team.teamName);

  if (isStatus(schedules.error, 403)) return <NoAccessPage error={schedules.error} />;
  let body;
  if (schedules.isPending) body = <Skeleton height={160} />;
  else if (schedules.isError)
    body = (
      <ErrorAlert
        title="Could not load the schedules"
        error={schedules.error}
        onRetry={() => void schedules.refetch()}
      />
    );
  else if (schedules.data.length === 0)
    body = (
      <EmptyState
        icon={<IconCalendarTime size={28} stroke={1.5} aria-hidden />}
        variant="light"
        title="No schedules yet"
        description="A schedule says who is on call when: rotations of people in layers, and overrides on top."
      />
    );
  else body = <SchedulesTable schedules={schedules.data} teamNames={teamNames} />;

  return (
    <>
      <PageHeader
        title="Schedules"
        description="Who is on call when, for each team: rotations computed in each schedule’s own time zone."
        icon={IconCalendarTime}
        color="red"
        actions={
          adminsAnyTeam(user) && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={create.open}>
              New schedule
            </Button>
          )
        }
      />
      <Card withBorder padding="md">
        {body}
      </Card>
      <ScheduleFormModal
        opened={creating}
        onClose={create.close}
        onSaved={(schedule) => {
          create.close();
          navigate(scheduleHref(schedule.id));
        }}
      />
    </>
  );
}
