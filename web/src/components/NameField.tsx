import { TextInput } from '@mantine/core';

/** The required name every create and edit form asks for first (focused when the form opens). */
export function NameField(props: {
  value: string;
  onChange: (name: string) => void;
  error?: string | undefined;
}) {
  return (
    <TextInput
      label="Name"
      required
      maxLength={100}
      value={props.value}
      onChange={(event) => props.onChange(event.currentTarget.value)}
      error={props.error}
      data-autofocus
    />
  );
}
