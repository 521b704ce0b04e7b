import { Badge, Button, Card, EmptyState, Group, Skeleton, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconLock, IconPencil, IconPlus, IconSpeakerphone, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { isStatus } from '../../../api/client.ts';
import { CHANNEL_KIND_LABELS, channelsQuery, deleteChannel, type Channel } from '../../../api/response.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { useCurrentUser } from '../../../app/session.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { IconAction } from '../../../components/IconAction.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { adminsAnyTeam, canAdminTeam } from '../../../components/response/permissions.ts';
import { usePeople } from '../../../components/response/usePeople.ts';
import { describeError } from '../../../lib/errors.ts';
import { ChannelFormModal, secretLabel } from './ChannelFormModal.tsx';

/** The settings that may be shown: the address, a Slack channel id, extra header names. */
function shownSettings(channel: Channel): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(channel.config)) {
    if (key === 'headers' && typeof value === 'object' && value !== null)
      parts.push(`headers: ${Object.keys(value).join(', ')}`);
    else if (typeof value === 'string') parts.push(key === 'address' ? value : `${key}: ${value}`);
  }
  return parts.join(' · ') || '—';
}

export function ChannelsPage() {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const channels = useQuery(channelsQuery);
  const people = usePeople();
  const [creating, create] = useDisclosure(false);
  // The channel stays set while the modal closes, so its title does not flip to another during the fade.
  const [editing, setEditing] = useState<Channel | undefined>();
  const [editOpen, edit] = useDisclosure(false);
  const [removing, setRemoving] = useState<Channel | undefined>();
  const remove = useMutation({
    mutationFn: (channel: Channel) => deleteChannel(channel.id),
    onSuccess: async () => {
      setRemoving(undefined);
      await queryClient.invalidateQueries({ queryKey: ['channels'] });
    },
  });
  const teamName = (id: string) => people.teams.find((team) => team.id === id)?.name ?? id;

  if (isStatus(channels.error, 403)) return <NoAccessPage error={channels.error} />;
  let body;
  if (channels.isPending) body = <Skeleton height={160} />;
  else if (channels.isError)
    body = (
      <ErrorAlert
        title="Could not load the channels"
        error={channels.error}
        onRetry={() => void channels.refetch()}
      />
    );
  else if (channels.data.length === 0)
    body = (
      <EmptyState
        icon={<IconSpeakerphone size={28} stroke={1.5} aria-hidden />}
        variant="light"
        title="No channels yet"
        description="A channel is a shared place to notify: a Slack or Teams channel, a webhook, a group chat. Escalation policies page it."
      />
    );
  else
    body = (
      <Table.ScrollContainer minWidth={720} type="native">
        <Table verticalSpacing="sm" aria-label="Channels">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Channel</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Team</Table.Th>
              <Table.Th>Settings</Table.Th>
              <Table.Th>Secrets</Table.Th>
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...channels.data]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((channel) => (
                <Table.Tr key={channel.id} data-channel-id={channel.id}>
                  <Table.Td fw={500}>
                    {channel.name}
                    {channel.declared && (
                      <Badge ml="xs" size="sm" variant="default" tt="none" fw={500}>
                        Config file
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td fz="sm">{CHANNEL_KIND_LABELS[channel.kind]}</Table.Td>
                  <Table.Td fz="sm">{teamName(channel.teamId)}</Table.Td>
                  <Table.Td fz="sm" style={{ overflowWrap: 'anywhere' }}>
                    {shownSettings(channel)}
                  </Table.Td>
                  <Table.Td>
                    {channel.secretKeys.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        None
                      </Text>
                    ) : (
                      <Group gap={4}>
                        {channel.secretKeys.map((key) => (
                          <Badge
                            key={key}
                            size="sm"
                            variant="default"
                            tt="none"
                            leftSection={<IconLock size={10} aria-hidden />}
                          >
                            {secretLabel(key)} set
                          </Badge>
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {canAdminTeam(user, channel.teamId) && !channel.declared && (
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        <IconAction
                          label="Edit"
                          ariaLabel={`Edit ${channel.name}`}
                          icon={IconPencil}
                          onClick={() => {
                            setEditing(channel);
                            edit.open();
                          }}
                        />
                        <IconAction
                          label="Delete"
                          ariaLabel={`Delete ${channel.name}`}
                          icon={IconTrash}
                          color="red"
                          onClick={() => {
                            remove.reset();
                            setRemoving(channel);
                          }}
                        />
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );

  return (
    <>
      <PageHeader
        title="Channels"
        description="Shared places to notify, used as escalation targets: chat channels, webhooks, group mailboxes. Their secrets are write-only."
        icon={IconSpeakerphone}
        color="red"
        actions={
          adminsAnyTeam(user) && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={create.open}>
              New channel
            </Button>
          )
        }
      />
      <Card withBorder padding="md">
        {body}
      </Card>
      <ChannelFormModal opened={creating} onClose={create.close} />
      <ChannelFormModal opened={editOpen && editing !== undefined} channel={editing} onClose={edit.close} />
      <ConfirmModal
        opened={removing !== undefined}
        title={`Delete ${removing?.name ?? 'the channel'}?`}
        confirmLabel="Delete channel"
        danger
        pending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : undefined}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => setRemoving(undefined)}
      >
        Its sealed secrets are deleted with it. Siaga refuses while an escalation policy pages it.
      </ConfirmModal>
    </>
  );
}
