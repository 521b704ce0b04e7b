import { Button, Card, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { deleteOverride, overridesQuery, type Override, type Schedule } from '../../../api/response.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { usePhone } from '../../../components/alerting/usePhone.ts';
import { IconAction } from '../../../components/IconAction.tsx';
import { formatInZone } from '../../../components/response/zoneFormat.ts';
import { Section } from '../../../components/Section.tsx';
import { describeError } from '../../../lib/errors.ts';
import { OverrideFormModal } from './OverrideFormModal.tsx';

/** Upcoming overrides (the next 90 days): someone on call in place of the rotation for a while. */
export function OverridesSection({
  schedule,
  names,
  mayChange,
}: {
  schedule: Schedule;
  names: ReadonlyMap<string, string>;
  mayChange: boolean;
}) {
  const queryClient = useQueryClient();
  const overrides = useQuery(overridesQuery(schedule.id));
  const [adding, add] = useDisclosure(false);
  const [removing, setRemoving] = useState<Override | undefined>();
  const remove = useMutation({
    mutationFn: (o: Override) => deleteOverride(schedule.id, o.id),
    onSuccess: async () => {
      setRemoving(undefined);
      await queryClient.invalidateQueries({ queryKey: ['schedules'] });
    },
  });
  const phone = usePhone();
  const nameOf = (id: string) => names.get(id) ?? id;
  const zone = schedule.timeZone;
  const removeAction = (o: Override) => (
    <IconAction
      label="Remove"
      ariaLabel={`Remove the override of ${nameOf(o.userId)}`}
      icon={IconTrash}
      color="red"
      onClick={() => {
        remove.reset();
        setRemoving(o);
      }}
    />
  );
  const insteadOf = (o: Override) => (o.replacesUserId ? nameOf(o.replacesUserId) : 'Whoever is on call');
  return (
    <Section
      id="schedule-overrides"
      title="Overrides"
      description={`Someone on call in place of the rotation for a while; times in ${zone}.`}
      actions={
        mayChange && (
          <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={add.open}>
            Add override
          </Button>
        )
      }
    >
      {overrides.isPending ? (
        <Skeleton height={60} />
      ) : overrides.isError ? (
        <ErrorAlert title="Could not load the overrides" error={overrides.error} />
      ) : overrides.data.length === 0 ? (
        <Text c="dimmed" size="sm">
          No overrides in the next 90 days.
        </Text>
      ) : phone ? (
        // A phone gets one card per override rather than a table that scrolls sideways.
        <Stack gap="xs" role="list" aria-label="Overrides">
          {overrides.data.map((o) => (
            <Card key={o.id} withBorder padding="sm" role="listitem" data-override-id={o.id}>
              <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
                <Stack gap={2} miw={0}>
                  <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                    {nameOf(o.userId)}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                    instead of {insteadOf(o)}
                  </Text>
                </Stack>
                {mayChange && removeAction(o)}
              </Group>
              <Text size="sm" mt={4}>
                {formatInZone(o.start, zone)} – {formatInZone(o.end, zone)}
              </Text>
              {o.note && (
                <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {o.note}
                </Text>
              )}
            </Card>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={640} type="native">
          <Table aria-label="Overrides" verticalSpacing="xs" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>On call</Table.Th>
                <Table.Th>Instead of</Table.Th>
                <Table.Th>From</Table.Th>
                <Table.Th>To</Table.Th>
                <Table.Th>Note</Table.Th>
                {mayChange && <Table.Th aria-label="Actions" />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {overrides.data.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td fw={500}>{nameOf(o.userId)}</Table.Td>
                  <Table.Td>{insteadOf(o)}</Table.Td>
                  <Table.Td>{formatInZone(o.start, zone)}</Table.Td>
                  <Table.Td>{formatInZone(o.end, zone)}</Table.Td>
                  <Table.Td>{o.note || '—'}</Table.Td>
                  {mayChange && <Table.Td>{removeAction(o)}</Table.Td>}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <OverrideFormModal opened={adding} schedule={schedule} onClose={add.close} />
      <ConfirmModal
        opened={removing !== undefined}
        title="Remove this override?"
        confirmLabel="Remove override"
        danger
        pending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : undefined}
        onConfirm={() => removing && remove.mutate(removing)}
        onClose={() => setRemoving(undefined)}
      >
        {removing &&
          `${nameOf(removing.userId)} stops covering ${formatInZone(removing.start, zone)} – ${formatInZone(removing.end, zone)}; the rotation applies again.`}
      </ConfirmModal>
    </Section>
  );
}
