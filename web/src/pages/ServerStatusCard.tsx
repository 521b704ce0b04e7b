import { Anchor, Card, Group, Loader, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { aboutQuery, readinessQuery } from '../api/system.ts';
import { useLink } from '../app/router.ts';
import { ReadyBadge } from './StatusBadge.tsx';

/** One line on the overview: is the server ready, which version; details live on the About page. */
export function ServerStatusCard() {
  const readiness = useQuery(readinessQuery);
  const about = useQuery(aboutQuery);
  const aboutLink = useLink('/about');

  let status;
  if (readiness.isPending) status = <Loader size="xs" aria-label="Checking the server" />;
  else if (readiness.isError)
    status = (
      <Text c="red" size="sm">
        {readiness.error.message}
      </Text>
    );
  else status = <ReadyBadge ready={readiness.data.ready} />;

  return (
    <Card withBorder padding="md" component="section" aria-label="Server status">
      <Group justify="space-between" gap="sm">
        <Group gap="sm">
          <Text fw={600}>Server</Text>
          {status}
          {about.data && (
            <Text size="sm" c="dimmed">
              version {about.data.version}
            </Text>
          )}
        </Group>
        <Anchor {...aboutLink} size="sm">
          Health details
        </Anchor>
      </Group>
    </Card>
  );
}
