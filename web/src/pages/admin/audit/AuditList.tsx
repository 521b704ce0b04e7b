import { Badge, Button, Code, Group, Stack, Text } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { Time } from '../../../components/Time.tsx';
import { useToggleSet } from '../../../lib/useToggleSet.ts';
import { EntryDetails, objectName } from './AuditEntryDetails.tsx';
import type { AuditEntriesProps } from './AuditTable.tsx';

/** The entries for a phone: one stacked block each, action first, instead of a table wider than the screen. */
export function AuditList({ entries, timeZone, names }: AuditEntriesProps) {
  const [open, toggle] = useToggleSet();
  return (
    <Stack gap={0} component="ul" aria-label="Audit log entries" className="siaga-plain-list">
      {entries.map((entry) => {
        const expanded = open.has(entry.id);
        const detailsId = `audit-item-${entry.id}`;
        const actor = entry.actor.id ? (names.get(entry.actor.id) ?? entry.actor.label) : entry.actor.label;
        return (
          <li key={entry.id} data-action={entry.action} className="siaga-list-item">
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Code className="siaga-break">{entry.action}</Code>
              <Badge color={entry.outcome === 'success' ? 'green' : 'red'} variant="light" tt="none">
                {entry.outcome === 'success' ? 'Success' : 'Failure'}
              </Badge>
            </Group>
            <Text size="sm" mt={4} className="siaga-break">
              {actor}
              {entry.object && (
                <Text span c="dimmed" size="sm">
                  {' → '}
                  {entry.object.type} {objectName(entry, names) ?? entry.object.id}
                </Text>
              )}
            </Text>
            <Group justify="space-between" gap="xs" mt={2}>
              <Text size="xs" c="dimmed">
                <Time iso={entry.at} timeZone={timeZone} />
              </Text>
              <Button
                variant="subtle"
                size="compact-xs"
                color="gray"
                aria-expanded={expanded}
                aria-controls={expanded ? detailsId : undefined}
                rightSection={
                  expanded ? (
                    <IconChevronDown size={14} aria-hidden />
                  ) : (
                    <IconChevronRight size={14} aria-hidden />
                  )
                }
                onClick={() => toggle(entry.id)}
              >
                Details
              </Button>
            </Group>
            {expanded && (
              <div id={detailsId}>
                <EntryDetails entry={entry} names={names} />
              </div>
            )}
          </li>
        );
      })}
    </Stack>
  );
}
