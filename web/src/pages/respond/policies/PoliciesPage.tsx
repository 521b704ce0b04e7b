import { Anchor, Badge, Button, Card, EmptyState, Skeleton, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconPlus, IconStairsUp } from '@tabler/icons-react';
import { isStatus } from '../../../api/client.ts';
import { policiesQuery, type EscalationPolicy } from '../../../api/response.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { navigate, useLink } from '../../../app/router.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { adminsAnyTeam } from '../../../components/response/permissions.ts';
import { usePeople } from '../../../components/response/usePeople.ts';
import { policyHref } from '../paths.ts';
import { PolicyFormModal } from './PolicyFormModal.tsx';

function PolicyLink({ policy }: { policy: EscalationPolicy }) {
  const link = useLink(policyHref(policy.id));
  return (
    <Anchor {...link} fw={500}>
      {policy.name}
    </Anchor>
  );
}

const firstStep = (policy: EscalationPolicy) =>
  policy.steps[0]?.targets.map((t) => t.name ?? t.id).join(', ') ?? '—';

export function PoliciesPage() {
  const user = useCurrentUser();
  const policies = useQuery(policiesQuery);
  const people = usePeople();
  const [creating, create] = useDisclosure(false);
  const teamName = (id: string) => people.teams.find((team) => team.id === id)?.name ?? id;

  if (isStatus(policies.error, 403)) return <NoAccessPage error={policies.error} />;
  let body;
  if (policies.isPending) body = <Skeleton height={160} />;
  else if (policies.isError)
    body = (
      <ErrorAlert
        title="Could not load the escalation policies"
        error={policies.error}
        onRetry={() => void policies.refetch()}
      />
    );
  else if (policies.data.length === 0)
    body = (
      <EmptyState
        icon={<IconStairsUp size={28} stroke={1.5} aria-hidden />}
        variant="light"
        title="No escalation policies yet"
        description="A policy says who is paged for a service's incidents, in which order, and how long each step waits."
      />
    );
  else
    body = (
      <Table.ScrollContainer minWidth={640} type="native">
        <Table verticalSpacing="sm" aria-label="Escalation policies">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Policy</Table.Th>
              <Table.Th>Team</Table.Th>
              <Table.Th>First step pages</Table.Th>
              <Table.Th>Steps</Table.Th>
              <Table.Th>Repeats</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...policies.data]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((policy) => (
                <Table.Tr key={policy.id} data-policy-id={policy.id}>
                  <Table.Td>
                    <PolicyLink policy={policy} />
                    {policy.declared && (
                      <Badge ml="xs" size="sm" variant="default" tt="none" fw={500}>
                        Config file
                      </Badge>
                    )}
                    {policy.description && (
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {policy.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td fz="sm">{teamName(policy.teamId)}</Table.Td>
                  <Table.Td fz="sm">{firstStep(policy)}</Table.Td>
                  <Table.Td fz="sm">{policy.steps.length}</Table.Td>
                  <Table.Td fz="sm">{policy.repeat}</Table.Td>
                </Table.Tr>
              ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );

  return (
    <>
      <PageHeader
        title="Escalation policies"
        description="Who is paged for an incident, in which order, and how long each step waits for an acknowledgement."
        icon={IconStairsUp}
        color="red"
        actions={
          adminsAnyTeam(user) && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={create.open}>
              New policy
            </Button>
          )
        }
      />
      <Card withBorder padding="md">
        {body}
      </Card>
      <PolicyFormModal
        opened={creating}
        onClose={create.close}
        onSaved={(policy) => {
          create.close();
          navigate(policyHref(policy.id));
        }}
      />
    </>
  );
}
