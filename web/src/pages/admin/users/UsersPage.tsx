import {
  Button,
  Card,
  Group,
  SegmentedControl,
  Skeleton,
  Table,
  Text,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconSearch, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { isStatus } from '../../../api/client.ts';
import { ROLE_LABELS, type Role } from '../../../api/roles.ts';
import { setUserActive, updateUser, usersQuery, type User, type UserStatus } from '../../../api/users.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { useCurrentUser } from '../../../app/session.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { describeError } from '../../../lib/errors.ts';
import { CreateUserModal } from './CreateUserModal.tsx';
import { SetPasswordModal } from './SetPasswordModal.tsx';
import { UserRow } from './UserRow.tsx';
import { NoticeAlert } from '../../../components/NoticeAlert.tsx';

type StatusFilter = UserStatus | 'all';

type Change = { kind: 'role'; user: User; role: Role } | { kind: 'active'; user: User; active: boolean };

function describeChange(change: Change): string {
  if (change.kind === 'role') return `${change.user.name} is now ${ROLE_LABELS[change.role]}.`;
  return `${change.user.name} is ${change.active ? 'active again' : 'deactivated; their sessions and tokens stopped working'}.`;
}

export function UsersPage() {
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [status, setStatus] = useState<StatusFilter>('active');
  const [creating, create] = useDisclosure(false);
  const [confirmDeactivate, setConfirmDeactivate] = useState<User | undefined>(undefined);
  const [passwordFor, setPasswordFor] = useState<User | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const users = useQuery({
    ...usersQuery({ ...(status === 'all' ? {} : { status }), ...(q ? { q } : {}) }),
    placeholderData: keepPreviousData,
  });
  const change = useMutation({
    mutationFn: (c: Change) =>
      c.kind === 'role' ? updateUser(c.user.id, { role: c.role }) : setUserActive(c.user.id, c.active),
    onMutate: () => setNotice(undefined),
    onSuccess: async (_user, c) => {
      setConfirmDeactivate(undefined);
      setNotice(describeChange(c));
      await queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });

  if (isStatus(users.error, 403)) {
    return <NoAccessPage needs="Only administrators manage people." error={users.error} />;
  }

  const apply = (c: Change) => {
    if (c.kind === 'active' && !c.active) {
      change.reset();
      setConfirmDeactivate(c.user);
    } else change.mutate(c);
  };

  let body;
  if (users.isPending) body = <Skeleton height={160} />;
  else if (users.isError)
    body = (
      <ErrorAlert
        title="Could not load the people"
        error={users.error}
        onRetry={() => void users.refetch()}
      />
    );
  else if (users.data.length === 0)
    body = (
      <Text c="dimmed" ta="center" py="xl">
        {q ? `Nobody matches “${q}”.` : 'Nobody here.'}
      </Text>
    );
  else
    body = (
      <Table.ScrollContainer minWidth={820} type="native">
        <Table verticalSpacing="sm" highlightOnHover aria-label="People">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Teams</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Last sign-in</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.data.map((user) => (
              <UserRow
                key={user.id}
                user={user}
                self={user.id === me.id}
                timeZone={me.timeZone}
                busy={change.isPending && change.variables.user.id === user.id}
                onRole={(role) => apply({ kind: 'role', user, role })}
                onActive={(active) => apply({ kind: 'active', user, active })}
                onSetPassword={() => setPasswordFor(user)}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who can sign in to Siaga, their role and their teams."
        icon={IconUsers}
        actions={
          <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={create.open}>
            New user
          </Button>
        }
      />
      <Card withBorder padding="md">
        <Group gap="md" mb="md" align="flex-end">
          <TextInput
            label="Search"
            placeholder="Name or email"
            leftSection={<IconSearch size={16} aria-hidden />}
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
            style={{ flex: '1 1 220px' }}
            type="search"
          />
          <div>
            <Text component="span" size="sm" fw={500} display="block" mb={4} id="user-status-label">
              Status
            </Text>
            <SegmentedControl
              aria-labelledby="user-status-label"
              value={status}
              onChange={setStatus}
              data={[
                { value: 'active', label: 'Active' },
                { value: 'deactivated', label: 'Deactivated' },
                { value: 'all', label: 'All' },
              ]}
            />
          </div>
        </Group>
        <NoticeAlert notice={notice} onClose={() => setNotice(undefined)} />
        {change.isError && confirmDeactivate === undefined && (
          <ErrorAlert title="That change was not saved" error={change.error} />
        )}
        {body}
      </Card>
      <CreateUserModal
        opened={creating}
        onClose={create.close}
        onCreated={(user) => {
          create.close();
          setNotice(
            user.hasPassword
              ? `${user.name} can now sign in as ${ROLE_LABELS[user.role]} with the initial password.`
              : `${user.name} was added as ${ROLE_LABELS[user.role]}; they have no password yet.`,
          );
        }}
      />
      <SetPasswordModal user={passwordFor} onClose={() => setPasswordFor(undefined)} />
      <ConfirmModal
        opened={confirmDeactivate !== undefined}
        title={`Deactivate ${confirmDeactivate?.name ?? ''}?`}
        confirmLabel="Deactivate"
        danger
        pending={change.isPending}
        error={change.isError ? describeError(change.error) : undefined}
        onConfirm={() =>
          confirmDeactivate && change.mutate({ kind: 'active', user: confirmDeactivate, active: false })
        }
        onClose={() => setConfirmDeactivate(undefined)}
      >
        They can no longer sign in, and their sessions and API tokens stop working at once. Their history
        stays. You can reactivate them later.
      </ConfirmModal>
    </>
  );
}
