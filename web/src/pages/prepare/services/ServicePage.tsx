import { Anchor, Badge, Button, DataList, Skeleton, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPencil, IconStack2 } from '@tabler/icons-react';
import { describeGrouping, deleteService, serviceQuery, type Service } from '../../../api/catalog.ts';
import { isStatus } from '../../../api/client.ts';
import { teamsQuery } from '../../../api/teams.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { navigate, useLink } from '../../../app/router.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { BackLink } from '../../../components/alerting/BackLink.tsx';
import { canManageServices } from '../../../components/alerting/permissions.ts';
import { DeleteAction } from '../../../components/DeleteAction.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { Section } from '../../../components/Section.tsx';
import { ServicePolicySection } from '../../../components/response/ServicePolicySection.tsx';
import { NotFoundPage } from '../../NotFoundPage.tsx';
import { IntegrationsSection } from './IntegrationsSection.tsx';
import { SERVICES_PATH, serviceHref } from './paths.ts';
import { ServiceFormModal } from './ServiceFormModal.tsx';
import { usePhone } from '../../../components/alerting/usePhone.ts';

function ServiceDetails({ service, teamName }: { service: Service; teamName: string }) {
  const phone = usePhone();
  const query = `serviceId=${encodeURIComponent(service.id)}`;
  const alerts = useLink(`/detect/alerts?${query}`);
  const incidents = useLink(`/detect/incidents?${query}`);
  return (
    <Section id="service-details" title="Settings">
      <DataList labelWidth={170} withDivider orientation={phone ? 'vertical' : 'horizontal'}>
        <DataList.Item>
          <DataList.ItemLabel>Owning team</DataList.ItemLabel>
          <DataList.ItemValue>{teamName}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Urgency</DataList.ItemLabel>
          <DataList.ItemValue>
            {service.urgency === 'high' ? 'High: page at once' : 'Low: during business hours'}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Grouping</DataList.ItemLabel>
          <DataList.ItemValue>{describeGrouping(service.grouping)}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Auto-resolve</DataList.ItemLabel>
          <DataList.ItemValue>
            {service.autoResolve
              ? 'Yes: the incident resolves when all of its alerts do'
              : 'No: a person resolves the incident'}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Activity</DataList.ItemLabel>
          <DataList.ItemValue>
            <Anchor {...alerts}>Alerts</Anchor> · <Anchor {...incidents}>Incidents</Anchor>
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
    </Section>
  );
}

export function ServicePage({ serviceId }: { serviceId: string }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const service = useQuery(serviceQuery(serviceId));
  const teams = useQuery(teamsQuery);
  const [editing, edit] = useDisclosure(false);
  const remove = useMutation({
    mutationFn: () => deleteService(serviceId),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ['services', 'one', serviceId] });
      await queryClient.invalidateQueries({ queryKey: ['services', 'list'] });
      navigate(SERVICES_PATH, { replace: true });
    },
  });

  if (isStatus(service.error, 404)) return <NotFoundPage path={serviceHref(serviceId)} />;
  if (isStatus(service.error, 403)) return <NoAccessPage error={service.error} />;
  if (service.isPending) return <Skeleton height={240} />;
  if (service.isError)
    return (
      <ErrorAlert
        title="Could not load the service"
        error={service.error}
        onRetry={() => void service.refetch()}
      />
    );

  const s = service.data;
  const teamName =
    teams.data?.find((team) => team.id === s.teamId)?.name ??
    user.teams.find((team) => team.teamId === s.teamId)?.teamName ??
    s.teamId;
  const manageable = canManageServices(user) && !s.declared;

  return (
    <>
      <BackLink to={SERVICES_PATH} label="All services" />
      <PageHeader
        title={s.name}
        description={
          <>
            {s.description || 'No description.'}
            {s.declared && (
              <Badge component="span" ml="xs" variant="default" tt="none" fw={500}>
                Declared in the config file (read-only here)
              </Badge>
            )}
          </>
        }
        icon={IconStack2}
        color="teal"
        actions={
          manageable && (
            <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={edit.open}>
              Edit
            </Button>
          )
        }
      />
      <Stack gap="lg">
        <ServiceDetails service={s} teamName={teamName} />
        <ServicePolicySection service={s} manageable={manageable} />
        <IntegrationsSection serviceId={serviceId} manageable={canManageServices(user)} />
        {manageable && (
          <DeleteAction label="Delete service" title={`Delete ${s.name}?`} remove={remove}>
            The service and its integrations are deleted; their keys stop working at once. Siaga refuses while
            the service has open incidents.
          </DeleteAction>
        )}
      </Stack>
      <ServiceFormModal opened={editing} service={s} onClose={edit.close} onSaved={edit.close} />
      <Text size="xs" c="dimmed" mt="lg">
        Service id: {s.id}
      </Text>
    </>
  );
}
