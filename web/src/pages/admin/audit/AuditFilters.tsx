import {
  Autocomplete,
  Button,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconFilterOff } from '@tabler/icons-react';
import { useState } from 'react';
import { AUDIT_OBJECT_TYPES, KNOWN_AUDIT_ACTIONS, type AuditFilter } from '../../../api/audit.ts';
import type { Team } from '../../../api/teams.ts';
import type { User } from '../../../api/users.ts';
import { isoToWallTime, wallTimeToIso } from '../../../lib/zonedTime.ts';

interface AuditFiltersProps {
  filter: AuditFilter;
  onChange: (patch: AuditFilter) => void;
  onClear: () => void;
  people: readonly User[];
  teams: readonly Team[];
  /** Team admins must pick one of their teams; global admins may leave it empty for the whole log. */
  teamRequired: boolean;
  timeZone: string;
}

const OUTCOMES = [
  { value: '', label: 'Any' },
  { value: 'success', label: 'Success' },
  { value: 'failure', label: 'Failure' },
];

/** Every filter the API takes; typed ones apply after a short pause, picked ones at once. */
export function AuditFilters({
  filter,
  onChange,
  onClear,
  people,
  teams,
  teamRequired,
  timeZone,
}: AuditFiltersProps) {
  const [action, setAction] = useState(filter.action ?? '');
  const [objectId, setObjectId] = useState(filter.objectId ?? '');
  const debounced = useDebouncedCallback((patch: AuditFilter) => onChange(patch), 300);
  const set = (key: keyof AuditFilter, value: string | null) => onChange({ [key]: value ?? '' });
  const setTime = (key: 'from' | 'to', wall: string) =>
    onChange({ [key]: wallTimeToIso(wall, timeZone) ?? '' });

  return (
    <form aria-label="Audit log filters" onSubmit={(event) => event.preventDefault()}>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" verticalSpacing="sm">
        <Autocomplete
          label="Action"
          placeholder="e.g. user.created"
          data={[...KNOWN_AUDIT_ACTIONS]}
          value={action}
          onChange={(value) => {
            setAction(value);
            debounced({ action: value.trim() });
          }}
          clearable
          limit={30}
        />
        <Select
          label="Actor"
          placeholder="Anyone"
          searchable
          clearable
          data={people.map((person) => ({ value: person.id, label: `${person.name} (${person.email})` }))}
          value={filter.actorId ?? null}
          onChange={(value) => set('actorId', value)}
          nothingFoundMessage="Nobody by that name"
        />
        <Select
          label="Team"
          placeholder={teamRequired ? 'Choose a team' : 'All teams'}
          clearable={!teamRequired}
          allowDeselect={!teamRequired}
          searchable
          data={teams.map((team) => ({ value: team.id, label: team.name }))}
          value={filter.teamId ?? null}
          onChange={(value) => set('teamId', value)}
        />
        <Group gap="xs" align="flex-end" wrap="nowrap">
          <Select
            label="Object type"
            placeholder="Any"
            clearable
            data={[...AUDIT_OBJECT_TYPES]}
            value={filter.objectType ?? null}
            onChange={(value) => set('objectType', value)}
            w={140}
            style={{ flexShrink: 0 }}
          />
          <TextInput
            label="Object id"
            placeholder="e.g. usr_01…"
            value={objectId}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setObjectId(value);
              debounced({ objectId: value.trim() });
            }}
            style={{ flex: 1, minWidth: 0 }}
          />
        </Group>
        <TextInput
          label="From"
          type="datetime-local"
          value={filter.from ? isoToWallTime(filter.from, timeZone) : ''}
          onChange={(event) => setTime('from', event.currentTarget.value)}
          description={`In your time zone, ${timeZone}`}
        />
        <TextInput
          label="Until"
          type="datetime-local"
          value={filter.to ? isoToWallTime(filter.to, timeZone) : ''}
          onChange={(event) => setTime('to', event.currentTarget.value)}
          description="Entries before this moment"
        />
      </SimpleGrid>
      <Group justify="space-between" mt="md" gap="sm">
        <div>
          <Text component="span" size="sm" fw={500} mr="sm" id="audit-outcome-label">
            Outcome
          </Text>
          <SegmentedControl
            aria-labelledby="audit-outcome-label"
            size="sm"
            data={OUTCOMES}
            value={filter.outcome ?? ''}
            onChange={(value) => set('outcome', value)}
          />
        </div>
        <Button
          variant="subtle"
          color="gray"
          leftSection={<IconFilterOff size={16} aria-hidden />}
          onClick={onClear}
        >
          Clear filters
        </Button>
      </Group>
    </form>
  );
}
