import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { FormAlert } from './FormAlert.tsx';

interface ConfirmModalProps {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Red for what cannot be undone (revoke, delete, deactivate). */
  danger?: boolean;
  pending?: boolean;
  error?: string | undefined;
  onConfirm: () => void;
  onClose: () => void;
}

/** Asks once before a consequential action, and says what will happen. */
export function ConfirmModal(props: ConfirmModalProps) {
  const { opened, title, children, confirmLabel, danger = false, pending = false, error } = props;
  return (
    <Modal opened={opened} onClose={props.onClose} title={title}>
      <Stack gap="md">
        <Text size="sm">{children}</Text>
        <FormAlert message={error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            Cancel
          </Button>
          <Button color={danger ? 'red' : 'indigo'} loading={pending} onClick={props.onConfirm}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
