import { Button, Card, EmptyState, Text } from '@mantine/core';
import { IconArrowLeft, IconLock } from '@tabler/icons-react';
import { ApiError } from '../api/client.ts';
import { ROLE_LABELS } from '../api/roles.ts';
import { PageHeader } from '../app/PageHeader.tsx';
import { useLink } from '../app/router.ts';
import { useCurrentUser } from '../app/session.ts';
import { sentence } from '../lib/errors.ts';

interface NoAccessPageProps {
  /** Who may open the page, e.g. "Only administrators manage people." */
  needs?: string;
  /** The server's refusal (403), whose reason is shown. */
  error?: unknown;
}

/** What a page shows instead of itself when the person's role does not allow it — never a crash or an empty table. */
export function NoAccessPage({ needs, error }: NoAccessPageProps) {
  const detail = error instanceof ApiError ? error.detail : undefined;
  const user = useCurrentUser();
  const home = useLink('/');
  return (
    <>
      <PageHeader title="You do not have access to this page" />
      <Card withBorder padding="xl" role="alert">
        <EmptyState
          icon={<IconLock size={28} stroke={1.5} aria-hidden />}
          variant="light"
          color="gray"
          title="No access"
          description={
            <>
              {needs ?? 'Your role does not allow this page.'} You are signed in as {user.name} (
              {ROLE_LABELS[user.role]}). If you need it, ask an administrator.
            </>
          }
        >
          {detail !== undefined && (
            <Text size="sm" c="dimmed" mt="xs">
              The server said: {sentence(detail)}
            </Text>
          )}
          <Button
            component="a"
            {...home}
            variant="light"
            mt="md"
            leftSection={<IconArrowLeft size={16} aria-hidden />}
          >
            Back to the overview
          </Button>
        </EmptyState>
      </Card>
    </>
  );
}
