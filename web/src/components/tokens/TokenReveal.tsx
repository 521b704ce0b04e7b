import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconCopy } from '@tabler/icons-react';

/** The new token, once: a copy button and a plain warning that it will not be shown again. */
export function TokenReveal({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  return (
    <Stack gap="md">
      <Alert
        color="orange"
        variant="light"
        icon={<IconAlertTriangle aria-hidden />}
        title="Copy the token now"
        role="status"
      >
        This is the only time Siaga shows it: you will not see it again. Store it in a password manager or
        your secret store. If you lose it, revoke it and create a new one.
      </Alert>
      <div>
        <Text size="sm" fw={500} mb={4} id="new-token-label">
          Token “{name}”
        </Text>
        <Code block aria-labelledby="new-token-label" className="siaga-secret" data-testid="new-token">
          {token}
        </Code>
      </div>
      <Group justify="space-between">
        <CopyButton value={token} timeout={2_000}>
          {({ copied, copy }) => (
            <Button
              variant={copied ? 'light' : 'filled'}
              color={copied ? 'teal' : 'indigo'}
              leftSection={copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
              onClick={copy}
            >
              {copied ? 'Copied' : 'Copy token'}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" onClick={onDone}>
          Done
        </Button>
      </Group>
    </Stack>
  );
}
