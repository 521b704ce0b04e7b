import { Button, Card, EmptyState, Group, Skeleton, Stack, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { IconAlertTriangle, IconBellCheck } from '@tabler/icons-react';
import { useMemo } from 'react';
import { alertsQuery, type AlertFilter } from '../../../api/alerting.ts';
import { isStatus } from '../../../api/client.ts';
import { servicesQuery } from '../../../api/catalog.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { navigate } from '../../../app/router.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { describeError } from '../../../lib/errors.ts';
import { useNow } from '../../../lib/useNow.ts';
import { AlertFilters } from './AlertFilters.tsx';
import { alertFilterFrom, alertFilterSearch, ALERTS_PATH, LIVE_INTERVAL_MS } from './alertFilter.ts';
import { AlertCards, AlertsTable } from './AlertsTable.tsx';
import { usePhone } from '../../../components/alerting/usePhone.ts';

export function AlertsPage({ search }: { search: URLSearchParams }) {
  const user = useCurrentUser();
  const searchKey = search.toString();
  const filter = useMemo(() => alertFilterFrom(new URLSearchParams(searchKey)), [searchKey]);
  const alerts = useInfiniteQuery({
    ...alertsQuery(filter),
    refetchInterval: LIVE_INTERVAL_MS,
    placeholderData: keepPreviousData,
  });
  const services = useQuery(servicesQuery);
  const now = useNow(15_000);
  const phone = usePhone();

  const serviceNames = useMemo(
    () => new Map((services.data ?? []).map((service) => [service.id, service.name])),
    [services.data],
  );

  if (isStatus(alerts.error, 403)) return <NoAccessPage error={alerts.error} />;

  const setFilter = (patch: AlertFilter) =>
    navigate(`${ALERTS_PATH}${alertFilterSearch({ ...filter, ...patch })}`, { replace: true });
  const badMatchers = isStatus(alerts.error, 400) && filter.filter !== undefined;
  const rows = alerts.data?.pages.flatMap((page) => page.items) ?? [];

  let body;
  if (alerts.isPending) body = <Skeleton height={200} />;
  else if (alerts.isError && !badMatchers)
    body = (
      <ErrorAlert
        title="Could not load the alerts"
        error={alerts.error}
        onRetry={() => void alerts.refetch()}
      />
    );
  else if (badMatchers)
    body = (
      <Text c="dimmed" ta="center" py="xl">
        Fix the label matchers to see alerts.
      </Text>
    );
  else if (rows.length === 0)
    body = (
      <EmptyState
        icon={<IconBellCheck size={28} stroke={1.5} aria-hidden />}
        variant="light"
        color="teal"
        title={filter.status === 'open' ? 'Nothing is firing' : 'No alerts match'}
        description={
          filter.status === 'open'
            ? 'No open alerts match these filters. New ones appear here as they arrive.'
            : 'Try other filters.'
        }
      />
    );
  else
    body = (
      <>
        {phone ? (
          <AlertCards alerts={rows} serviceNames={serviceNames} now={now} timeZone={user.timeZone} />
        ) : (
          <AlertsTable alerts={rows} serviceNames={serviceNames} now={now} timeZone={user.timeZone} />
        )}
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed">
            {rows.length} {rows.length === 1 ? 'alert' : 'alerts'}
            {alerts.hasNextPage ? ', more below' : ''}
          </Text>
          {alerts.hasNextPage && (
            <Button
              variant="default"
              loading={alerts.isFetchingNextPage}
              onClick={() => void alerts.fetchNextPage()}
            >
              Load more
            </Button>
          )}
        </Group>
      </>
    );

  return (
    <>
      <PageHeader
        title="Alerts"
        description="Everything firing, deduplicated per service, newest first. The list updates by itself."
        icon={IconAlertTriangle}
        color="orange"
      />
      <Stack gap="lg">
        <Card withBorder padding="md">
          <AlertFilters
            filter={filter}
            onChange={setFilter}
            services={services.data ?? []}
            matcherError={badMatchers ? describeError(alerts.error) : undefined}
          />
        </Card>
        <Card withBorder padding="md">
          {body}
        </Card>
      </Stack>
    </>
  );
}
