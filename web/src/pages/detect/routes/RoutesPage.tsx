import { Button, EmptyState, Skeleton, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconRoute } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { routesApi, type Route } from '../../../api/alerting.ts';
import { isStatus } from '../../../api/client.ts';
import { servicesQuery } from '../../../api/catalog.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { useCurrentUser } from '../../../app/session.ts';
import { canEditGlobalRules } from '../../../components/alerting/permissions.ts';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Section } from '../../../components/Section.tsx';
import { describeError } from '../../../lib/errors.ts';
import { DryRunCard } from './DryRunCard.tsx';
import { InhibitionSection } from './InhibitionSection.tsx';
import { RouteFormModal } from './RouteFormModal.tsx';
import { RoutesTable, type RouteAction } from './RoutesTable.tsx';

/** The order rules are tried in: by position (the server's order when it gives none), the default route last. */
const inOrder = (routes: readonly Route[]): Route[] =>
  routes
    .map((route, index) => ({ route, key: route.position ?? index }))
    .sort((a, b) => Number(a.route.isDefault) - Number(b.route.isDefault) || a.key - b.key)
    .map(({ route }) => route);

export function RoutesPage() {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const routes = useQuery(routesApi.query);
  const services = useQuery(servicesQuery);
  const [formOpen, form] = useDisclosure(false);
  const [editing, setEditing] = useState<Route | undefined>(undefined);
  const [deleting, setDeleting] = useState<Route | undefined>(undefined);
  const manageable = canEditGlobalRules(user);
  const serviceNames = useMemo(
    () => new Map((services.data ?? []).map((service) => [service.id, service.name])),
    [services.data],
  );
  const invalidate = () => queryClient.invalidateQueries({ queryKey: routesApi.query.queryKey });
  const remove = useMutation({
    mutationFn: (route: Route) => routesApi.remove(route.id),
    onSuccess: async () => {
      setDeleting(undefined);
      await invalidate();
    },
  });
  /** Moving takes the neighbour's position; the server shifts the others. */
  const move = useMutation({
    mutationFn: ({ route, position }: { route: Route; position: number }) =>
      routesApi.update(route.id, { position }),
    onSettled: invalidate,
  });

  if (isStatus(routes.error, 403))
    return (
      <NoAccessPage
        needs="Routing rules are global configuration: observers and above in Siaga itself read them."
        error={routes.error}
      />
    );

  const ordered = inOrder(routes.data ?? []);
  const onAction = (action: RouteAction, route: Route, index: number) => {
    if (action === 'edit') {
      setEditing(route);
      form.open();
    } else if (action === 'delete') {
      remove.reset();
      setDeleting(route);
    } else {
      const neighbour = ordered[action === 'up' ? index - 1 : index + 1];
      if (neighbour?.position !== undefined) move.mutate({ route, position: neighbour.position });
    }
  };

  let body;
  if (routes.isPending) body = <Skeleton height={120} />;
  else if (routes.isError)
    body = (
      <ErrorAlert
        title="Could not load the routing rules"
        error={routes.error}
        onRetry={() => void routes.refetch()}
      />
    );
  else if (ordered.length === 0)
    body = (
      <EmptyState
        icon={<IconRoute size={28} stroke={1.5} aria-hidden />}
        variant="light"
        title="No routing rules"
        description="Alerts sent with an integration's key go to its service. Rules route alerts that arrive without one (for example through the shared Alertmanager API) by their labels."
      />
    );
  else
    body = (
      <>
        {move.isError && <ErrorAlert title="Could not move the rule" error={move.error} />}
        <RoutesTable routes={ordered} serviceNames={serviceNames} {...(manageable ? { onAction } : {})} />
      </>
    );

  return (
    <>
      <PageHeader
        title="Routes"
        description="Label matchers that send each alert to the right service. Rules are tried in order; the first match wins unless it says continue."
        icon={IconRoute}
        color="orange"
        actions={
          manageable && (
            <Button
              leftSection={<IconPlus size={16} aria-hidden />}
              onClick={() => {
                setEditing(undefined);
                form.open();
              }}
            >
              New rule
            </Button>
          )
        }
      />
      <Stack gap="lg">
        <Section id="routing-rules" title="Routing rules">
          {body}
        </Section>
        <DryRunCard serviceNames={serviceNames} />
        <InhibitionSection manageable={manageable} />
      </Stack>
      <RouteFormModal opened={formOpen} route={editing} onClose={form.close} />
      <ConfirmModal
        opened={deleting !== undefined}
        title={`Delete ${deleting?.name ?? 'the rule'}?`}
        confirmLabel="Delete rule"
        danger
        pending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : undefined}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(undefined)}
      >
        Alerts it took are tried against the next rules from now on.
      </ConfirmModal>
    </>
  );
}
