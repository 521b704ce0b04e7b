import { ActionIcon, Box, Code, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useId } from 'react';

interface CopyableCodeProps {
  label: string;
  value: string;
  /** A multi-line block (snippets, JSON) rather than one wrapped line (a URL, a key). */
  block?: boolean;
  description?: string;
  testId?: string;
}

/** A value people paste elsewhere: shown whole, selected at once, with a copy button named after it. */
export function CopyableCode({ label, value, block = false, description, testId }: CopyableCodeProps) {
  const id = useId();
  return (
    <Box>
      <Group justify="space-between" gap="xs" mb={4} wrap="nowrap">
        <div>
          <Text size="sm" fw={500} id={id}>
            {label}
          </Text>
          {description !== undefined && (
            <Text size="xs" c="dimmed">
              {description}
            </Text>
          )}
        </div>
        <CopyButton value={value} timeout={2_000}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
              <ActionIcon
                variant={copied ? 'light' : 'default'}
                color={copied ? 'teal' : 'gray'}
                aria-label={`Copy ${label.toLowerCase()}`}
                onClick={copy}
              >
                {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      </Group>
      <Code
        block
        aria-labelledby={id}
        data-testid={testId}
        style={{
          overflowWrap: 'anywhere',
          // Keys may contain (or start with) '-': break anywhere rather than after a hyphen.
          wordBreak: block ? undefined : 'break-all',
          whiteSpace: block ? 'pre' : 'pre-wrap',
          overflowX: 'auto',
          userSelect: 'all',
          maxHeight: block ? 420 : undefined,
        }}
      >
        {value}
      </Code>
    </Box>
  );
}
