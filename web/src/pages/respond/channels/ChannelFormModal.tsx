import {
  Button,
  Checkbox,
  Group,
  Modal,
  NativeSelect,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  CHANNEL_KIND_LABELS,
  createChannel,
  updateChannel,
  type Channel,
  type ChannelInput,
  type ChannelKind,
  type ChannelUpdate,
} from '../../../api/response.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { FormAlert } from '../../../components/FormAlert.tsx';
import {
  channelBody,
  channelFields,
  channelPatch,
  shownValue,
  SHARED_CHANNEL_KINDS,
  type ChannelField,
  type SlackMode,
} from '../../../components/response/channelFields.ts';
import { canAdminTeam } from '../../../components/response/permissions.ts';
import { usePeople } from '../../../components/response/usePeople.ts';
import { formErrors } from '../../../lib/errors.ts';
import { TeamSelect } from '../../../components/response/TeamSelect.tsx';

/** `signingSecret` → `Signing secret`: the stored name, as people read it. */
export const secretLabel = (key: string): string => {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** A Slack channel set up with a channel id goes through the bot; otherwise through its incoming webhook. */
const slackModeOf = (channel: Channel | undefined): SlackMode =>
  channel && shownValue(channel, 'channel') !== '' ? 'bot' : 'webhook';

/** The settings the form starts from: the shown config of the channel being edited; secrets always empty. */
function initialValues(channel: Channel | undefined): Record<string, string> {
  if (!channel) return {};
  const values: Record<string, string> = {};
  for (const field of channelFields(channel.kind, slackModeOf(channel)))
    if (field.target === 'config') values[field.key] = shownValue(channel, field.key);
  return values;
}

function ChannelForm({ channel, onDone }: { channel: Channel | undefined; onDone: () => void }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const people = usePeople();
  const teams = people.teams.filter((team) => canAdminTeam(user, team.id));
  const [teamId, setTeamId] = useState(channel?.teamId ?? '');
  const [name, setName] = useState(channel?.name ?? '');
  const [kind, setKind] = useState<ChannelKind>(channel?.kind ?? 'slack');
  const [slackMode, setSlackMode] = useState<SlackMode>(slackModeOf(channel));
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(channel));
  // Optional secrets the person chose to remove (sent as null); any other secret left empty is kept.
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const chosenTeam = teamId || (teams.length === 1 ? (teams[0]?.id ?? '') : '');
  const fields = channelFields(kind, slackMode);
  const pointers = ['name', 'teamId', 'kind', ...fields.map((f) => `${f.target}/${f.key}`)];
  const isSet = (field: ChannelField) =>
    field.target === 'secrets' && channel !== undefined && channel.secretKeys.includes(field.key);
  // A secret already set may stay empty: leaving it out of the body keeps it (the server merges secrets).
  const required = (field: ChannelField) => field.required && !isSet(field);
  const toggleRemoved = (key: string, remove: boolean) => {
    setRemoved((current) => {
      const next = new Set(current);
      if (remove) next.add(key);
      else next.delete(key);
      return next;
    });
    if (remove) setValues((current) => ({ ...current, [key]: '' }));
  };
  const save = useMutation({
    mutationFn: (input: ChannelInput | ChannelUpdate) =>
      channel ? updateChannel(channel.id, input) : createChannel(input as ChannelInput),
    onSuccess: async () => {
      // The secrets typed here are gone from the page: the server keeps them sealed.
      setValues({});
      setRemoved(new Set());
      await queryClient.invalidateQueries({ queryKey: ['channels'] });
      onDone();
    },
  });
  const errors = formErrors(save.error, pointers);
  const missing = fields.some((f) => required(f) && (values[f.key] ?? '').trim() === '');
  const patch =
    channel && channelPatch(channel, { name: name.trim(), teamId: chosenTeam }, fields, values, removed);
  const unchanged = patch !== undefined && Object.keys(patch).length === 0;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosenTeam || missing || unchanged) return;
    save.mutate(patch ?? channelBody({ name: name.trim(), teamId: chosenTeam, kind }, fields, values));
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
        {channel ? (
          <NativeSelect
            label="Kind"
            description="A channel keeps its kind; add a new channel for another."
            data={[{ value: kind, label: CHANNEL_KIND_LABELS[kind] }]}
            value={kind}
            disabled
          />
        ) : (
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
        )}
        {kind === 'slack' && !channel && (
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
          <Stack key={`${kind}-${field.key}`} gap={4}>
            <TextInput
              label={field.label}
              description={
                isSet(field)
                  ? `${field.description} It is set: leave empty to keep the current value.`
                  : field.description
              }
              placeholder={isSet(field) ? undefined : field.placeholder}
              required={required(field)}
              disabled={removed.has(field.key)}
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
            {isSet(field) && !field.required && (
              <Checkbox
                size="xs"
                label={`Remove the ${field.label.toLowerCase()}`}
                checked={removed.has(field.key)}
                onChange={(event) => toggleRemoved(field.key, event.currentTarget.checked)}
              />
            )}
          </Stack>
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
            loading={save.isPending}
            disabled={!chosenTeam || name.trim() === '' || missing || unchanged}
          >
            {channel ? 'Save changes' : 'Add channel'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Adds a channel, or with `channel` edits it: the kind stays, and secrets left empty are kept. */
export function ChannelFormModal({
  opened,
  onClose,
  channel,
}: {
  opened: boolean;
  onClose: () => void;
  channel?: Channel | undefined;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={channel ? `Edit ${channel.name}` : 'New channel'}
      size="lg"
    >
      {opened && <ChannelForm key={channel?.id ?? 'new'} channel={channel} onDone={onClose} />}
    </Modal>
  );
}
