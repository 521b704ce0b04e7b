import { ActionIcon, Badge, Code, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { Fragment } from 'react';
import type { AuditEntry } from '../../../api/audit.ts';
import { Time } from '../../../components/Time.tsx';
import { useToggleSet } from '../../../lib/useToggleSet.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { EntryDetails, objectName } from './AuditEntryDetails.tsx';

export interface AuditEntriesProps {
  entries: readonly AuditEntry[];
  timeZone: string;
  /** Names for ids, where we know them (people and teams the reader can see). */
  names: ReadonlyMap<string, string>;
}

/** The entries, newest first; each row opens to show what changed. */
export function AuditTable({ entries, timeZone, names }: AuditEntriesProps) {
  const [open, toggle] = useToggleSet();

  return (
    <Table.ScrollContainer minWidth={820} type="native">
      <Table verticalSpacing="xs" aria-label="Audit log entries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={36}>
              <VisuallyHidden>Details</VisuallyHidden>
            </Table.Th>
            <Table.Th>Time</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Object</Table.Th>
            <Table.Th w={100}>Outcome</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => {
            const expanded = open.has(entry.id);
            const detailsId = `audit-details-${entry.id}`;
            return (
              <Fragment key={entry.id}>
                <Table.Tr data-action={entry.action}>
                  <Table.Td>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      size="sm"
                      aria-label={`Details of ${entry.action} at ${formatDateTime(entry.at, timeZone)}`}
                      aria-expanded={expanded}
                      aria-controls={expanded ? detailsId : undefined}
                      onClick={() => toggle(entry.id)}
                    >
                      {expanded ? (
                        <IconChevronDown size={16} aria-hidden />
                      ) : (
                        <IconChevronRight size={16} aria-hidden />
                      )}
                    </ActionIcon>
                  </Table.Td>
                  <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                    <Time iso={entry.at} timeZone={timeZone} />
                  </Table.Td>
                  <Table.Td fz="sm">
                    {entry.actor.id ? (names.get(entry.actor.id) ?? entry.actor.label) : entry.actor.label}
                  </Table.Td>
                  <Table.Td>
                    <Code>{entry.action}</Code>
                  </Table.Td>
                  <Table.Td fz="sm">
                    {entry.object ? (
                      <>
                        <Text span c="dimmed" size="sm">
                          {entry.object.type}{' '}
                        </Text>
                        {objectName(entry, names) ?? <span className="siaga-break">{entry.object.id}</span>}
                      </>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge color={entry.outcome === 'success' ? 'green' : 'red'} variant="light" tt="none">
                      {entry.outcome === 'success' ? 'Success' : 'Failure'}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
                {expanded && (
                  <Table.Tr id={detailsId}>
                    <Table.Td />
                    <Table.Td colSpan={5}>
                      <EntryDetails entry={entry} names={names} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
