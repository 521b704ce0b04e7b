import { Button, Divider, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { createSchedule, updateSchedule, type Schedule, type ScheduleInput } from '../../../api/response.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { LayerFields } from '../../../components/response/LayerFields.tsx';
import { layerOf, newLayerDraft, type LayerDraft } from '../../../components/response/layerDraft.ts';
import { canAdminTeam } from '../../../components/response/permissions.ts';
import { dateIn } from '../../../components/response/scheduleLayout.ts';
import { usePeople } from '../../../components/response/usePeople.ts';
import { TimeZoneSelect } from '../../../components/TimeZoneSelect.tsx';
import { formErrors } from '../../../lib/errors.ts';
import { browserTimeZone } from '../../../lib/timeZones.ts';
import { NameAndDescription } from '../../../components/response/NameAndDescription.tsx';
import { TeamSelect } from '../../../components/response/TeamSelect.tsx';

const FIELDS = ['name', 'teamId', 'description', 'timeZone'] as const;
const LAYER_FIELDS = [
  'layers/0/name',
  'layers/0/participants',
  'layers/0/rotation/handoffTime',
  'layers/0/rotation/startDate',
  'layers/0/rotation/timeZone',
  'layers/0/rotation/shiftLength/count',
];

function ScheduleForm({
  schedule,
  onSaved,
  onCancel,
}: {
  schedule?: Schedule;
  onSaved: (schedule: Schedule) => void;
  onCancel: () => void;
}) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const people = usePeople();
  const teams = people.teams.filter((team) => canAdminTeam(user, team.id));
  const [now] = useState(Date.now);
  const [name, setName] = useState(schedule?.name ?? '');
  const [description, setDescription] = useState(schedule?.description ?? '');
  const [teamId, setTeamId] = useState(schedule?.teamId ?? '');
  const [timeZone, setTimeZone] = useState(schedule?.timeZone ?? browserTimeZone());
  const [layer, setLayer] = useState<LayerDraft>(() =>
    newLayerDraft(1, schedule?.timeZone ?? browserTimeZone(), dateIn(now, browserTimeZone())),
  );
  const chosenTeam = teamId || (teams.length === 1 ? (teams[0]?.id ?? '') : '');
  const save = useMutation({
    mutationFn: (input: ScheduleInput) =>
      schedule
        ? updateSchedule(schedule.id, {
            name: input.name,
            description: input.description ?? '',
            teamId: input.teamId,
            timeZone: input.timeZone,
            version: schedule.version,
          })
        : createSchedule(input),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['schedules', 'one', saved.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['schedules'] });
      onSaved(saved);
    },
  });
  const errors = formErrors(save.error, [...FIELDS, ...LAYER_FIELDS]);
  const layerErrors = Object.fromEntries(
    Object.entries(errors.fields)
      .filter(([key]) => key.startsWith('layers/0/'))
      .map(([key, value]) => [key.slice('layers/0/'.length), value]),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosenTeam) return;
    save.mutate({
      teamId: chosenTeam,
      name: name.trim(),
      description: description.trim(),
      timeZone,
      // A schedule may start empty; its first layer is added once someone is in the rotation.
      ...(!schedule && layer.participants.length > 0 ? { layers: [layerOf(layer)] } : {}),
    });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <FormAlert message={errors.form} />
        <TeamSelect
          teams={teams}
          loading={people.pending}
          value={chosenTeam}
          onChange={setTeamId}
          error={errors.fields['teamId']}
          description="Its admins manage the schedule; its responders add overrides."
        />
        <NameAndDescription
          name={name}
          onName={setName}
          description={description}
          onDescription={setDescription}
          errors={errors.fields}
        />
        <TimeZoneSelect
          label="Time zone"
          description="The schedule is shown on this clock."
          value={timeZone}
          onChange={(zone) => {
            setTimeZone(zone);
            if (!schedule) setLayer((current) => ({ ...current, timeZone: zone }));
          }}
          error={errors.fields['timeZone']}
        />
        {!schedule && (
          <>
            <Divider />
            <div>
              <Title order={3} size="h5">
                First layer
              </Title>
              <Text size="xs" c="dimmed">
                Optional now: leave the rotation empty to add layers later.
              </Text>
            </div>
            <LayerFields
              draft={layer}
              people={people.forTeam(chosenTeam)}
              onChange={setLayer}
              errors={layerErrors}
            />
          </>
        )}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!chosenTeam || name.trim() === ''}>
            {schedule ? 'Save' : 'Create schedule'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Creates a schedule (with its first layer), or changes one's name, team and zone (`schedule` given). */
export function ScheduleFormModal({
  opened,
  schedule,
  onClose,
  onSaved,
}: {
  opened: boolean;
  schedule?: Schedule;
  onClose: () => void;
  onSaved: (schedule: Schedule) => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={schedule ? `Edit ${schedule.name}` : 'New schedule'}
      size="lg"
    >
      <ScheduleForm {...(schedule ? { schedule } : {})} onSaved={onSaved} onCancel={onClose} />
    </Modal>
  );
}
