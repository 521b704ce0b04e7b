import { Button, Group } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { describeError } from '../lib/errors.ts';
import { ConfirmModal } from './ConfirmModal.tsx';

interface DeleteMutation {
  mutate(): void;
  reset(): void;
  readonly isPending: boolean;
  readonly isError: boolean;
  readonly error: unknown;
}

/**
 * "Delete …" at the foot of a detail page: asks once, says what deleting does (the children), and shows why the
 * server refused (an object still in use) without closing.
 */
export function DeleteAction(props: {
  label: string;
  title: string;
  remove: DeleteMutation;
  children: ReactNode;
}) {
  const [opened, { open, close }] = useDisclosure(false);
  const { remove } = props;
  return (
    <>
      <Group justify="flex-end">
        <Button
          color="red"
          variant="subtle"
          leftSection={<IconTrash size={16} aria-hidden />}
          onClick={() => {
            remove.reset();
            open();
          }}
        >
          {props.label}
        </Button>
      </Group>
      <ConfirmModal
        opened={opened}
        title={props.title}
        confirmLabel={props.label}
        danger
        pending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : undefined}
        onConfirm={() => remove.mutate()}
        onClose={close}
      >
        {props.children}
      </ConfirmModal>
    </>
  );
}
