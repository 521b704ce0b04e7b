import { NativeSelect, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { STATUS_FILTERS, type AlertFilter, type StatusFilter } from '../../../api/alerting.ts';
import type { Service } from '../../../api/catalog.ts';
import { STATUS_FILTER_LABELS } from './alertFilter.ts';

interface AlertFiltersProps {
  filter: AlertFilter & { status: StatusFilter };
  onChange: (patch: AlertFilter) => void;
  services: readonly Service[];
  /** The server's complaint about the label matchers, shown under that field. */
  matcherError: string | undefined;
}

/** Status and service apply at once; typed filters after a short pause. */
export function AlertFilters({ filter, onChange, services, matcherError }: AlertFiltersProps) {
  const [matchers, setMatchers] = useState(filter.filter ?? '');
  const [text, setText] = useState(filter.q ?? '');
  // Typing in both fields within the pause applies both.
  const pending = useRef<AlertFilter>({});
  const flush = useDebouncedCallback(() => {
    const patch = pending.current;
    pending.current = {};
    onChange(patch);
  }, 400);
  const debounced = (patch: AlertFilter) => {
    pending.current = { ...pending.current, ...patch };
    flush();
  };
  return (
    <form aria-label="Alert filters" onSubmit={(event) => event.preventDefault()}>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md" verticalSpacing="sm">
        <NativeSelect
          label="Status"
          data={STATUS_FILTERS.map((value) => ({ value, label: STATUS_FILTER_LABELS[value] }))}
          value={filter.status}
          onChange={(event) => onChange({ status: event.currentTarget.value as StatusFilter })}
        />
        <Select
          label="Service"
          placeholder="All services"
          clearable
          searchable
          data={services.map((service) => ({ value: service.id, label: service.name }))}
          value={filter.serviceId ?? null}
          onChange={(value) => onChange({ serviceId: value ?? '' })}
          nothingFoundMessage="No such service"
        />
        <TextInput
          label="Labels"
          placeholder='e.g. env="prod", team=~"db.*"'
          value={matchers}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setMatchers(value);
            debounced({ filter: value.trim() });
          }}
          error={matcherError}
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <TextInput
          label="Search"
          placeholder="Text in the summary"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={text}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setText(value);
            debounced({ q: value.trim() });
          }}
          type="search"
        />
      </SimpleGrid>
    </form>
  );
}
