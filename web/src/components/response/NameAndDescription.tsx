import { Textarea } from '@mantine/core';
import { NameField } from '../NameField.tsx';

/** The name (required, focused first) and free-text description every team-owned object's form asks for. */
export function NameAndDescription(props: {
  name: string;
  onName: (name: string) => void;
  description: string;
  onDescription: (description: string) => void;
  errors: Readonly<Record<string, string>>;
}) {
  return (
    <>
      <NameField value={props.name} onChange={props.onName} error={props.errors['name']} />
      <Textarea
        label="Description"
        autosize
        minRows={1}
        maxRows={4}
        maxLength={2000}
        value={props.description}
        onChange={(event) => props.onDescription(event.currentTarget.value)}
        error={props.errors['description']}
      />
    </>
  );
}
