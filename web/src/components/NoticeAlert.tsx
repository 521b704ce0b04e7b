import { Alert } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';

/** The confirmation an admin page shows after a change ("Rina was deactivated."), dismissible. */
export function NoticeAlert({ notice, onClose }: { notice: string | undefined; onClose: () => void }) {
  if (!notice) return null;
  return (
    <Alert
      color="teal"
      variant="light"
      icon={<IconCircleCheck aria-hidden />}
      mb="md"
      role="status"
      withCloseButton
      onClose={onClose}
    >
      {notice}
    </Alert>
  );
}
