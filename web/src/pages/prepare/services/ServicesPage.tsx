import { Anchor, Badge, Button, Card, EmptyState, Skeleton, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconPlus, IconStack2 } from '@tabler/icons-react';
import { useMemo } from 'react';
import { describeGrouping, servicesQuery, type Service } from '../../../api/catalog.ts';
import { isStatus } from '../../../api/client.ts';
import { teamsQuery } from '../../../api/teams.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { navigate, useLink } from '../../../app/router.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { canManageServices } from '../../../components/alerting/permissions.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { serviceHref } from './paths.ts';
import { ServiceFormModal } from './ServiceFormModal.tsx';

function ServiceLink({ service }: { service: Service }) {
  const link = useLink(serviceHref(service.id));
  return (
    <Anchor {...link} fw={500}>
      {service.name}
    </Anchor>
  );
}

function ServicesTable({
  services,
  teamNames,
}: {
  services: readonly Service[];
  teamNames: ReadonlyMap<string, string>;
}) {
  return (
    <Table.ScrollContainer minWidth={720} type="native">
      <Table verticalSpacing="sm" aria-label="Services">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Service</Table.Th>
            <Table.Th>Team</Table.Th>
            <Table.Th>Urgency</Table.Th>
            <Table.Th>Grouping</Table.Th>
            <Table.Th>Auto-resolve</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {[...services]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((service) => (
              <Table.Tr key={service.id} data-service-id={service.id}>
                <Table.Td>
                  <ServiceLink service={service} />
                  {service.declared && (
                    <Badge ml="xs" size="sm" variant="default" tt="none" fw={500}>
                      Config file
                    </Badge>
                  )}
                  {service.description && (
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {service.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td fz="sm">{teamNames.get(service.teamId) ?? service.teamId}</Table.Td>
                <Table.Td>
                  <Badge color={service.urgency === 'high' ? 'red' : 'gray'} variant="light" tt="none">
                    {service.urgency === 'high' ? 'High' : 'Low'}
                  </Badge>
                </Table.Td>
                <Table.Td fz="sm">{describeGrouping(service.grouping)}</Table.Td>
                <Table.Td fz="sm">{service.autoResolve ? 'Yes' : 'No'}</Table.Td>
              </Table.Tr>
            ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function ServicesPage() {
  const user = useCurrentUser();
  const services = useQuery(servicesQuery);
  const teams = useQuery(teamsQuery);
  const [creating, create] = useDisclosure(false);
  const teamNames = useMemo(() => {
    const names = new Map(user.teams.map((team) => [team.teamId, team.teamName]));
    for (const team of teams.data ?? []) names.set(team.id, team.name);
    return names;
  }, [teams.data, user.teams]);
  const mayCreate = canManageServices(user);

  if (isStatus(services.error, 403)) return <NoAccessPage error={services.error} />;

  let body;
  if (services.isPending) body = <Skeleton height={160} />;
  else if (services.isError)
    body = (
      <ErrorAlert
        title="Could not load the services"
        error={services.error}
        onRetry={() => void services.refetch()}
      />
    );
  else if (services.data.length === 0)
    body = (
      <EmptyState
        icon={<IconStack2 size={28} stroke={1.5} aria-hidden />}
        variant="light"
        title="No services yet"
        description="A service is something a team runs and gets paged for. Alerts arrive through its integrations."
      />
    );
  else body = <ServicesTable services={services.data} teamNames={teamNames} />;

  return (
    <>
      <PageHeader
        title="Services"
        description="What your teams run: who owns each service, and how its alerts become incidents."
        icon={IconStack2}
        color="teal"
        actions={
          mayCreate && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={create.open}>
              New service
            </Button>
          )
        }
      />
      <Card withBorder padding="md">
        {body}
      </Card>
      <ServiceFormModal
        opened={creating}
        onClose={create.close}
        onSaved={(service) => {
          create.close();
          navigate(serviceHref(service.id));
        }}
      />
    </>
  );
}
