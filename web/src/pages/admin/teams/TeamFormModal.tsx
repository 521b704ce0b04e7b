import { Modal, Stack, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { createTeam, updateTeam, type Team } from '../../../api/teams.ts';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { formErrors } from '../../../lib/errors.ts';
import { FormActions } from '../../../components/FormActions.tsx';

const FIELDS = ['name', 'description'] as const;

function TeamForm({
  team,
  onSaved,
  onCancel,
}: {
  team?: Team;
  onSaved: (team: Team) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(team?.name ?? '');
  const [description, setDescription] = useState(team?.description ?? '');
  const save = useMutation({
    mutationFn: (input: { name: string; description: string }) =>
      team ? updateTeam(team.id, input) : createTeam(input),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['teams', 'one', saved.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['teams', 'list'] });
      onSaved(saved);
    },
  });
  const errors = formErrors(save.error, FIELDS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ name: name.trim(), description: description.trim() });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <FormAlert message={errors.form} />
        <TextInput
          label="Name"
          required
          maxLength={200}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errors.fields['name']}
          data-autofocus
        />
        <Textarea
          label="Description"
          description="What the team owns, or how to reach it."
          autosize
          minRows={2}
          maxRows={6}
          maxLength={2000}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
          error={errors.fields['description']}
        />
        <FormActions onCancel={onCancel} saving={save.isPending} mt="xs">
          {team ? 'Save' : 'Create team'}
        </FormActions>
      </Stack>
    </form>
  );
}

/** Creates a team, or renames and describes one (`team` given). */
export function TeamFormModal({
  opened,
  team,
  onClose,
  onSaved,
}: {
  opened: boolean;
  team?: Team;
  onClose: () => void;
  onSaved: (team: Team) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={team ? `Edit ${team.name}` : 'New team'}>
      <TeamForm {...(team ? { team } : {})} onSaved={onSaved} onCancel={onClose} />
    </Modal>
  );
}
