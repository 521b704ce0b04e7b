import { Button, Group, Modal, NativeSelect, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  CHANNEL_KIND_LABELS,
  createChannel,
  type ChannelInput,
  type ChannelKind,
} from '../../../api/response.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { FormAlert } from '../../../components/FormAlert.tsx';
import {
  channelBody,
  channelFields,
  SHARED_CHANNEL_KINDS,
  type SlackMode,
} from '../../../components/response/channelFields.ts';
import { canAdminTeam } from '../../../components/response/permissions.ts';
import { usePeople } from '../../../components/response/usePeople.ts';
import { formErrors } from '../../../lib/errors.ts';
import { TeamSelect } from '../../../components/response/TeamSelect.tsx';

function ChannelForm({ onDone }: { onDone: () => void }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const people = usePeople();
  const teams = people.teams.filter((team) => canAdminTeam(user, team.id));
  const [teamId, setTeamId] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ChannelKind>('slack');
  const [slackMode, setSlackMode] = useState<SlackMode>('webhook');
  const [values, setValues] = useState<Record<string, string>>({});
  const chosenTeam = teamId || (teams.length === 1 ? (teams[0]?.id ?? '') : '');
  const fields = channelFields(kind, slackMode);
  const pointers = ['name', 'teamId', 'kind', ...fields.map((f) => `${f.target}/${f.key}`)];
  const create = useMutation({
    mutationFn: (input: ChannelInput) => createChannel(input),
    onSuccess: async () => {
      // The secrets typed here are gone from the page: the server keeps them sealed.
      setValues({});
      await queryClient.invalidateQueries({ queryKey: ['channels'] });
      onDone();
    },
  });
  const errors = formErrors(create.error, pointers);
  const missing = fields.some((f) => f.required && (values[f.key] ?? '').trim() === '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosenTeam || missing) return;
    create.mutate(channelBody({ name: name.trim(), teamId: chosenTeam, kind }, fields, values));
  };
  return (
    <form onSubmit={submit} autoComplete="off">
      <Stack gap="md">
        <FormAlert message={errors.form} />
        <TeamSelect
          teams={teams}
          loading={people.pending}
          value={chosenTeam}
          onChange={setTeamId}
          error={errors.fields['teamId']}
        />
        <TextInput
          label="Name"
          description="How escalation policies list it, e.g. “#payments-oncall”."
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errors.fields['name']}
          data-autofocus
        />
        <NativeSelect
          label="Kind"
          data={SHARED_CHANNEL_KINDS.map((k) => ({ value: k, label: CHANNEL_KIND_LABELS[k] }))}
          value={kind}
          onChange={(event) => {
            setKind(event.currentTarget.value as ChannelKind);
            setValues({});
          }}
          error={errors.fields['kind']}
        />
        {kind === 'slack' && (
          <SegmentedControl
            aria-label="Slack connection"
            data={[
              { value: 'webhook', label: 'Incoming webhook' },
              { value: 'bot', label: 'Bot and channel id' },
            ]}
            value={slackMode}
            onChange={(value) => {
              setSlackMode(value);
              setValues({});
            }}
          />
        )}
        {fields.map((field) => (
          <TextInput
            key={`${kind}-${field.key}`}
            label={field.label}
            description={field.description}
            placeholder={field.placeholder}
            required={field.required}
            // Secrets are typed once and never shown again: mask them like passwords.
            type={field.target === 'secrets' ? 'password' : 'text'}
            autoComplete={field.target === 'secrets' ? 'new-password' : 'off'}
            value={values[field.key] ?? ''}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setValues((current) => ({ ...current, [field.key]: value }));
            }}
            error={errors.fields[`${field.target}/${field.key}`]}
          />
        ))}
        {fields.some((f) => f.target === 'secrets') && (
          <Text size="xs" c="dimmed">
            Secret settings are sealed on the server and never shown again, not even to administrators.
          </Text>
        )}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={create.isPending}
            disabled={!chosenTeam || name.trim() === '' || missing}
          >
            Add channel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ChannelFormModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="New channel" size="lg">
      {opened && <ChannelForm onDone={onClose} />}
    </Modal>
  );
}
