import { Button, Group, Modal, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { createOverride, type OverrideInput, type Schedule } from '../../../api/response.ts';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { usePeople } from '../../../components/response/usePeople.ts';
import { formErrors } from '../../../lib/errors.ts';
import { wallTimeToIso } from '../../../lib/zonedTime.ts';

const FIELDS = ['userId', 'replacesUserId', 'start', 'end', 'note'] as const;
const ANYONE = '';

function OverrideForm({ schedule, onDone }: { schedule: Schedule; onDone: () => void }) {
  const queryClient = useQueryClient();
  const people = usePeople();
  const zone = schedule.timeZone;
  const [userId, setUserId] = useState('');
  const [replaces, setReplaces] = useState(ANYONE);
  const [startWall, setStartWall] = useState('');
  const [endWall, setEndWall] = useState('');
  const [note, setNote] = useState('');
  const start = wallTimeToIso(startWall, zone);
  const end = wallTimeToIso(endWall, zone);
  const participants = [...new Set(schedule.layers.flatMap((layer) => layer.participants))];
  const save = useMutation({
    mutationFn: (input: OverrideInput) => createOverride(schedule.id, input),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['schedules'] });
      onDone();
    },
  });
  const errors = formErrors(save.error, FIELDS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!userId || !start || !end) return;
    save.mutate({
      userId,
      replacesUserId: replaces === ANYONE ? null : replaces,
      start,
      end,
      ...(note.trim() ? { note: note.trim() } : {}),
    });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <FormAlert message={errors.form} />
        <NativeSelect
          label="Who is on call"
          required
          data={[
            { value: '', label: 'Choose a person' },
            ...people.forTeam(schedule.teamId).map((p) => ({ value: p.id, label: p.name })),
          ]}
          value={userId}
          onChange={(event) => setUserId(event.currentTarget.value)}
          error={errors.fields['userId']}
        />
        <NativeSelect
          label="Instead of"
          description="Whoever is on call covers every hour (gaps too); a person swaps only that person’s hours."
          data={[
            { value: ANYONE, label: 'Whoever is on call' },
            ...participants.map((id) => ({ value: id, label: people.names.get(id) ?? id })),
          ]}
          value={replaces}
          onChange={(event) => setReplaces(event.currentTarget.value)}
          error={errors.fields['replacesUserId']}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <TextInput
            label="From"
            type="datetime-local"
            required
            description={`In ${zone}`}
            value={startWall}
            onChange={(event) => setStartWall(event.currentTarget.value)}
            error={errors.fields['start']}
          />
          <TextInput
            label="To"
            type="datetime-local"
            required
            description={`In ${zone}`}
            value={endWall}
            onChange={(event) => setEndWall(event.currentTarget.value)}
            error={errors.fields['end']}
          />
        </SimpleGrid>
        <TextInput
          label="Note"
          maxLength={500}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          error={errors.fields['note']}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!userId || !start || !end}>
            Add override
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function OverrideFormModal({
  opened,
  schedule,
  onClose,
}: {
  opened: boolean;
  schedule: Schedule;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Add an override" size="lg">
      {opened && <OverrideForm schedule={schedule} onDone={onClose} />}
    </Modal>
  );
}
