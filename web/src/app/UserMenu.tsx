import { Avatar, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconChevronDown, IconLogout, IconUserCircle } from '@tabler/icons-react';
import { logout } from '../api/auth.ts';
import { ROLE_LABELS } from '../api/roles.ts';
import { describeError } from '../lib/errors.ts';
import { navigate, useLink } from './router.ts';
import { useCurrentUser } from './session.ts';

/** The header's account button: who is signed in, their profile, and signing out. */
export function UserMenu({ onNavigate }: { onNavigate: () => void }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const profile = useLink('/profile', onNavigate);
  const signOut = useMutation({
    mutationFn: () => logout(queryClient),
    onSuccess: () => navigate('/login', { replace: true }),
  });

  return (
    <Menu position="bottom-end" width={260} shadow="md" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Account: ${user.name}`} className="siaga-user-button">
          <Group gap={8} wrap="nowrap">
            <Avatar size={30} radius="xl" color="initials" name={user.name} aria-hidden />
            <Text size="sm" fw={500} visibleFrom="sm" truncate maw={180}>
              {user.name}
            </Text>
            <IconChevronDown size={14} stroke={1.6} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)" truncate>
            {user.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {user.email}
          </Text>
          <Text size="xs" c="dimmed">
            {ROLE_LABELS[user.role]}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item component="a" {...profile} leftSection={<IconUserCircle size={16} aria-hidden />}>
          Profile
        </Menu.Item>
        <Menu.Item
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => signOut.mutate()}
          closeMenuOnClick={false}
          disabled={signOut.isPending}
        >
          Sign out
        </Menu.Item>
        {signOut.isError && (
          <Text size="xs" c="red" px="sm" pb="xs" role="alert">
            {describeError(signOut.error)}
          </Text>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
