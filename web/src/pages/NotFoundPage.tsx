import { Button, Code, Text } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { PageHeader } from '../app/PageHeader.tsx';
import { useLink } from '../app/router.ts';

export function NotFoundPage({ path }: { path: string }) {
  const home = useLink('/');
  return (
    <>
      <PageHeader title="Page not found" />
      <Text mb="lg">
        Nothing lives at <Code>{path}</Code>. The link may be mistyped, or the page may belong to a later
        release.
      </Text>
      <Button component="a" {...home} variant="light" leftSection={<IconArrowLeft size={16} aria-hidden />}>
        Back to the overview
      </Button>
    </>
  );
}
