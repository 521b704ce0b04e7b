import { ActionIcon, Code, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useId, type ReactNode } from 'react';

interface RedirectUriProps {
  uri: string;
  /** A line under the URI, e.g. why it is not final yet. */
  hint?: ReactNode;
}

/** The callback URL to register at the provider, readable in full and one click to copy. */
export function RedirectUri({ uri, hint }: RedirectUriProps) {
  const labelId = useId();
  return (
    <div>
      <Text size="sm" fw={500} mb={4} id={labelId}>
        Redirect URI
      </Text>
      <Group gap="xs" wrap="nowrap" align="center">
        <Code
          aria-labelledby={labelId}
          className="siaga-copyable"
          data-testid="redirect-uri"
          style={{ flex: 1, minWidth: 0 }}
          py={6}
        >
          {uri}
        </Code>
        <CopyButton value={uri} timeout={2_000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow position="left">
              <ActionIcon
                variant={copied ? 'light' : 'default'}
                color={copied ? 'teal' : 'gray'}
                size="lg"
                aria-label={copied ? 'Copied the redirect URI' : 'Copy the redirect URI'}
                onClick={copy}
              >
                {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
      {hint !== undefined && (
        <Text size="xs" c="dimmed" mt={4}>
          {hint}
        </Text>
      )}
    </div>
  );
}
