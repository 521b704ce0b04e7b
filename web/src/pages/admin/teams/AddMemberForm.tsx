import { Button, Group, Select } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconUserPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { Role } from '../../../api/roles.ts';
import { setTeamMember, type Team } from '../../../api/teams.ts';
import { usersQuery } from '../../../api/users.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { RoleSelect } from '../../../components/RoleSelect.tsx';

/** Picks an active person who is not yet in the team, and their role in it. */
export function AddMemberForm({ team }: { team: Team }) {
  const queryClient = useQueryClient();
  const people = useQuery(usersQuery({ status: 'active' }));
  const [userId, setUserId] = useState<string | null>(null);
  const [role, setRole] = useState<Role>('responder');
  const add = useMutation({
    mutationFn: (input: { userId: string; role: Role }) => setTeamMember(team.id, input.userId, input.role),
    onSuccess: async (updated) => {
      setUserId(null);
      queryClient.setQueryData(['teams', 'one', team.id], updated);
      await queryClient.invalidateQueries({ queryKey: ['teams', 'list'] });
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });

  const inTeam = new Set(team.members.map((member) => member.userId));
  const candidates = (people.data ?? [])
    .filter((person) => !inTeam.has(person.id))
    .map((person) => ({ value: person.id, label: `${person.name} (${person.email})` }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (userId) add.mutate({ userId, role });
  };

  return (
    <form onSubmit={submit} aria-label="Add a member">
      <Group align="flex-end" gap="sm" mb="md">
        <Select
          label="Person"
          placeholder={people.isPending ? 'Loading people…' : 'Search by name or email'}
          searchable
          clearable
          data={candidates}
          value={userId}
          onChange={setUserId}
          nothingFoundMessage={people.data ? 'Nobody else to add' : 'Loading…'}
          style={{ flex: '1 1 260px' }}
        />
        <RoleSelect label="Team role" value={role} onChange={setRole} w={160} />
        <Button
          type="submit"
          leftSection={<IconUserPlus size={16} aria-hidden />}
          disabled={!userId}
          loading={add.isPending}
        >
          Add member
        </Button>
      </Group>
      {people.isError && <ErrorAlert title="Could not load the people to add" error={people.error} />}
      {add.isError && <ErrorAlert title="Could not add the member" error={add.error} />}
    </form>
  );
}
