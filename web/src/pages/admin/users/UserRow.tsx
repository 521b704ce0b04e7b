import { ActionIcon, Badge, Group, Menu, Stack, Table, Text } from '@mantine/core';
import { IconDots, IconKey, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { ROLE_LABELS, type Role } from '../../../api/roles.ts';
import type { User } from '../../../api/users.ts';
import { RoleBadge } from '../../../components/RoleBadge.tsx';
import { RoleSelect } from '../../../components/RoleSelect.tsx';
import { Time } from '../../../components/Time.tsx';

interface UserRowProps {
  user: User;
  self: boolean;
  timeZone: string;
  busy: boolean;
  onRole: (role: Role) => void;
  onActive: (active: boolean) => void;
  onSetPassword: () => void;
}

export function UserRow({ user, self, timeZone, busy, onRole, onActive, onSetPassword }: UserRowProps) {
  const active = user.status === 'active';
  return (
    <Table.Tr data-user-id={user.id} aria-label={user.name}>
      <Table.Td>
        <Stack gap={0}>
          <Text size="sm" fw={500}>
            {user.name}
            {self && (
              <Text span c="dimmed" size="sm">
                {' '}
                (you)
              </Text>
            )}
          </Text>
          <Text size="xs" c="dimmed">
            {user.email}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td>
        {self ? (
          <RoleBadge role={user.role} />
        ) : (
          <RoleSelect
            aria-label={`Role of ${user.name}`}
            size="xs"
            w={140}
            value={user.role}
            onChange={onRole}
            disabled={busy || !active}
          />
        )}
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {user.teams.length === 0 && (
            <Text size="sm" c="dimmed">
              —
            </Text>
          )}
          {user.teams.map((team) => (
            <Badge key={team.teamId} variant="default" tt="none" fw={500} size="sm">
              {team.teamName} · {ROLE_LABELS[team.role]}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td>
        <Badge color={active ? 'green' : 'gray'} variant="light" tt="none">
          {active ? 'Active' : 'Deactivated'}
        </Badge>
      </Table.Td>
      <Table.Td fz="sm">
        {user.lastLoginAt ? (
          <Time iso={user.lastLoginAt} timeZone={timeZone} short />
        ) : (
          <Text c="dimmed" size="sm">
            Never
          </Text>
        )}
      </Table.Td>
      <Table.Td ta="right">
        {!self && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={`Actions for ${user.name}`}
                loading={busy}
              >
                <IconDots size={18} aria-hidden />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item
                leftSection={<IconKey size={16} aria-hidden />}
                onClick={onSetPassword}
                disabled={!active}
              >
                Set password
              </Menu.Item>
              {active ? (
                <Menu.Item
                  color="red"
                  leftSection={<IconUserOff size={16} aria-hidden />}
                  onClick={() => onActive(false)}
                >
                  Deactivate
                </Menu.Item>
              ) : (
                <Menu.Item
                  leftSection={<IconUserCheck size={16} aria-hidden />}
                  onClick={() => onActive(true)}
                >
                  Reactivate
                </Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
