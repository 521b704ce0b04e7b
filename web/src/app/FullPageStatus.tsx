import { Center, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** The whole window while the app cannot show a page yet (checking the session), or why it cannot. */
export function FullPageStatus({ label, children }: { label: string; children?: ReactNode }) {
  return (
    <Center mih="100dvh" p="md" component="main">
      <Stack align="center" gap="md" maw={480}>
        {children ?? <Loader type="dots" aria-hidden />}
        <Text c="dimmed" role="status">
          {label}
        </Text>
      </Stack>
    </Center>
  );
}
