import { Alert, Button, EmptyState, Group, Modal, Skeleton, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconPlugConnected, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import {
  addSigningSecret,
  deleteIntegration,
  integrationsQuery,
  rotateIntegrationKey,
  type Integration,
  type IssuedKey,
  type IssuedSigningSecret,
} from '../../../api/catalog.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { CopyableCode } from '../../../components/alerting/CopyableCode.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Section } from '../../../components/Section.tsx';
import { describeError } from '../../../lib/errors.ts';
import { useNow } from '../../../lib/useNow.ts';
import { AddIntegrationModal } from './AddIntegrationModal.tsx';
import { IntegrationsTable, type IntegrationAction } from './IntegrationsTable.tsx';
import { KeyReveal } from './KeyReveal.tsx';

type Revealed = { kind: 'key'; issued: IssuedKey } | { kind: 'secret'; issued: IssuedSigningSecret };

const CONFIRM: Record<IntegrationAction, { title: string; label: string; text: string }> = {
  rotate: {
    title: 'Rotate the key?',
    label: 'Rotate key',
    text: 'The current key stops working at once: senders using it are refused until you give them the new one.',
  },
  secret: {
    title: 'Add a signing secret?',
    label: 'Add secret',
    text: 'Senders may sign with the new secret; the previous one stays valid until you clear it, so you can switch over.',
  },
  delete: {
    title: 'Delete this integration?',
    label: 'Delete integration',
    text: 'Its key stops working at once. Alerts it already delivered stay.',
  },
};

function SecretReveal({ issued, onDone }: { issued: IssuedSigningSecret; onDone: () => void }) {
  return (
    <Stack gap="md">
      <Alert
        color="orange"
        variant="light"
        icon={<IconAlertTriangle aria-hidden />}
        title="Copy it now: it won't be shown again"
        role="status"
      >
        The sender signs each request with this secret (HMAC-SHA256). Siaga stores it sealed and never shows
        it again.
      </Alert>
      <CopyableCode label="Signing secret" value={issued.signingSecret} testId="signing-secret" />
      <Group justify="flex-end">
        <Button onClick={onDone}>I have copied it</Button>
      </Group>
    </Stack>
  );
}

/** The ways alerts reach the service: add one (its key shown once), rotate its key, add a signing secret, delete. */
export function IntegrationsSection({ serviceId, manageable }: { serviceId: string; manageable: boolean }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const integrations = useQuery(integrationsQuery(serviceId));
  const now = useNow(30_000);
  const [adding, add] = useDisclosure(false);
  const [pending, setPending] = useState<
    { action: IntegrationAction; integration: Integration } | undefined
  >();
  const [revealed, setRevealed] = useState<Revealed | undefined>(undefined);
  const act = useMutation({
    mutationFn: async ({ action, integration }: { action: IntegrationAction; integration: Integration }) => {
      switch (action) {
        case 'rotate':
          return { kind: 'key', issued: await rotateIntegrationKey(integration.id) } as const;
        case 'secret':
          return { kind: 'secret', issued: await addSigningSecret(integration.id) } as const;
        case 'delete':
          await deleteIntegration(integration.id);
          return undefined;
      }
    },
    onSuccess: async (result) => {
      setPending(undefined);
      if (result) setRevealed(result);
      await queryClient.invalidateQueries({ queryKey: ['services', 'integrations', serviceId] });
    },
  });

  let body;
  if (integrations.isPending) body = <Skeleton height={80} />;
  else if (integrations.isError)
    body = (
      <ErrorAlert
        title="Could not load the integrations"
        error={integrations.error}
        onRetry={() => void integrations.refetch()}
      />
    );
  else if (integrations.data.length === 0)
    body = (
      <EmptyState
        icon={<IconPlugConnected size={28} stroke={1.5} aria-hidden />}
        variant="light"
        title="No integrations yet"
        description="Add one to get a URL and a key for Prometheus, Alertmanager, PagerDuty clients, webhooks or email."
      />
    );
  else
    body = (
      <IntegrationsTable
        integrations={integrations.data}
        now={now}
        timeZone={user.timeZone}
        {...(manageable
          ? {
              onAction: (action: IntegrationAction, integration: Integration) => {
                act.reset();
                setPending({ action, integration });
              },
            }
          : {})}
      />
    );

  const confirm = pending ? CONFIRM[pending.action] : undefined;
  return (
    <Section
      id="service-integrations"
      title="Integrations"
      description="Each has its own key; senders put it in the URL or send it as a bearer token."
      actions={
        manageable && (
          <Button variant="light" leftSection={<IconPlus size={16} aria-hidden />} onClick={add.open}>
            Add integration
          </Button>
        )
      }
    >
      {body}
      <AddIntegrationModal opened={adding} serviceId={serviceId} onClose={add.close} />
      <ConfirmModal
        opened={pending !== undefined}
        title={confirm?.title ?? ''}
        confirmLabel={confirm?.label ?? ''}
        danger={pending?.action !== 'secret'}
        pending={act.isPending}
        error={act.isError ? describeError(act.error) : undefined}
        onConfirm={() => pending && act.mutate(pending)}
        onClose={() => setPending(undefined)}
      >
        “{pending?.integration.name}”: {confirm?.text}
      </ConfirmModal>
      <Modal
        opened={revealed !== undefined}
        onClose={() => setRevealed(undefined)}
        title={revealed?.kind === 'secret' ? 'The new signing secret' : 'The new integration key'}
        size="xl"
        closeOnClickOutside={false}
      >
        {revealed?.kind === 'key' && (
          <KeyReveal issued={revealed.issued} onDone={() => setRevealed(undefined)} />
        )}
        {revealed?.kind === 'secret' && (
          <SecretReveal issued={revealed.issued} onDone={() => setRevealed(undefined)} />
        )}
      </Modal>
    </Section>
  );
}
