import { Select, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';
import { timeZoneOptions } from '../lib/timeZones.ts';

interface TimeZoneSelectProps extends Omit<SelectProps, 'data' | 'value' | 'onChange'> {
  value: string;
  onChange: (timeZone: string) => void;
}

/** A searchable list of the IANA zones ("Asia/Jakarta"); type part of a city to find it. */
export function TimeZoneSelect({ value, onChange, ...props }: TimeZoneSelectProps) {
  const data = useMemo(() => timeZoneOptions(value), [value]);
  return (
    <Select
      searchable
      allowDeselect={false}
      limit={100}
      nothingFoundMessage="No such time zone"
      {...props}
      data={data}
      value={value}
      onChange={(next) => {
        if (next) onChange(next);
      }}
    />
  );
}
