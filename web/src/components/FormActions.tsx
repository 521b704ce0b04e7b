import { Button, Group, type MantineSpacing } from '@mantine/core';
import type { ReactNode } from 'react';

/** The foot of a form in a modal: Cancel, then the submit button (its label the children), busy while saving. */
export function FormActions({
  onCancel,
  saving,
  mt,
  children,
}: {
  onCancel: () => void;
  saving: boolean;
  mt?: MantineSpacing;
  children: ReactNode;
}) {
  return (
    <Group justify="flex-end" {...(mt === undefined ? {} : { mt })}>
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" loading={saving}>
        {children}
      </Button>
    </Group>
  );
}
