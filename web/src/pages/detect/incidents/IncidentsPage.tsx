import { Button, Card, EmptyState, Group, Select, Skeleton, Stack, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { IconFlame, IconMoodHappy } from '@tabler/icons-react';
import { useMemo } from 'react';
import { incidentsQuery, STATUS_FILTERS, type StatusFilter } from '../../../api/alerting.ts';
import { isStatus } from '../../../api/client.ts';
import { servicesQuery } from '../../../api/catalog.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { navigate } from '../../../app/router.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { ChoiceControl } from '../../../components/alerting/ChoiceControl.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { useNow } from '../../../lib/useNow.ts';
import { LIVE_INTERVAL_MS, STATUS_FILTER_LABELS } from '../alerts/alertFilter.ts';
import { IncidentCards, IncidentsTable } from './IncidentsTable.tsx';
import { usePhone } from '../../../components/alerting/usePhone.ts';

const PATH = '/detect/incidents';

interface IncidentFilter {
  status: StatusFilter;
  serviceId?: string;
}

function filterFrom(search: URLSearchParams): IncidentFilter {
  const status = search.get('status') ?? '';
  const serviceId = search.get('serviceId');
  return {
    status: (STATUS_FILTERS as readonly string[]).includes(status) ? (status as StatusFilter) : 'open',
    ...(serviceId ? { serviceId } : {}),
  };
}

function show(filter: IncidentFilter): void {
  const params = new URLSearchParams();
  if (filter.status !== 'open') params.set('status', filter.status);
  if (filter.serviceId) params.set('serviceId', filter.serviceId);
  navigate(`${PATH}${params.size > 0 ? `?${params.toString()}` : ''}`, { replace: true });
}

export function IncidentsPage({ search }: { search: URLSearchParams }) {
  const user = useCurrentUser();
  const searchKey = search.toString();
  const filter = useMemo(() => filterFrom(new URLSearchParams(searchKey)), [searchKey]);
  const incidents = useInfiniteQuery({
    ...incidentsQuery(filter),
    refetchInterval: LIVE_INTERVAL_MS,
    placeholderData: keepPreviousData,
  });
  const services = useQuery(servicesQuery);
  const now = useNow(15_000);
  const phone = usePhone();

  if (isStatus(incidents.error, 403)) return <NoAccessPage error={incidents.error} />;

  const rows = incidents.data?.pages.flatMap((page) => page.items) ?? [];
  let body;
  if (incidents.isPending) body = <Skeleton height={200} />;
  else if (incidents.isError)
    body = (
      <ErrorAlert
        title="Could not load the incidents"
        error={incidents.error}
        onRetry={() => void incidents.refetch()}
      />
    );
  else if (rows.length === 0)
    body = (
      <EmptyState
        icon={<IconMoodHappy size={28} stroke={1.5} aria-hidden />}
        variant="light"
        color="teal"
        title={filter.status === 'open' ? 'No open incidents' : 'No incidents match'}
        description="Alerts that need a person open incidents, grouped by each service's rules."
      />
    );
  else
    body = (
      <>
        {phone ? (
          <IncidentCards incidents={rows} now={now} timeZone={user.timeZone} />
        ) : (
          <IncidentsTable incidents={rows} now={now} timeZone={user.timeZone} />
        )}
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed">
            {rows.length} {rows.length === 1 ? 'incident' : 'incidents'}
          </Text>
          {incidents.hasNextPage && (
            <Button
              variant="default"
              loading={incidents.isFetchingNextPage}
              onClick={() => void incidents.fetchNextPage()}
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
        title="Incidents"
        description="Alerts grouped into incidents per service, newest first. The list updates by itself."
        icon={IconFlame}
        color="orange"
      />
      <Stack gap="lg">
        <Card withBorder padding="md">
          <Group align="flex-end" gap="md">
            <ChoiceControl
              label="Status"
              data={STATUS_FILTERS.map((value) => ({ value, label: STATUS_FILTER_LABELS[value] }))}
              value={filter.status}
              onChange={(status) => show({ ...filter, status })}
            />
            <Select
              label="Service"
              placeholder="All services"
              clearable
              searchable
              data={(services.data ?? []).map((service) => ({ value: service.id, label: service.name }))}
              value={filter.serviceId ?? null}
              onChange={(value) => {
                const { serviceId: _, ...rest } = filter;
                show(value ? { ...rest, serviceId: value } : rest);
              }}
              style={{ flex: '1 1 200px' }}
            />
          </Group>
        </Card>
        <Card withBorder padding="md">
          {body}
        </Card>
      </Stack>
    </>
  );
}
