import {
  ActionIcon,
  Button,
  Card,
  Chip,
  Group,
  Input,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconX } from '@tabler/icons-react';
import { useId } from 'react';
import { SHIFT_UNITS, WEEKDAYS, type ShiftUnit, type Weekday } from '../../api/response.ts';
import { TimeZoneSelect } from '../TimeZoneSelect.tsx';
import { move, type LayerDraft } from './layerDraft.ts';
import type { Person } from './usePeople.ts';

const UNIT_LABELS: Record<ShiftUnit, string> = { hours: 'hours', days: 'days', weeks: 'weeks' };
const DAY_LABELS: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

function Participants({
  draft,
  people,
  onChange,
}: {
  draft: LayerDraft;
  people: readonly Person[];
  onChange: (participants: string[]) => void;
}) {
  const labelId = useId();
  const nameOf = (id: string) => people.find((p) => p.id === id)?.name ?? id;
  return (
    <div>
      <Input.Label id={labelId} display="block" required>
        People, in hand-off order
      </Input.Label>
      <Text size="xs" c="dimmed" mb={6}>
        The first is on call from the first hand-off; a name may appear twice.
      </Text>
      {draft.participants.length === 0 ? (
        <Text size="sm" c="dimmed" mb="xs">
          Nobody yet.
        </Text>
      ) : (
        <Stack gap={4} mb="xs" role="list" aria-labelledby={labelId}>
          {draft.participants.map((id, index) => (
            <Group
              key={`${id}-${index}`}
              gap="xs"
              wrap="nowrap"
              role="listitem"
              justify="space-between"
              style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
              py={2}
            >
              <Text size="sm" truncate="end">
                {index + 1}. {nameOf(id)}
              </Text>
              <Group gap={2} wrap="nowrap">
                <ActionIcon
                  variant="subtle"
                  aria-label={`Move ${nameOf(id)} up`}
                  disabled={index === 0}
                  onClick={() => onChange(move(draft.participants, index, -1))}
                >
                  <IconArrowUp size={16} aria-hidden />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  aria-label={`Move ${nameOf(id)} down`}
                  disabled={index === draft.participants.length - 1}
                  onClick={() => onChange(move(draft.participants, index, 1))}
                >
                  <IconArrowDown size={16} aria-hidden />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove ${nameOf(id)}`}
                  onClick={() => onChange(draft.participants.filter((_, i) => i !== index))}
                >
                  <IconX size={16} aria-hidden />
                </ActionIcon>
              </Group>
            </Group>
          ))}
        </Stack>
      )}
      <NativeSelect
        aria-label="Add a person to the rotation"
        data={[
          { value: '', label: 'Add a person…' },
          ...people.map((p) => ({ value: p.id, label: p.email ? `${p.name} (${p.email})` : p.name })),
        ]}
        value=""
        onChange={(event) => {
          const id = event.currentTarget.value;
          if (id) onChange([...draft.participants, id]);
        }}
      />
    </div>
  );
}

function Restrictions({
  draft,
  onChange,
}: {
  draft: LayerDraft;
  onChange: (restrictions: LayerDraft['restrictions']) => void;
}) {
  const labelId = useId();
  const set = (index: number, patch: Partial<LayerDraft['restrictions'][number]>) =>
    onChange(draft.restrictions.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  return (
    <div>
      <Input.Label id={labelId} display="block">
        Restrictions
      </Input.Label>
      <Text size="xs" c="dimmed" mb={6}>
        {draft.restrictions.length === 0
          ? 'None: this layer is on call around the clock.'
          : 'The layer is on call only inside these windows (in the rotation’s time zone); an end at or before the start runs into the next day.'}
      </Text>
      <Stack gap="xs" role="list" aria-labelledby={labelId}>
        {draft.restrictions.map((r, index) => (
          <Card key={index} withBorder padding="xs" role="listitem">
            <Group justify="space-between" align="flex-start" gap="xs">
              <Chip.Group multiple value={r.days} onChange={(days) => set(index, { days: days })}>
                <Group gap={4} role="group" aria-label={`Days of window ${index + 1} (none: every day)`}>
                  {WEEKDAYS.map((day) => (
                    <Chip key={day} value={day} size="xs">
                      {DAY_LABELS[day]}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove window ${index + 1}`}
                onClick={() => onChange(draft.restrictions.filter((_, i) => i !== index))}
              >
                <IconX size={16} aria-hidden />
              </ActionIcon>
            </Group>
            <Group gap="xs" mt="xs" grow>
              <TextInput
                label="From"
                type="time"
                size="xs"
                value={r.from}
                onChange={(event) => set(index, { from: event.currentTarget.value })}
              />
              <TextInput
                label="To"
                type="time"
                size="xs"
                value={r.to}
                onChange={(event) => set(index, { to: event.currentTarget.value })}
              />
            </Group>
          </Card>
        ))}
      </Stack>
      <Button
        mt="xs"
        size="xs"
        variant="default"
        leftSection={<IconPlus size={14} aria-hidden />}
        onClick={() =>
          onChange([
            ...draft.restrictions,
            { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' },
          ])
        }
      >
        Add a window
      </Button>
    </div>
  );
}

/** One rotation: who, how long each shift is, when it hands off, and when the layer is on call at all. */
export function LayerFields({
  draft,
  people,
  onChange,
  errors = {},
}: {
  draft: LayerDraft;
  people: readonly Person[];
  onChange: (draft: LayerDraft) => void;
  errors?: Record<string, string | undefined>;
}) {
  const set = (patch: Partial<LayerDraft>) => onChange({ ...draft, ...patch });
  return (
    <Stack gap="md">
      <TextInput
        label="Layer name"
        maxLength={100}
        value={draft.name}
        onChange={(event) => set({ name: event.currentTarget.value })}
        error={errors['name']}
      />
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <Group gap="xs" grow align="flex-start" wrap="nowrap">
          <NumberInput
            label="Shift length"
            min={1}
            max={744}
            value={draft.count}
            onChange={(value) => set({ count: typeof value === 'number' ? value : Number(value) })}
            error={errors['rotation/shiftLength/count']}
          />
          <NativeSelect
            label="Unit"
            data={SHIFT_UNITS.map((unit) => ({ value: unit, label: UNIT_LABELS[unit] }))}
            value={draft.unit}
            onChange={(event) => set({ unit: event.currentTarget.value as ShiftUnit })}
          />
        </Group>
        <TextInput
          label="Hand-off time"
          type="time"
          required
          value={draft.handoffTime}
          onChange={(event) => set({ handoffTime: event.currentTarget.value })}
          error={errors['rotation/handoffTime']}
        />
        <TextInput
          label="First hand-off day"
          type="date"
          required
          value={draft.startDate}
          onChange={(event) => set({ startDate: event.currentTarget.value })}
          error={errors['rotation/startDate']}
        />
        <TimeZoneSelect
          label="Rotation time zone"
          description="Hand-offs follow this wall clock, DST included."
          value={draft.timeZone}
          onChange={(timeZone) => set({ timeZone })}
          error={errors['rotation/timeZone']}
        />
      </SimpleGrid>
      <Participants draft={draft} people={people} onChange={(participants) => set({ participants })} />
      {errors['participants'] && (
        <Text size="xs" c="red" role="alert">
          {errors['participants']}
        </Text>
      )}
      <Restrictions draft={draft} onChange={(restrictions) => set({ restrictions })} />
    </Stack>
  );
}
