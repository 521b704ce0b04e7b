import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { IssuedIcalFeed } from '../../api/response.ts';
import { CopyableCode } from '../alerting/CopyableCode.tsx';

/** A new calendar URL, shown this once: it holds the secret that lets a calendar app read the shifts. */
export function FeedReveal({ issued, onClose }: { issued: IssuedIcalFeed | undefined; onClose: () => void }) {
  return (
    <Modal opened={issued !== undefined} onClose={onClose} title="Your calendar URL" size="lg">
      {issued && (
        <Stack gap="md">
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlertTriangle aria-hidden />}
            title="Copy it now: it won't be shown again"
            role="status"
          >
            Subscribe to it in your calendar app (Google Calendar: “From URL”; Outlook: “Subscribe from web”).
            Anyone with the URL can read these shifts; end it here if it leaks.
          </Alert>
          <CopyableCode label="Calendar URL" value={issued.url} testId="ical-url" />
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied it</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
