import { Button, Group, Modal, NumberInput, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  CHANNEL_KIND_LABELS,
  channelsQuery,
  createPolicy,
  MAX_REPEAT,
  schedulesQuery,
  updatePolicy,
  type EscalationPolicy,
  type PolicyInput,
} from '../../../api/response.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { canAdminTeam } from '../../../components/response/permissions.ts';
import {
  newStep,
  policyBody,
  stepsOf,
  stepsProblem,
  type StepDraft,
  type TargetDraft,
} from '../../../components/response/policyDraft.ts';
import { usePeople } from '../../../components/response/usePeople.ts';
import { formErrors } from '../../../lib/errors.ts';
import { StepsEditor, type TargetOptions } from './StepsEditor.tsx';
import { NameAndDescription } from '../../../components/response/NameAndDescription.tsx';
import { TeamSelect } from '../../../components/response/TeamSelect.tsx';

const FIELDS = ['name', 'teamId', 'description', 'repeat'] as const;

function PolicyForm({
  policy,
  onSaved,
  onCancel,
}: {
  policy?: EscalationPolicy;
  onSaved: (policy: EscalationPolicy) => void;
  onCancel: () => void;
}) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const people = usePeople();
  const schedules = useQuery(schedulesQuery);
  const channels = useQuery(channelsQuery);
  const teams = people.teams.filter((team) => canAdminTeam(user, team.id));
  const [name, setName] = useState(policy?.name ?? '');
  const [description, setDescription] = useState(policy?.description ?? '');
  const [teamId, setTeamId] = useState(policy?.teamId ?? '');
  const [repeat, setRepeat] = useState(policy?.repeat ?? 0);
  const chosenTeam = teamId || (teams.length === 1 ? (teams[0]?.id ?? '') : '');
  // The team's own first: a policy usually pages its own schedules and channels.
  const ownFirst = <T extends { teamId: string; name: string }>(items: readonly T[]) =>
    [...items].sort(
      (a, b) =>
        Number(b.teamId === chosenTeam) - Number(a.teamId === chosenTeam) || a.name.localeCompare(b.name),
    );
  const teamSchedules = ownFirst(schedules.data ?? []);
  const defaultTarget: TargetDraft = teamSchedules[0]
    ? { type: 'schedule', id: '' }
    : { type: 'user', id: '' };
  const [steps, setSteps] = useState<StepDraft[]>(() =>
    policy ? stepsOf(policy) : [newStep(defaultTarget)],
  );
  const options: TargetOptions = {
    user: people.forTeam(chosenTeam).map((p) => ({ value: p.id, label: p.name })),
    schedule: teamSchedules.map((s) => ({ value: s.id, label: s.name })),
    team: people.teams.map((team) => ({ value: team.id, label: team.name })),
    channel: ownFirst(channels.data ?? []).map((c) => ({
      value: c.id,
      label: `${c.name} (${CHANNEL_KIND_LABELS[c.kind]})`,
    })),
  };
  const save = useMutation({
    mutationFn: (input: PolicyInput) => (policy ? updatePolicy(policy.id, input) : createPolicy(input)),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['escalation-policies', 'one', saved.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['escalation-policies', 'list'] });
      onSaved(saved);
    },
  });
  const errors = formErrors(save.error, FIELDS);
  const problem = stepsProblem(steps);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosenTeam || problem) return;
    save.mutate(policyBody({ name, teamId: chosenTeam, description, repeat, steps }));
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
          description="Its admins manage the policy."
        />
        <NameAndDescription
          name={name}
          onName={setName}
          description={description}
          onDescription={setDescription}
          errors={errors.fields}
        />
        <StepsEditor steps={steps} options={options} defaultTarget={defaultTarget} onChange={setSteps} />
        <NumberInput
          label="Repeat"
          description="How many more times the whole policy runs after its last step without an acknowledgement (0: once)."
          min={0}
          max={MAX_REPEAT}
          w={{ base: '100%', xs: 320 }}
          value={repeat}
          onChange={(value) => setRepeat(typeof value === 'number' ? value : Number(value) || 0)}
          error={errors.fields['repeat']}
        />
        {problem && (
          <Text size="sm" c="dimmed">
            {problem}
          </Text>
        )}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={save.isPending}
            disabled={!chosenTeam || name.trim() === '' || problem !== undefined}
          >
            {policy ? 'Save policy' : 'Create policy'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Creates an escalation policy, or changes one (`policy` given; incidents already paging keep the old one). */
export function PolicyFormModal({
  opened,
  policy,
  onClose,
  onSaved,
}: {
  opened: boolean;
  policy?: EscalationPolicy;
  onClose: () => void;
  onSaved: (policy: EscalationPolicy) => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={policy ? `Edit ${policy.name}` : 'New escalation policy'}
      size="xl"
    >
      {opened && <PolicyForm {...(policy ? { policy } : {})} onSaved={onSaved} onCancel={onClose} />}
    </Modal>
  );
}
