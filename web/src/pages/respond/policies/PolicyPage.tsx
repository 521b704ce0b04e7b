import { Anchor, Badge, Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPencil, IconSend, IconStairsUp } from '@tabler/icons-react';
import { useState } from 'react';
import { servicesQuery, type Service } from '../../../api/catalog.ts';
import { isStatus } from '../../../api/client.ts';
import { deletePolicy, drillsQuery, policyQuery, startDrill } from '../../../api/response.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { navigate, useLink } from '../../../app/router.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { BackLink } from '../../../components/alerting/BackLink.tsx';
import { DeleteAction } from '../../../components/DeleteAction.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { LiveDrillResult } from '../../../components/response/DrillResult.tsx';
import { canAdminTeam, canRespondIn } from '../../../components/response/permissions.ts';
import { PolicySteps } from '../../../components/response/PolicySteps.tsx';
import { usePeople } from '../../../components/response/usePeople.ts';
import { Section } from '../../../components/Section.tsx';
import { NotFoundPage } from '../../NotFoundPage.tsx';
import { serviceHref } from '../../prepare/services/paths.ts';
import { POLICIES_PATH, policyHref } from '../paths.ts';
import { PolicyFormModal } from './PolicyFormModal.tsx';

function ServiceLink({ service }: { service: Service }) {
  const link = useLink(serviceHref(service.id));
  return <Anchor {...link}>{service.name}</Anchor>;
}

/** "Send a test page": the policy's steps as they would page right now, every message sent for real. */
function DrillSection({ policyId, mayDrill }: { policyId: string; mayDrill: boolean }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const drills = useQuery(drillsQuery({ policyId }));
  const [started, setStarted] = useState<string | undefined>();
  const drill = useMutation({
    mutationFn: () => startDrill({ policyId }),
    onSuccess: async (result) => {
      setStarted(result.id);
      await queryClient.invalidateQueries({ queryKey: ['drills', 'list'] });
    },
  });
  const shown = started ?? drills.data?.[0]?.id;
  return (
    <Section
      id="policy-drill"
      title="Paging drill"
      description="Sends a test page through this policy by the real path: every step, every person’s contact methods, every channel. Nobody is asked to acknowledge."
      actions={
        mayDrill && (
          <Button
            leftSection={<IconSend size={16} aria-hidden />}
            loading={drill.isPending}
            onClick={() => drill.mutate()}
          >
            Send a test page
          </Button>
        )
      }
    >
      {drill.isError && <ErrorAlert title="Could not start the drill" error={drill.error} />}
      {shown ? (
        <LiveDrillResult key={shown} drillId={shown} timeZone={user.timeZone} />
      ) : (
        <Text size="sm" c="dimmed">
          {drills.isPending ? 'Loading…' : 'No drill yet.'}
        </Text>
      )}
    </Section>
  );
}

export function PolicyPage({ policyId }: { policyId: string }) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const policy = useQuery(policyQuery(policyId));
  const services = useQuery(servicesQuery);
  const people = usePeople();
  const [editing, edit] = useDisclosure(false);
  const remove = useMutation({
    mutationFn: () => deletePolicy(policyId),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ['escalation-policies', 'one', policyId] });
      await queryClient.invalidateQueries({ queryKey: ['escalation-policies', 'list'] });
      navigate(POLICIES_PATH, { replace: true });
    },
  });

  if (isStatus(policy.error, 404)) return <NotFoundPage path={policyHref(policyId)} />;
  if (isStatus(policy.error, 403)) return <NoAccessPage error={policy.error} />;
  if (policy.isPending) return <Skeleton height={240} />;
  if (policy.isError)
    return (
      <ErrorAlert
        title="Could not load the policy"
        error={policy.error}
        onRetry={() => void policy.refetch()}
      />
    );

  const p = policy.data;
  const manageable = canAdminTeam(user, p.teamId) && !p.declared;
  const usedBy = (services.data ?? []).filter((s) => s.escalationPolicyId === p.id);
  const teamName = people.teams.find((team) => team.id === p.teamId)?.name ?? p.teamId;
  return (
    <>
      <BackLink to={POLICIES_PATH} label="All escalation policies" />
      <PageHeader
        title={p.name}
        description={
          <>
            {teamName} · version {p.version}
            {p.description ? ` · ${p.description}` : ''}
            {p.declared && (
              <Badge component="span" ml="xs" variant="default" tt="none" fw={500}>
                Declared in the config file (read-only here)
              </Badge>
            )}
          </>
        }
        icon={IconStairsUp}
        color="red"
        actions={
          manageable && (
            <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={edit.open}>
              Edit
            </Button>
          )
        }
      />
      <Stack gap="lg">
        <Section
          id="policy-steps"
          title="Steps"
          description="Incidents page from the version they opened with."
        >
          <PolicySteps policy={p} />
        </Section>
        <Section id="policy-services" title="Used by">
          {usedBy.length === 0 ? (
            <Text size="sm" c="dimmed">
              No service uses this policy yet: pick it on a service’s page.
            </Text>
          ) : (
            <Group gap="sm">
              {usedBy.map((service) => (
                <ServiceLink key={service.id} service={service} />
              ))}
            </Group>
          )}
        </Section>
        <DrillSection policyId={p.id} mayDrill={canRespondIn(user, p.teamId)} />
        {manageable && (
          <DeleteAction label="Delete policy" title={`Delete ${p.name}?`} remove={remove}>
            Siaga refuses while a service uses it. Incidents already paging with it carry on.
          </DeleteAction>
        )}
      </Stack>
      <PolicyFormModal opened={editing} policy={p} onClose={edit.close} onSaved={edit.close} />
      <Text size="xs" c="dimmed" mt="lg">
        Policy id: {p.id}
      </Text>
    </>
  );
}
