import { Button, Skeleton, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconCalendarTime, IconPencil } from '@tabler/icons-react';
import { isStatus } from '../../../api/client.ts';
import { deleteSchedule, scheduleQuery } from '../../../api/response.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { navigate } from '../../../app/router.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { BackLink } from '../../../components/alerting/BackLink.tsx';
import { DeleteAction } from '../../../components/DeleteAction.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { OnCallNames } from '../../../components/response/OnCallNames.tsx';
import { canAdminTeam, canRespondIn } from '../../../components/response/permissions.ts';
import { usePeople } from '../../../components/response/usePeople.ts';
import { Section } from '../../../components/Section.tsx';
import { NotFoundPage } from '../../NotFoundPage.tsx';
import { SCHEDULES_PATH, scheduleHref } from '../paths.ts';
import { CalendarFeedsSection } from './CalendarFeedsSection.tsx';
import { LayersSection } from './LayersSection.tsx';
import { OverridesSection } from './OverridesSection.tsx';
import { ScheduleFormModal } from './ScheduleFormModal.tsx';
import { TimelineSection } from './TimelineSection.tsx';

export function SchedulePage({ scheduleId }: { scheduleId: string }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const schedule = useQuery(scheduleQuery(scheduleId));
  const people = usePeople();
  const [editing, edit] = useDisclosure(false);
  const remove = useMutation({
    mutationFn: () => deleteSchedule(scheduleId),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ['schedules', 'one', scheduleId] });
      await queryClient.invalidateQueries({ queryKey: ['schedules', 'list'] });
      navigate(SCHEDULES_PATH, { replace: true });
    },
  });

  if (isStatus(schedule.error, 404)) return <NotFoundPage path={scheduleHref(scheduleId)} />;
  if (isStatus(schedule.error, 403)) return <NoAccessPage error={schedule.error} />;
  if (schedule.isPending) return <Skeleton height={240} />;
  if (schedule.isError)
    return (
      <ErrorAlert
        title="Could not load the schedule"
        error={schedule.error}
        onRetry={() => void schedule.refetch()}
      />
    );

  const s = schedule.data;
  const manageable = canAdminTeam(user, s.teamId);
  const teamName = people.teams.find((team) => team.id === s.teamId)?.name ?? s.teamId;
  return (
    <>
      <BackLink to={SCHEDULES_PATH} label="All schedules" />
      <PageHeader
        title={s.name}
        description={`${teamName} · ${s.timeZone}${s.description ? ` · ${s.description}` : ''}`}
        icon={IconCalendarTime}
        color="red"
        actions={
          manageable && (
            <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={edit.open}>
              Edit
            </Button>
          )
        }
      />
      <Stack gap="lg">
        <Section id="schedule-now" title="On call now">
          <OnCallNames scheduleId={s.id} timeZone={s.timeZone} />
        </Section>
        <TimelineSection schedule={s} names={people.names} />
        <LayersSection schedule={s} names={people.names} manageable={manageable} />
        <OverridesSection schedule={s} names={people.names} mayChange={canRespondIn(user, s.teamId)} />
        <CalendarFeedsSection schedule={s} names={people.names} timeZone={user.timeZone} />
        {manageable && (
          <DeleteAction label="Delete schedule" title={`Delete ${s.name}?`} remove={remove}>
            The schedule, its overrides and its calendar URLs are deleted. Siaga refuses while an escalation
            policy pages it.
          </DeleteAction>
        )}
      </Stack>
      <ScheduleFormModal opened={editing} schedule={s} onClose={edit.close} onSaved={edit.close} />
      <Text size="xs" c="dimmed" mt="lg">
        Schedule id: {s.id} · version {s.version}
      </Text>
    </>
  );
}
