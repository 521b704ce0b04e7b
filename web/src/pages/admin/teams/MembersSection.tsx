import { ActionIcon, Badge, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconUserMinus } from '@tabler/icons-react';
import { useState } from 'react';
import type { Role } from '../../../api/roles.ts';
import { removeTeamMember, setTeamMember, type Team, type TeamMember } from '../../../api/teams.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { RoleSelect } from '../../../components/RoleSelect.tsx';
import { Section } from '../../../components/Section.tsx';
import { describeError } from '../../../lib/errors.ts';
import { AddMemberForm } from './AddMemberForm.tsx';

/** The team's people and their team roles: add, change role, remove. */
export function MembersSection({ team }: { team: Team }) {
  const queryClient = useQueryClient();
  const [removing, setRemoving] = useState<TeamMember | undefined>(undefined);
  const saved = async (updated: Team) => {
    queryClient.setQueryData(['teams', 'one', team.id], updated);
    await queryClient.invalidateQueries({ queryKey: ['teams', 'list'] });
    await queryClient.invalidateQueries({ queryKey: ['users'] });
  };
  const changeRole = useMutation({
    mutationFn: (input: { userId: string; role: Role }) => setTeamMember(team.id, input.userId, input.role),
    onSuccess: saved,
  });
  const remove = useMutation({
    mutationFn: (userId: string) => removeTeamMember(team.id, userId),
    onSuccess: async (updated) => {
      setRemoving(undefined);
      await saved(updated);
    },
  });

  return (
    <Section
      id="team-members"
      title="Members"
      description="A member's team role applies to this team's services, schedules and incidents, whatever their role elsewhere."
    >
      <AddMemberForm team={team} />
      {changeRole.isError && <ErrorAlert title="The role was not changed" error={changeRole.error} />}
      {team.members.length === 0 ? (
        <Text c="dimmed" size="sm">
          No members yet.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={300} type="native">
          <Table verticalSpacing="sm" horizontalSpacing="xs" aria-label="Members">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Team role</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {team.members.map((member) => (
                <Table.Tr key={member.userId} aria-label={member.name}>
                  <Table.Td>
                    <Stack gap={0}>
                      <Text size="sm" fw={500}>
                        {member.name}{' '}
                        {!member.active && (
                          <Badge size="xs" color="gray" variant="light" tt="none">
                            Deactivated
                          </Badge>
                        )}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {member.email}
                      </Text>
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    <RoleSelect
                      aria-label={`Team role of ${member.name}`}
                      size="xs"
                      w={124}
                      value={member.role}
                      disabled={changeRole.isPending && changeRole.variables.userId === member.userId}
                      onChange={(role) => changeRole.mutate({ userId: member.userId, role })}
                    />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Tooltip label="Remove from the team" openDelay={400}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Remove ${member.name}`}
                        onClick={() => {
                          remove.reset();
                          setRemoving(member);
                        }}
                      >
                        <IconUserMinus size={18} aria-hidden />
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ConfirmModal
        opened={removing !== undefined}
        title={`Remove ${removing?.name ?? ''} from ${team.name}?`}
        confirmLabel="Remove"
        danger
        pending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : undefined}
        onConfirm={() => removing && remove.mutate(removing.userId)}
        onClose={() => setRemoving(undefined)}
      >
        They lose their team role here at once. Their account and their history stay.
      </ConfirmModal>
    </Section>
  );
}
