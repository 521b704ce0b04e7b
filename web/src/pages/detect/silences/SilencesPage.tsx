import { Button, Card, EmptyState, Group, Skeleton, Stack, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconBellOff, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import {
  expireSilence,
  formatMatcher,
  silencesQuery,
  type Silence,
  type SilenceState,
} from '../../../api/alerting.ts';
import { isStatus } from '../../../api/client.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { useCurrentUser } from '../../../app/session.ts';
import { ChoiceControl } from '../../../components/alerting/ChoiceControl.tsx';
import { canRespond } from '../../../components/alerting/permissions.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { describeError } from '../../../lib/errors.ts';
import { useNow } from '../../../lib/useNow.ts';
import { SilenceFormModal, type SilenceDraft } from './SilenceFormModal.tsx';
import { SilencesTable } from './SilencesTable.tsx';

type StateFilter = 'current' | SilenceState | 'all';

const STATE_FILTERS: { value: StateFilter; label: string }[] = [
  { value: 'current', label: 'Active and pending' },
  { value: 'active', label: 'Active' },
  { value: 'pending', label: 'Pending' },
  { value: 'expired', label: 'Expired' },
  { value: 'all', label: 'All' },
];

const shows = (filter: StateFilter, silence: Silence): boolean =>
  filter === 'all' ||
  (filter === 'current' ? silence.status.state !== 'expired' : silence.status.state === filter);

/** Newest end first for current silences; expired ones by when they ended, most recent first. */
const byEnd = (a: Silence, b: Silence) => b.endsAt.localeCompare(a.endsAt);

export function SilencesPage() {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const [stateFilter, setStateFilter] = useState<StateFilter>('current');
  const [matcherText, setMatcherText] = useState('');
  const [matcherFilter] = useDebouncedValue(matcherText.trim(), 400);
  const silences = useQuery({
    ...silencesQuery(matcherFilter),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
  const now = useNow(15_000);
  const [formOpen, form] = useDisclosure(false);
  const [draft, setDraft] = useState<SilenceDraft>({ kind: 'new' });
  const [expiring, setExpiring] = useState<Silence | undefined>(undefined);
  const expire = useMutation({
    mutationFn: (silence: Silence) => expireSilence(silence.id),
    onSuccess: async () => {
      setExpiring(undefined);
      await queryClient.invalidateQueries({ queryKey: ['silences'] });
    },
  });
  const mayChange = canRespond(user);
  const badFilter = isStatus(silences.error, 400) && matcherFilter !== '';

  const open = (next: SilenceDraft) => {
    setDraft(next);
    form.open();
  };

  const rows = (silences.data ?? []).filter((silence) => shows(stateFilter, silence)).sort(byEnd);
  let body;
  if (silences.isPending) body = <Skeleton height={160} />;
  else if (silences.isError && !badFilter)
    body = (
      <ErrorAlert
        title="Could not load the silences"
        error={silences.error}
        onRetry={() => void silences.refetch()}
      />
    );
  else if (rows.length === 0)
    body = (
      <EmptyState
        icon={<IconBellOff size={28} stroke={1.5} aria-hidden />}
        variant="light"
        title="No silences here"
        description="A silence mutes alerts that match its labels for a while: they are still recorded, but open no incident and page nobody."
      />
    );
  else
    body = (
      <SilencesTable
        silences={rows}
        now={now}
        timeZone={user.timeZone}
        {...(mayChange
          ? {
              onEdit: (silence: Silence) => open({ kind: 'edit', silence }),
              onExpire: (silence: Silence) => {
                expire.reset();
                setExpiring(silence);
              },
            }
          : {})}
      />
    );

  return (
    <>
      <PageHeader
        title="Silences"
        description="Mute known noise for a while. Compatible with the Alertmanager API, so amtool works too."
        icon={IconBellOff}
        color="orange"
        actions={
          mayChange && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => open({ kind: 'new' })}>
              New silence
            </Button>
          )
        }
      />
      <Stack gap="lg">
        <Card withBorder padding="md">
          <Group align="flex-end" gap="md">
            <ChoiceControl label="State" data={STATE_FILTERS} value={stateFilter} onChange={setStateFilter} />
            <TextInput
              label="Matching labels"
              placeholder='e.g. alertname="DiskFull"'
              value={matcherText}
              onChange={(event) => setMatcherText(event.currentTarget.value)}
              error={badFilter ? describeError(silences.error) : undefined}
              style={{ flex: '1 1 220px' }}
              autoCapitalize="off"
              autoCorrect="off"
              spellCheck={false}
            />
          </Group>
        </Card>
        <Card withBorder padding="md">
          {body}
        </Card>
      </Stack>
      <SilenceFormModal opened={formOpen} draft={draft} onClose={form.close} onSaved={form.close} />
      <ConfirmModal
        opened={expiring !== undefined}
        title="Expire this silence?"
        confirmLabel="Expire silence"
        danger
        pending={expire.isPending}
        error={expire.isError ? describeError(expire.error) : undefined}
        onConfirm={() => expiring && expire.mutate(expiring)}
        onClose={() => setExpiring(undefined)}
      >
        Alerts matching {expiring?.matchers.map(formatMatcher).join(', ')} will open incidents and page again
        from now on.
      </ConfirmModal>
    </>
  );
}
