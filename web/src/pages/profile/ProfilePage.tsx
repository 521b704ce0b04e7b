import { Stack } from '@mantine/core';
import { IconUserCircle } from '@tabler/icons-react';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useCurrentUser } from '../../app/session.ts';
import { TokensSection } from '../../components/tokens/TokensSection.tsx';
import { DetailsSection } from './DetailsSection.tsx';
import { NotificationsSection } from './NotificationsSection.tsx';
import { PasswordSection } from './PasswordSection.tsx';

export function ProfilePage() {
  const user = useCurrentUser();
  return (
    <>
      <PageHeader title="Profile" description={`Signed in as ${user.email}.`} icon={IconUserCircle} />
      <Stack gap="lg">
        {/* Keyed by user id: a different person signing in gets fresh form state. */}
        <DetailsSection key={`details-${user.id}`} user={user} />
        <PasswordSection key={`password-${user.id}`} user={user} />
        <NotificationsSection key={`notifications-${user.id}`} user={user} />
        <TokensSection
          id="profile-tokens"
          title="Personal API tokens"
          description="Tokens act as you, narrowed to their scopes: for scripts, the CLI and integrations. Revoke any you no longer use."
          kind="personal"
          maxRole={user.role}
        />
      </Stack>
    </>
  );
}
