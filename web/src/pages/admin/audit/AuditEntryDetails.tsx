import { Code, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AuditEntry } from '../../../api/audit.ts';

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** A readable name for the entry's object: a known person or team, else the name the entry itself recorded. */
export function objectName(entry: AuditEntry, names: ReadonlyMap<string, string>): string | undefined {
  if (!entry.object) return undefined;
  const known = names.get(entry.object.id);
  if (known) return known;
  for (const state of [entry.after, entry.before]) {
    if (typeof state === 'object' && state !== null && 'name' in state && typeof state.name === 'string') {
      return state.name;
    }
  }
  return undefined;
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <div>{children}</div>
    </div>
  );
}

export function EntryDetails({ entry, names }: { entry: AuditEntry; names: ReadonlyMap<string, string> }) {
  return (
    <Stack gap="sm" py="xs">
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
        <Detail label="Actor">
          <Text size="sm">{entry.actor.label}</Text>
          {entry.actor.id && <Code fz="xs">{entry.actor.id}</Code>}
        </Detail>
        <Detail label="Team">
          <Text size="sm">{entry.teamId ? (names.get(entry.teamId) ?? entry.teamId) : '—'}</Text>
        </Detail>
        <Detail label="Address">
          <Text size="sm">{entry.ip ?? '—'}</Text>
        </Detail>
        <Detail label="Request id">
          {entry.requestId ? <Code fz="xs">{entry.requestId}</Code> : <Text size="sm">—</Text>}
        </Detail>
      </SimpleGrid>
      {entry.detail && (
        <Detail label="Detail">
          <Text size="sm">{entry.detail}</Text>
        </Detail>
      )}
      {(entry.before !== null || entry.after !== null) && (
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          <Detail label="Before">
            {entry.before === null ? (
              <Text size="sm">—</Text>
            ) : (
              <Code block fz="xs">
                {json(entry.before)}
              </Code>
            )}
          </Detail>
          <Detail label="After">
            {entry.after === null ? (
              <Text size="sm">—</Text>
            ) : (
              <Code block fz="xs">
                {json(entry.after)}
              </Code>
            )}
          </Detail>
        </SimpleGrid>
      )}
    </Stack>
  );
}
