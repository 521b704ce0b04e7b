import { Badge, Button, Card, Group, Stack, Table, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { Fragment } from 'react';
import { CHANNEL_KIND_LABELS, type Delivery } from '../../api/response.ts';
import { useToggleSet } from '../../lib/useToggleSet.ts';
import { usePhone } from '../alerting/usePhone.ts';
import { DeliveryStatusBadge, OUTCOME_COLORS, OUTCOME_LABELS } from './DeliveryStatusBadge.tsx';
import { ZoneTime } from './ZoneTime.tsx';

const KIND_LABELS: Record<Delivery['kind'], string> = {
  page: 'Page',
  status: 'Status update',
  test: 'Test page',
  handoff: 'Hand-off notice',
  verification: 'Verification code',
  bundle: 'Summary',
};

/** "Page (triggered), step 1" — what a delivery was, in words. */

/** Who it went to, and through which of their methods when they have several ("Ada (Backup phone)"). */
const recipient = (d: Delivery): string => (d.contactMethodName ? `${d.to} (${d.contactMethodName})` : d.to);

export function describeDelivery(d: Delivery): string {
  const event = d.event === 'notice' ? '' : ` (${d.event})`;
  // The log numbers steps and rounds from 1, as people do.
  const round = d.round !== null && d.round > 1 ? ` round ${d.round}` : '';
  const step = d.step === null ? '' : `, step ${d.step}${round}`;
  return `${KIND_LABELS[d.kind]}${event}${step}`;
}

/**
 * What the provider said after accepting the message ("Provider: delivered"), for SMS and calls. A failure needs
 * no second line: the reason already says it.
 */
function ProviderReport({ delivery, maw }: { delivery: Delivery; maw?: number }) {
  if (!delivery.providerStatus || delivery.status === 'failed') return null;
  return (
    <Text size="xs" c="dimmed" {...(maw === undefined ? {} : { maw })}>
      Provider: {delivery.providerStatus}
    </Text>
  );
}

const latencyOf = (d: Delivery): string => {
  const last = d.history.at(-1);
  return last === undefined ? '—' : `${last.latencyMs} ms`;
};

function Attempts({ delivery, timeZone }: { delivery: Delivery; timeZone: string }) {
  if (delivery.history.length === 0)
    return (
      <Text size="sm" c="dimmed">
        No attempt yet{delivery.reason ? `: ${delivery.reason}` : '.'}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={560} type="native">
      <Table fz="xs" aria-label={`Attempts of ${delivery.id}`} withRowBorders={false}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>HTTP</Table.Th>
            <Table.Th>Latency</Table.Th>
            <Table.Th>Error</Table.Th>
            <Table.Th>Next attempt</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {delivery.history.map((a) => (
            <Table.Tr key={a.attempt}>
              <Table.Td>{a.attempt}</Table.Td>
              <Table.Td>
                <ZoneTime iso={a.startedAt} timeZone={timeZone} seconds />
              </Table.Td>
              <Table.Td>
                <Badge size="sm" variant="light" tt="none" color={OUTCOME_COLORS[a.outcome]}>
                  {OUTCOME_LABELS[a.outcome]}
                </Badge>
              </Table.Td>
              <Table.Td>{a.statusCode ?? '—'}</Table.Td>
              <Table.Td>{a.latencyMs} ms</Table.Td>
              <Table.Td style={{ overflowWrap: 'anywhere' }}>{a.error ?? '—'}</Table.Td>
              <Table.Td>
                {a.nextAttemptAt ? <ZoneTime iso={a.nextAttemptAt} timeZone={timeZone} seconds /> : '—'}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The attempts as lines, for a phone: a table would need sideways scrolling. */
function AttemptLines({ delivery, timeZone }: { delivery: Delivery; timeZone: string }) {
  if (delivery.history.length === 0)
    return (
      <Text size="xs" c="dimmed">
        No attempt yet.
      </Text>
    );
  return (
    <Stack gap={4} component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {delivery.history.map((a) => (
        <Text key={a.attempt} component="li" size="xs" style={{ overflowWrap: 'anywhere' }}>
          #{a.attempt} · <ZoneTime iso={a.startedAt} timeZone={timeZone} seconds /> ·{' '}
          <Text span size="xs" fw={600} c={OUTCOME_COLORS[a.outcome]}>
            {OUTCOME_LABELS[a.outcome]}
          </Text>
          {a.statusCode !== null && ` · HTTP ${a.statusCode}`} · {a.latencyMs} ms
          {a.error && ` · ${a.error}`}
        </Text>
      ))}
    </Stack>
  );
}

function ToggleAttempts({
  delivery,
  open,
  onToggle,
}: {
  delivery: Delivery;
  open: boolean;
  onToggle: () => void;
}) {
  const Icon = open ? IconChevronDown : IconChevronRight;
  return (
    <Button
      size="compact-xs"
      variant="subtle"
      leftSection={<Icon size={14} aria-hidden />}
      aria-expanded={open}
      aria-label={`${open ? 'Hide' : 'Show'} attempts to ${delivery.to}`}
      onClick={onToggle}
      // A card is a flex column: without this the button spans it and its label sits in the middle.
      style={{ alignSelf: 'flex-start' }}
    >
      {delivery.attempts} {delivery.attempts === 1 ? 'attempt' : 'attempts'}
    </Button>
  );
}

function DeliveryCards({ deliveries, timeZone }: { deliveries: readonly Delivery[]; timeZone: string }) {
  const [open, toggle] = useToggleSet();
  return (
    <Stack gap="sm" aria-label="Delivery log" role="list">
      {deliveries.map((d) => (
        <Card key={d.id} withBorder padding="sm" role="listitem" data-delivery-id={d.id}>
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
              {CHANNEL_KIND_LABELS[d.channelKind]} to {recipient(d)}
            </Text>
            <DeliveryStatusBadge status={d.status} />
          </Group>
          <Text size="xs" c="dimmed">
            {describeDelivery(d)} · <ZoneTime iso={d.createdAt} timeZone={timeZone} seconds /> · latency{' '}
            {latencyOf(d)}
            {d.nextAttemptAt && (
              <>
                {' '}
                · next retry <ZoneTime iso={d.nextAttemptAt} timeZone={timeZone} seconds />
              </>
            )}
          </Text>
          {d.reason && (
            <Text size="xs" c={d.status === 'failed' ? 'red' : 'dimmed'} style={{ overflowWrap: 'anywhere' }}>
              {d.reason}
            </Text>
          )}
          <ProviderReport delivery={d} />
          <ToggleAttempts delivery={d} open={open.has(d.id)} onToggle={() => toggle(d.id)} />
          {open.has(d.id) && <AttemptLines delivery={d} timeZone={timeZone} />}
        </Card>
      ))}
    </Stack>
  );
}

/** Every notification sent for an incident (or a drill): where, how it went, each attempt on demand. */
export function DeliveryLog({
  deliveries,
  timeZone,
  empty = 'Nothing was sent.',
}: {
  deliveries: readonly Delivery[];
  timeZone: string;
  empty?: string;
}) {
  const phone = usePhone();
  const [open, toggle] = useToggleSet();
  if (deliveries.length === 0) return <Text c="dimmed">{empty}</Text>;
  const sorted = [...deliveries].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  if (phone) return <DeliveryCards deliveries={sorted} timeZone={timeZone} />;
  return (
    <Table.ScrollContainer minWidth={880} type="native">
      <Table verticalSpacing="xs" aria-label="Delivery log">
        <Table.Thead style={{ whiteSpace: 'nowrap' }}>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>What</Table.Th>
            <Table.Th>Channel</Table.Th>
            <Table.Th>To</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Attempts</Table.Th>
            <Table.Th>Latency</Table.Th>
            <Table.Th>Next retry</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((d) => (
            <Fragment key={d.id}>
              <Table.Tr data-delivery-id={d.id} data-status={d.status}>
                <Table.Td fz="sm">
                  <ZoneTime iso={d.sentAt ?? d.createdAt} timeZone={timeZone} seconds />
                </Table.Td>
                <Table.Td fz="sm">{describeDelivery(d)}</Table.Td>
                <Table.Td fz="sm">{CHANNEL_KIND_LABELS[d.channelKind]}</Table.Td>
                <Table.Td fz="sm" miw={120} style={{ overflowWrap: 'anywhere' }}>
                  {recipient(d)}
                </Table.Td>
                <Table.Td>
                  <DeliveryStatusBadge status={d.status} />
                  {d.reason && (
                    <Text size="xs" c={d.status === 'failed' ? 'red' : 'dimmed'} maw={260}>
                      {d.reason}
                    </Text>
                  )}
                  <ProviderReport delivery={d} maw={260} />
                </Table.Td>
                <Table.Td>
                  <ToggleAttempts delivery={d} open={open.has(d.id)} onToggle={() => toggle(d.id)} />
                </Table.Td>
                <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                  {latencyOf(d)}
                </Table.Td>
                <Table.Td fz="sm">
                  {d.nextAttemptAt ? <ZoneTime iso={d.nextAttemptAt} timeZone={timeZone} seconds /> : '—'}
                </Table.Td>
              </Table.Tr>
              {open.has(d.id) && (
                <Table.Tr>
                  <Table.Td colSpan={8} bg="var(--mantine-color-default-hover)">
                    <Attempts delivery={d} timeZone={timeZone} />
                  </Table.Td>
                </Table.Tr>
              )}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
