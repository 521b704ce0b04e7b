import { Alert, Button, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { IconAlertTriangle, IconPlus, IconSend } from '@tabler/icons-react';
import { useState } from 'react';
import { notificationSetupQuery, startDrill } from '../../api/response.ts';
import type { User } from '../../api/users.ts';
import { canRespond } from '../../components/alerting/permissions.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { LiveDrillResult } from '../../components/response/DrillResult.tsx';
import { Section } from '../../components/Section.tsx';
import { AddContactMethodModal } from './AddContactMethodModal.tsx';
import { BrowserPush } from './BrowserPush.tsx';
import { ContactMethodCard } from './ContactMethodCard.tsx';
import { NotificationRules } from './NotificationRules.tsx';

/** "Send me a test page": a test message to each verified method, by the real path. */
function TestPage({ user }: { user: User }) {
  const [drillId, setDrillId] = useState<string | undefined>();
  const drill = useMutation({
    mutationFn: () => startDrill({ userId: user.id }),
    onSuccess: (result) => setDrillId(result.id),
  });
  return (
    <Stack gap="sm">
      <div>
        <Button
          variant="default"
          leftSection={<IconSend size={16} aria-hidden />}
          loading={drill.isPending}
          onClick={() => drill.mutate()}
        >
          Send me a test page
        </Button>
      </div>
      {drill.isError && <ErrorAlert title="Could not send a test page" error={drill.error} />}
      {drillId && <LiveDrillResult key={drillId} drillId={drillId} timeZone={user.timeZone} />}
    </Stack>
  );
}

/** How pages reach the person: contact methods (verified by a code), rules per urgency, and a test page. */
export function NotificationsSection({ user }: { user: User }) {
  const setup = useQuery(notificationSetupQuery);
  const [adding, add] = useDisclosure(false);
  return (
    <Section
      id="profile-notifications"
      title="Notifications"
      description="How pages reach you: your contact methods, and when each one is used."
      actions={
        <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={add.open}>
          Add contact method
        </Button>
      }
    >
      {setup.isPending ? (
        <Skeleton height={120} />
      ) : setup.isError ? (
        <ErrorAlert
          title="Could not load your notification settings"
          error={setup.error}
          onRetry={() => void setup.refetch()}
        />
      ) : (
        <Stack gap="lg">
          {setup.data.warnings.map((w) => (
            <Alert
              key={`${w.code}:${w.message}`}
              color={w.code === 'no_verified_method' ? 'red' : 'yellow'}
              variant="light"
              icon={<IconAlertTriangle aria-hidden />}
              data-warning={w.code}
            >
              {w.message}
            </Alert>
          ))}
          <div>
            <Title order={3} size="h5" mb="xs">
              Contact methods
            </Title>
            {setup.data.contactMethods.length === 0 ? (
              <Text size="sm" c="dimmed">
                None yet.
              </Text>
            ) : (
              <Stack
                gap="xs"
                component="ul"
                aria-label="Contact methods"
                style={{ listStyle: 'none', padding: 0, margin: 0 }}
              >
                {setup.data.contactMethods.map((method) => (
                  <ContactMethodCard
                    key={method.id}
                    method={method}
                    methods={setup.data.contactMethods}
                    timeZone={user.timeZone}
                  />
                ))}
              </Stack>
            )}
          </div>
          <div>
            <Title order={3} size="h5" mb="xs">
              Push on this browser
            </Title>
            <BrowserPush methods={setup.data.contactMethods} />
          </div>
          <div>
            <Title order={3} size="h5" mb="xs">
              Notification rules
            </Title>
            <NotificationRules setup={setup.data} />
          </div>
          {canRespond(user) && (
            <div>
              <Title order={3} size="h5" mb="xs">
                Test
              </Title>
              <TestPage user={user} />
            </div>
          )}
        </Stack>
      )}
      <AddContactMethodModal opened={adding} onClose={add.close} />
    </Section>
  );
}
