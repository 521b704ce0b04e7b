import { TextInput } from '@mantine/core';
import type { ADDRESS_FIELDS } from '../../components/response/channelFields.ts';

/** The address of a contact method (e-mail, number, chat id, URL), labelled and typed for its kind. */
export function AddressField({
  field,
  value,
  onChange,
  error,
  autoFocus = false,
}: {
  field: (typeof ADDRESS_FIELDS)[keyof typeof ADDRESS_FIELDS];
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
  autoFocus?: boolean;
}) {
  return (
    <TextInput
      label={field.label}
      description={field.description}
      placeholder={field.placeholder}
      type={field.type}
      required
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      error={error}
      data-autofocus={autoFocus || undefined}
    />
  );
}
