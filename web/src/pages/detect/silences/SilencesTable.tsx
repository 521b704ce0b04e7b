import { Group, Table, Text } from '@mantine/core';
import { IconClockOff, IconPencil } from '@tabler/icons-react';
import { formatMatcher, type Silence } from '../../../api/alerting.ts';
import { MatcherList } from '../../../components/alerting/LabelList.tsx';
import { RelativeTime } from '../../../components/alerting/RelativeTime.tsx';
import { SilenceStateBadge } from './SilenceStateBadge.tsx';
import { IconAction } from '../../../components/IconAction.tsx';

interface SilencesTableProps {
  silences: readonly Silence[];
  now: number;
  timeZone: string;
  /** Absent: the reader may not change silences. */
  onEdit?: (silence: Silence) => void;
  onExpire?: (silence: Silence) => void;
}

function When({ silence, now, timeZone }: { silence: Silence; now: number; timeZone: string }) {
  const { state } = silence.status;
  const [label, iso] =
    state === 'pending'
      ? ['Starts', silence.startsAt]
      : [state === 'expired' ? 'Ended' : 'Ends', silence.endsAt];
  return (
    <Text size="sm">
      {label} <RelativeTime iso={iso} now={now} timeZone={timeZone} />
    </Text>
  );
}

export function SilencesTable({ silences, now, timeZone, onEdit, onExpire }: SilencesTableProps) {
  const actions = onEdit !== undefined || onExpire !== undefined;
  return (
    <Table.ScrollContainer minWidth={760} type="native">
      <Table verticalSpacing="sm" aria-label="Silences">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={100}>State</Table.Th>
            <Table.Th>Matchers</Table.Th>
            <Table.Th w={170}>When</Table.Th>
            <Table.Th>Comment</Table.Th>
            {actions && <Table.Th w={90}>Actions</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {silences.map((silence) => {
            const matchers = silence.matchers.map(formatMatcher);
            const name = matchers.join(', ');
            return (
              <Table.Tr key={silence.id} data-silence-id={silence.id}>
                <Table.Td>
                  <SilenceStateBadge state={silence.status.state} />
                </Table.Td>
                <Table.Td>
                  <MatcherList matchers={matchers} />
                </Table.Td>
                <Table.Td>
                  <When silence={silence} now={now} timeZone={timeZone} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={2} style={{ overflowWrap: 'anywhere' }}>
                    {silence.comment || '—'}
                  </Text>
                  <Text size="xs" c="dimmed">
                    by {silence.createdBy}
                  </Text>
                </Table.Td>
                {actions && (
                  <Table.Td>
                    {silence.status.state !== 'expired' && (
                      <Group gap={4} wrap="nowrap">
                        {onEdit && (
                          <IconAction
                            label="Edit"
                            ariaLabel={`Edit silence ${name}`}
                            icon={IconPencil}
                            onClick={() => onEdit(silence)}
                          />
                        )}
                        {onExpire && (
                          <IconAction
                            label="Expire now"
                            ariaLabel={`Expire silence ${name}`}
                            icon={IconClockOff}
                            onClick={() => onExpire(silence)}
                            color="red"
                          />
                        )}
                      </Group>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
