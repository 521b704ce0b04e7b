import { Anchor, Group, Loader, NativeSelect, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Service } from '../../api/catalog.ts';
import { policiesQuery, setServicePolicy } from '../../api/response.ts';
import { useLink } from '../../app/router.ts';
import { POLICIES_PATH, policyHref } from '../../pages/respond/paths.ts';
import { ErrorAlert } from '../ErrorAlert.tsx';
import { Section } from '../Section.tsx';

const NONE = '';

/** Which escalation policy pages for the service's incidents; saved as soon as it is picked. */
export function ServicePolicySection({ service, manageable }: { service: Service; manageable: boolean }) {
  const queryClient = useQueryClient();
  const policies = useQuery(policiesQuery);
  const current = policies.data?.find((policy) => policy.id === service.escalationPolicyId);
  const currentLink = useLink(policyHref(service.escalationPolicyId ?? ''));
  const allLink = useLink(POLICIES_PATH);
  const save = useMutation({
    mutationFn: (policyId: string | null) => setServicePolicy(service.id, policyId),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['services', 'one', saved.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['services', 'list'] });
    },
  });
  // The service's own team's policies first: those are the ones its admins manage.
  const options = [...(policies.data ?? [])].sort(
    (a, b) =>
      Number(b.teamId === service.teamId) - Number(a.teamId === service.teamId) ||
      a.name.localeCompare(b.name),
  );
  return (
    <Section
      id="service-escalation"
      title="Escalation"
      description="Who is paged when this service opens an incident, in which order, and how long each step waits for an acknowledgement."
    >
      {manageable ? (
        <Group align="flex-end" gap="sm">
          <NativeSelect
            label="Escalation policy"
            miw={260}
            data={[
              { value: NONE, label: 'None: nobody is paged' },
              ...options.map((policy) => ({ value: policy.id, label: policy.name })),
            ]}
            value={service.escalationPolicyId ?? NONE}
            disabled={policies.isPending || save.isPending}
            onChange={(event) => save.mutate(event.currentTarget.value || null)}
          />
          {save.isPending && <Loader size="sm" aria-label="Saving" />}
          {save.isSuccess && !save.isPending && (
            <Text size="sm" c="teal" role="status">
              Saved.
            </Text>
          )}
        </Group>
      ) : (
        <Text size="sm">
          {service.escalationPolicyId === null ? (
            'None: nobody is paged for this service’s incidents.'
          ) : (
            <Anchor {...currentLink}>{current?.name ?? service.escalationPolicyId}</Anchor>
          )}
        </Text>
      )}
      {service.escalationPolicyId === null && (
        <Text size="sm" c="orange" mt="xs">
          Without a policy, incidents of this service page nobody.
        </Text>
      )}
      {manageable && current && (
        <Text size="sm" mt="xs">
          <Anchor {...currentLink}>Open “{current.name}”</Anchor> · <Anchor {...allLink}>All policies</Anchor>
        </Text>
      )}
      {save.isError && <ErrorAlert title="Could not change the escalation policy" error={save.error} />}
      {policies.isError && (
        <ErrorAlert title="Could not load the escalation policies" error={policies.error} />
      )}
    </Section>
  );
}
