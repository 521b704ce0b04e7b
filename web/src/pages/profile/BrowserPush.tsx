import { Alert, Button, Code, Skeleton, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconBell, IconBellOff, IconInfoCircle } from '@tabler/icons-react';
import {
  createContactMethod,
  renewPushSubscription,
  webPushQuery,
  type ContactMethod,
} from '../../api/response.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { FormAlert } from '../../components/FormAlert.tsx';
import { Time } from '../../components/Time.tsx';
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

/** Whether push is set up on the server, whether this browser can do it, and this browser's subscription. */
function useBrowserPush() {
  const setup = useQuery(webPushQuery);
  const support = pushSupport();
  const current = useQuery({
    queryKey: SUBSCRIPTION_KEY,
    queryFn: currentSubscriptionEndpoint,
    enabled: support === 'supported',
  });
  return { setup, support, current };
}

/**
 * "Enable push on this browser": subscribes with the operator's VAPID key and adds the subscription as a contact
 * method; its code then arrives as a notification, and is entered in the method's card like any other.
 */
export function BrowserPush({ methods }: { methods: readonly ContactMethod[] }) {
  const queryClient = useQueryClient();
  const { setup, support, current } = useBrowserPush();
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
  const expired = methods.filter((m) => m.kind === 'push' && m.expired);
  const blocked = Notification.permission === 'denied';
  return (
    <Stack gap="xs" data-testid="browser-push">
      {mine ? (
        <Text size="sm" role="status">
          {mine.expired
            ? `This browser is “${mine.name}”, which stopped accepting notifications: re-enable push in that card above.`
            : mine.verified
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
          {expired.length > 0 && (
            <Text size="sm" c="dimmed">
              If this browser is {expired.map((m) => `“${m.name}”`).join(' or ')}, which stopped accepting
              notifications, re-enable push in its card above instead: it keeps its notification rules.
            </Text>
          )}
        </>
      )}
      <FormAlert message={enable.isError ? describeError(enable.error) : undefined} />
    </Stack>
  );
}

/**
 * On the card of a push method the server stopped paging (its push service answered 404/410): says so, and offers
 * "Re-enable push from this browser", which makes a fresh subscription here and points the same method at it (the
 * renewal the service worker makes on `pushsubscriptionchange`): verified still, its rules kept, no duplicate.
 */
export function ExpiredPush({
  method,
  methods,
  timeZone,
}: {
  method: ContactMethod;
  methods: readonly ContactMethod[];
  timeZone: string;
}) {
  const queryClient = useQueryClient();
  const { setup, support, current } = useBrowserPush();
  const reenable = useMutation({
    mutationFn: async (publicKey: string) => {
      // The push service said the method's subscription is gone, so this browser subscribes afresh even when it
      // still holds one (it may be that very subscription, or a stale one).
      const subscription = await subscribeThisBrowser(publicKey, { fresh: true });
      return renewPushSubscription({ oldEndpoint: method.address, ...subscription });
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['me'] }),
        queryClient.invalidateQueries({ queryKey: SUBSCRIPTION_KEY }),
      ]),
  });
  const endpoint = current.data ?? null;
  // This browser already pages the person as another, working method: subscribing afresh would end that one.
  const other = endpoint
    ? methods.find(
        (m) => m.kind === 'push' && m.id !== method.id && !m.expired && sameEndpoint(m.address, endpoint),
      )
    : undefined;
  const publicKey = setup.data?.enabled ? setup.data.publicKey : null;
  const othersPaged = methods.some((m) => m.id !== method.id && m.verified && !m.disabled && !m.expired);
  return (
    <Alert
      mt="xs"
      color="red"
      variant="light"
      icon={<IconBellOff aria-hidden />}
      title="This browser stopped accepting notifications"
      data-testid="push-expired"
    >
      <Stack gap="xs">
        <Text size="sm">
          {method.expiredAt && (
            <>
              On <Time iso={method.expiredAt} timeZone={timeZone} short />,{' '}
            </>
          )}
          {method.expiredReason ?? 'the push service said the subscription is gone'}. Pages no longer go here;{' '}
          {othersPaged
            ? 'your other contact methods are still paged.'
            : 'no other contact method of yours is paged, so a page cannot reach you.'}{' '}
          Re-enable push from the browser it was, or delete it.
        </Text>
        {support !== 'supported' || publicKey === null ? (
          <Text size="sm" c="dimmed">
            {support !== 'supported'
              ? 'Push cannot be enabled from this browser.'
              : 'Web push is not set up on this server.'}
          </Text>
        ) : other ? (
          <Text size="sm" c="dimmed">
            This browser already gets pushes as “{other.name}”: re-enable “{method.name}” from its own
            browser, or delete it.
          </Text>
        ) : (
          <div>
            <Button
              size="compact-sm"
              variant="default"
              leftSection={<IconBell size={14} aria-hidden />}
              loading={reenable.isPending}
              disabled={Notification.permission === 'denied'}
              onClick={() => reenable.mutate(publicKey)}
            >
              Re-enable push from this browser
            </Button>
          </div>
        )}
        <FormAlert message={reenable.isError ? describeError(reenable.error) : undefined} />
      </Stack>
    </Alert>
  );
}
