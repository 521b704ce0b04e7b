import { Button, Card, EmptyState, Skeleton, Stack } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconFingerprint, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { isStatus } from '../../../api/client.ts';
import {
  deleteSsoProvider,
  ssoProvidersQuery,
  updateSsoProvider,
  type SsoProvider,
} from '../../../api/sso.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { describeError } from '../../../lib/errors.ts';
import { ProviderCard } from './ProviderCard.tsx';
import { ProviderFormModal } from './ProviderFormModal.tsx';
import { NoticeAlert } from '../../../components/NoticeAlert.tsx';

/** The form, for a new provider or for `provider`; it keeps its provider while it closes, so the title stays. */
interface FormState {
  opened: boolean;
  provider?: SsoProvider;
}

export function SsoPage() {
  const queryClient = useQueryClient();
  const providers = useQuery(ssoProvidersQuery);
  const [form, setForm] = useState<FormState>({ opened: false });
  const [deleting, setDeleting] = useState<SsoProvider | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);

  const toggle = useMutation({
    mutationFn: (input: { provider: SsoProvider; enabled: boolean }) =>
      updateSsoProvider(input.provider.id, { enabled: input.enabled }),
    onMutate: () => setNotice(undefined),
    onSuccess: async (saved) => {
      setNotice(
        saved.enabled
          ? `${saved.displayName} is enabled: the sign-in page offers “Sign in with ${saved.displayName}”.`
          : `${saved.displayName} is disabled: the sign-in page no longer offers it.`,
      );
      await queryClient.invalidateQueries({ queryKey: ['sso'] });
    },
  });
  const remove = useMutation({
    mutationFn: (provider: SsoProvider) => deleteSsoProvider(provider.id),
    onSuccess: async (_nothing, provider) => {
      setDeleting(undefined);
      setNotice(`${provider.displayName} was deleted.`);
      await queryClient.invalidateQueries({ queryKey: ['sso'] });
    },
  });

  if (isStatus(providers.error, 403))
    return <NoAccessPage needs="Only administrators manage single sign-on." error={providers.error} />;

  let body;
  if (providers.isPending) body = <Skeleton height={240} />;
  else if (providers.isError)
    body = (
      <ErrorAlert
        title="Could not load the providers"
        error={providers.error}
        onRetry={() => void providers.refetch()}
      />
    );
  else if (providers.data.length === 0)
    body = (
      <Card withBorder padding="xl">
        <EmptyState
          icon={<IconFingerprint size={28} stroke={1.5} aria-hidden />}
          variant="light"
          title="No single sign-on providers yet"
          description="Add an OpenID Connect provider (Okta, Microsoft Entra ID, Google, Keycloak, Authentik…) so people sign in with their work account, and map their groups to Siaga roles and teams."
        />
      </Card>
    );
  else
    body = (
      <Stack gap="lg">
        {providers.data.map((provider) => (
          <ProviderCard
            key={provider.id}
            provider={provider}
            pendingEnabled={
              toggle.isPending && toggle.variables.provider.id === provider.id
                ? toggle.variables.enabled
                : undefined
            }
            onEnabled={(enabled) => toggle.mutate({ provider, enabled })}
            onEdit={() => setForm({ opened: true, provider })}
            onDelete={() => {
              remove.reset();
              setDeleting(provider);
            }}
          />
        ))}
      </Stack>
    );

  return (
    <>
      <PageHeader
        title="Single sign-on"
        description="OpenID Connect providers people can sign in with, and which of their groups become Siaga roles and team memberships."
        icon={IconFingerprint}
        actions={
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => {
              setNotice(undefined);
              setForm({ opened: true });
            }}
          >
            Add provider
          </Button>
        }
      />
      <NoticeAlert notice={notice} onClose={() => setNotice(undefined)} />
      {toggle.isError && <ErrorAlert title="That change was not saved" error={toggle.error} />}
      {body}
      <ProviderFormModal
        opened={form.opened}
        provider={form.provider}
        onClose={() => setForm((current) => ({ ...current, opened: false }))}
        onSaved={(saved, created) => {
          setForm((current) => ({ ...current, opened: false }));
          setNotice(
            created
              ? `${saved.displayName} was added. Register its redirect URI at the provider if you have not yet.`
              : `${saved.displayName} was saved.`,
          );
        }}
      />
      <ConfirmModal
        opened={deleting !== undefined}
        title={`Delete ${deleting?.displayName ?? ''}?`}
        confirmLabel="Delete provider"
        danger
        pending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : undefined}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(undefined)}
      >
        The sign-in page stops offering it at once. People who signed in with it keep their accounts, but need
        a password or another provider to sign in again. Adding the same issuer back later finds them again.
      </ConfirmModal>
    </>
  );
}
