import { Input, NativeSelect, SegmentedControl } from '@mantine/core';
import { useId } from 'react';
import { usePhone } from './usePhone.ts';

interface ChoiceControlProps<T extends string> {
  label: string;
  data: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
}

/** A few choices side by side (a segmented control); on a phone, where they would not fit, a native select. */
export function ChoiceControl<T extends string>({ label, data, value, onChange }: ChoiceControlProps<T>) {
  const id = useId();
  const phone = usePhone();
  const pick = (next: string) => {
    const choice = data.find((option) => option.value === next);
    if (choice) onChange(choice.value);
  };
  if (phone)
    return (
      <NativeSelect
        label={label}
        data={data.map((option) => ({ ...option }))}
        value={value}
        onChange={(event) => pick(event.currentTarget.value)}
      />
    );
  return (
    <div>
      <Input.Label id={id} display="block" mb={4}>
        {label}
      </Input.Label>
      <SegmentedControl
        aria-labelledby={id}
        data={data.map((option) => ({ ...option }))}
        value={value}
        onChange={pick}
      />
    </div>
  );
}
