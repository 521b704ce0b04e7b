import {
  Alert,
  Anchor,
  Button,
  Card,
  DataList,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery, type UseQueryResult } from '@tanstack/react-query';
import { IconAlertCircle, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { aboutQuery, livenessQuery, readinessQuery } from '../api/system.ts';
import { PageHeader } from '../app/PageHeader.tsx';
import { formatDateTime, formatDuration } from '../lib/format.ts';
import { useNow } from '../lib/useNow.ts';
import { CheckBadge, ReadyBadge } from './StatusBadge.tsx';

const DIALECTS: Record<string, string> = {
  sqlite: 'SQLite (embedded)',
  postgres: 'PostgreSQL',
};

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** No answer at all, or a proxy in front of the server saying it got none. */
function isUnreachable(error: Error | null): boolean {
  return error instanceof ApiError && (error.status === null || error.status === 502 || error.status === 504);
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb="md">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

/** A value, a placeholder while it loads, or a dash when its query failed (the section says why). */
function Value<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Skeleton height={18} width={120} radius="sm" />;
  if (query.isError) return <Text c="dimmed">—</Text>;
  return <>{children(query.data)}</>;
}

function QueryError({ error, what }: { error: Error; what: string }) {
  return (
    <Text c="red" size="sm" mt="md">
      Could not load {what}: {error.message}
    </Text>
  );
}

function ServerSection() {
  const about = useQuery(aboutQuery);
  const now = useNow(1_000);
  // The server reports uptime when asked; count on locally between refreshes.
  const uptime = (seconds: number) =>
    formatDuration(seconds + Math.max(0, now - about.dataUpdatedAt) / 1_000);
  return (
    <Section id="about-server" title="Server">
      <DataList labelWidth="110px">
        <Item label="Version">
          <Value query={about}>{(data) => data.version}</Value>
        </Item>
        <Item label="Node.js">
          <Value query={about}>{(data) => data.node}</Value>
        </Item>
        <Item label="Database">
          <Value query={about}>{(data) => DIALECTS[data.database.dialect] ?? data.database.dialect}</Value>
        </Item>
        <Item label="Uptime">
          <Value query={about}>{(data) => uptime(data.uptimeSeconds)}</Value>
        </Item>
        <Item label="Started">
          <Value query={about}>{(data) => formatDateTime(data.startedAt)}</Value>
        </Item>
      </DataList>
      {about.isError && <QueryError error={about.error} what="server details" />}
    </Section>
  );
}

function HealthSection() {
  const liveness = useQuery(livenessQuery);
  const readiness = useQuery(readinessQuery);
  return (
    <Section id="about-health" title="Health">
      <DataList labelWidth="110px">
        <Item label="Liveness">
          <Value query={liveness}>{(data) => <CheckBadge ok={data.ok} />}</Value>
        </Item>
        <Item label="Readiness">
          <Value query={readiness}>{(data) => <ReadyBadge ready={data.ready} />}</Value>
        </Item>
        {readiness.data?.checks.map((check) => (
          <Item key={check.name} label={capitalize(check.name)}>
            <Stack gap={4} align="flex-start">
              <CheckBadge ok={check.status === 'ok'} />
              {check.detail !== undefined && (
                <Text size="sm" c={check.status === 'ok' ? 'dimmed' : 'red'}>
                  {check.detail}
                </Text>
              )}
            </Stack>
          </Item>
        ))}
      </DataList>
      {readiness.isError && <QueryError error={readiness.error} what="readiness" />}
      {liveness.isError && !readiness.isError && <QueryError error={liveness.error} what="liveness" />}
    </Section>
  );
}

function LinksSection() {
  return (
    <Section id="about-links" title="For operators">
      <Stack gap="sm">
        <div>
          <Anchor href="/api/docs">API reference</Anchor>
          <Text size="sm" c="dimmed">
            Every endpoint with its request and response schema (OpenAPI).
          </Text>
        </div>
        <div>
          <Anchor href="/metrics">Metrics</Anchor>
          <Text size="sm" c="dimmed">
            Prometheus metrics of this node, ready to scrape.
          </Text>
        </div>
      </Stack>
    </Section>
  );
}

function UnreachableAlert() {
  const about = useQuery(aboutQuery);
  const readiness = useQuery(readinessQuery);
  if (!isUnreachable(about.error) && !isUnreachable(readiness.error)) return null;
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      mb="lg"
      title="Cannot reach the Siaga server"
      icon={<IconAlertCircle aria-hidden />}
    >
      This page could not talk to the server that served it: it may have stopped or be restarting, or the
      network is down. The values below refresh on their own every 15 seconds.
    </Alert>
  );
}

function RefreshButton() {
  const about = useQuery(aboutQuery);
  const liveness = useQuery(livenessQuery);
  const readiness = useQuery(readinessQuery);
  const fetching = about.isFetching || liveness.isFetching || readiness.isFetching;
  const refresh = () => void Promise.all([about.refetch(), liveness.refetch(), readiness.refetch()]);
  return (
    <Button
      variant="default"
      leftSection={<IconRefresh size={16} aria-hidden />}
      onClick={refresh}
      loading={fetching}
      loaderProps={{ type: 'dots' }}
    >
      Refresh
    </Button>
  );
}

export function AboutPage() {
  return (
    <>
      <PageHeader
        title="About"
        description="Version and health of the Siaga server this page talks to."
        actions={<RefreshButton />}
      />
      <UnreachableAlert />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <ServerSection />
        <HealthSection />
        <LinksSection />
      </SimpleGrid>
    </>
  );
}
