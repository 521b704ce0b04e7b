import { Badge, Button, Card, Collapse, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { IconAdjustmentsHorizontal, IconDownload, IconHistory } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import {
  AUDIT_FILTER_KEYS,
  auditCsvHref,
  auditQuery,
  auditSearch,
  type AuditFilter,
} from '../../../api/audit.ts';
import { isStatus } from '../../../api/client.ts';
import { teamsQuery } from '../../../api/teams.ts';
import { usersQuery } from '../../../api/users.ts';
import { adminTeamIds, isGlobalAdmin } from '../../../app/access.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { navigate } from '../../../app/router.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { AuditFilters } from './AuditFilters.tsx';
import { AuditList } from './AuditList.tsx';
import { AuditTable } from './AuditTable.tsx';

function filterFrom(search: URLSearchParams): AuditFilter {
  const filter: AuditFilter = {};
  for (const key of AUDIT_FILTER_KEYS) {
    const value = search.get(key);
    if (value) filter[key] = value;
  }
  return filter;
}

/** The filters live in the address, so a filtered view can be bookmarked or shared. */
function showFilter(filter: AuditFilter): void {
  const query = auditSearch(filter).toString();
  navigate(`/admin/audit${query ? `?${query}` : ''}`, { replace: true });
}

export function AuditPage({ search }: { search: URLSearchParams }) {
  const user = useCurrentUser();
  const searchKey = search.toString();
  const filter = useMemo(() => filterFrom(new URLSearchParams(searchKey)), [searchKey]);
  const globalAdmin = isGlobalAdmin(user);
  // Bumped by "Clear filters" so the typed filters start empty again.
  const [generation, setGeneration] = useState(0);
  // Phones get the entries as a list and the filters behind a button; the table is wider than their screen.
  const phone = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
  const [filtersOpen, filtersToggle] = useDisclosure(false);
  const ownTeams = adminTeamIds(user);
  // A team admin reads only their teams' entries, and the server wants the team named.
  const teamMissing = !globalAdmin && (filter.teamId === undefined || !ownTeams.includes(filter.teamId));
  const fallbackTeam = ownTeams[0];

  useEffect(() => {
    if (teamMissing && fallbackTeam) showFilter({ ...filter, teamId: fallbackTeam });
  }, [teamMissing, fallbackTeam, filter]);

  const entries = useInfiniteQuery({ ...auditQuery(filter), enabled: !teamMissing });
  const people = useQuery(usersQuery({}));
  const teams = useQuery(teamsQuery);

  const names = useMemo(() => {
    const map = new Map<string, string>();
    for (const person of people.data ?? []) map.set(person.id, person.name);
    for (const team of teams.data ?? []) map.set(team.id, team.name);
    return map;
  }, [people.data, teams.data]);

  if (isStatus(entries.error, 403)) {
    return <NoAccessPage needs="Only administrators read the audit log." error={entries.error} />;
  }

  const selectableTeams = (teams.data ?? []).filter((team) => globalAdmin || ownTeams.includes(team.id));
  const rows = entries.data?.pages.flat() ?? [];
  const activeFilters = Object.keys(filter).length;

  let body;
  if (entries.isPending) body = <Skeleton height={200} />;
  else if (entries.isError)
    body = (
      <ErrorAlert
        title="Could not load the audit log"
        error={entries.error}
        onRetry={() => void entries.refetch()}
      />
    );
  else if (rows.length === 0)
    body = (
      <Text c="dimmed" ta="center" py="xl">
        No entries match these filters.
      </Text>
    );
  else
    body = (
      <>
        {phone ? (
          <AuditList entries={rows} timeZone={user.timeZone} names={names} />
        ) : (
          <AuditTable entries={rows} timeZone={user.timeZone} names={names} />
        )}
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed" role="status">
            {rows.length} {rows.length === 1 ? 'entry' : 'entries'}
            {entries.hasNextPage ? '' : ', the oldest included'}
          </Text>
          {entries.hasNextPage && (
            <Button
              variant="default"
              loading={entries.isFetchingNextPage}
              onClick={() => void entries.fetchNextPage()}
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
        title="Audit log"
        description={`Who did what, and when: every sign-in and every change to people, teams and tokens. Times are in ${user.timeZone}.`}
        icon={IconHistory}
        actions={
          <Button
            component="a"
            href={auditCsvHref(filter)}
            download
            variant="default"
            leftSection={<IconDownload size={16} aria-hidden />}
          >
            Export CSV
          </Button>
        }
      />
      <Stack gap="lg">
        <Card withBorder padding="md">
          {phone && (
            <Button
              variant="default"
              leftSection={<IconAdjustmentsHorizontal size={16} aria-hidden />}
              rightSection={
                activeFilters > 0 ? (
                  <Badge size="sm" circle>
                    {activeFilters}
                  </Badge>
                ) : undefined
              }
              aria-expanded={filtersOpen}
              aria-controls="audit-filters"
              onClick={filtersToggle.toggle}
            >
              {filtersOpen ? 'Hide filters' : 'Filters'}
            </Button>
          )}
          <Collapse expanded={!phone || filtersOpen} id="audit-filters" pt={phone ? 'sm' : 0}>
            <AuditFilters
              key={generation}
              filter={filter}
              onChange={(patch) => showFilter({ ...filter, ...patch })}
              onClear={() => {
                setGeneration((n) => n + 1);
                showFilter(globalAdmin || !filter.teamId ? {} : { teamId: filter.teamId });
              }}
              people={people.data ?? []}
              teams={selectableTeams}
              teamRequired={!globalAdmin}
              timeZone={user.timeZone}
            />
          </Collapse>
        </Card>
        <Card withBorder padding="md">
          {body}
        </Card>
      </Stack>
    </>
  );
}
