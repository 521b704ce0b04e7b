import { Alert, Button, Code, Skeleton, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconBell, IconInfoCircle } from '@tabler/icons-react';
import { createContactMethod, webPushQuery, type ContactMethod } from '../../api/response.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormAlert } from '../../components/FormAlert.tsx';
import { describeError } from '../../lib/errors.ts';
import {
  browserName,
  currentSubscriptionEndpoint,
  pushSupport,
  sameEndpoint,
  subscribeThisBrowser,
} from './browserPush.ts';

const SUBSCRIPTION_KEY = ['browser', 'push-subscription'];

function PushOff() {
  return (
    <Alert color="gray" variant="light" icon={<IconInfoCircle aria-hidden />} data-testid="web-push-off">
      Web push is not set up on this server. An operator must create VAPID keys once with{' '}
      <Code>siaga vapid-keys</Code> and set them as <Code>notify.webPush.publicKey</Code> and{' '}
      <Code>notify.webPush.privateKey</Code> (see docs/operations/channels.md, “Web Push”).
    </Alert>
  );
}

/**
 * "Enable push on this browser": subscribes with the operator's VAPID key and adds the subscription as a contact
 * method; its code then arrives as a notification, and is entered in the method's card like any other.
 */
export function BrowserPush({ methods }: { methods: readonly ContactMethod[] }) {
  const queryClient = useQueryClient();
  const setup = useQuery(webPushQuery);
  const support = pushSupport();
  const current = useQuery({
    queryKey: SUBSCRIPTION_KEY,
    queryFn: currentSubscriptionEndpoint,
    enabled: support === 'supported',
  });
  const enable = useMutation({
    mutationFn: async (publicKey: string) => {
      const subscription = await subscribeThisBrowser(publicKey);
      return createContactMethod({
        kind: 'push',
        name: browserName(navigator.userAgent),
        address: subscription.endpoint,
        keys: subscription.keys,
      });
    },
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['me'] }),
        queryClient.invalidateQueries({ queryKey: SUBSCRIPTION_KEY }),
      ]);
    },
    // A subscription may have been made before the server refused it: look again either way.
    onError: () => queryClient.invalidateQueries({ queryKey: SUBSCRIPTION_KEY }),
  });

  if (setup.isPending) return <Skeleton height={36} />;
  if (setup.isError)
    return (
      <ErrorAlert
        title="Could not find out whether web push is on"
        error={setup.error}
        onRetry={() => void setup.refetch()}
      />
    );
  const publicKey = setup.data.publicKey;
  if (!setup.data.enabled || publicKey === null) return <PushOff />;
  if (support === 'insecure')
    return (
      <Text size="sm" c="dimmed">
        Browsers allow push only on pages served over https (or from localhost); open Siaga at its https
        address to enable it here.
      </Text>
    );
  if (support === 'unsupported')
    return (
      <Text size="sm" c="dimmed">
        This browser cannot receive web push.
      </Text>
    );

  const endpoint = current.data ?? null;
  const mine = endpoint
    ? methods.find((m) => m.kind === 'push' && sameEndpoint(m.address, endpoint))
    : undefined;
  const blocked = Notification.permission === 'denied';
  return (
    <Stack gap="xs" data-testid="browser-push">
      {mine ? (
        <Text size="sm" role="status">
          {mine.verified
            ? `This browser gets pushes as “${mine.name}”.`
            : `This browser is “${mine.name}”, not verified yet: enter the code pushed to it in that card above.`}
        </Text>
      ) : (
        <>
          <Text size="sm" c="dimmed">
            Pages appear as notifications with Acknowledge and Resolve buttons, even when no Siaga tab is
            open.
          </Text>
          <div>
            <Button
              variant="default"
              leftSection={<IconBell size={16} aria-hidden />}
              loading={enable.isPending}
              disabled={blocked}
              onClick={() => enable.mutate(publicKey)}
            >
              Enable push on this browser
            </Button>
          </div>
          {blocked && (
            <Text size="sm" c="red">
              Notifications are blocked for this site. Allow them in the browser’s site settings first.
            </Text>
          )}
        </>
      )}
      <FormAlert message={enable.isError ? describeError(enable.error) : undefined} />
    </Stack>
  );
}
