import { Badge, Button, EmptyState, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPencil, IconPlus, IconTool, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { formatMatcher, instantIso, maintenanceApi, type MaintenanceWindow } from '../../../api/alerting.ts';
import { servicesQuery } from '../../../api/catalog.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { useCurrentUser } from '../../../app/session.ts';
import { MatcherList } from '../../../components/alerting/LabelList.tsx';
import { canRespond } from '../../../components/alerting/permissions.ts';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Section } from '../../../components/Section.tsx';
import { describeError } from '../../../lib/errors.ts';
import { formatShortDateTime } from '../../../lib/format.ts';
import { MaintenanceFormModal } from './MaintenanceFormModal.tsx';
import { describeSchedule } from './schedule.ts';
import { IconAction } from '../../../components/IconAction.tsx';

interface WindowsTableProps {
  windows: readonly MaintenanceWindow[];
  serviceNames: ReadonlyMap<string, string>;
  timeZone: string;
  onEdit?: (window: MaintenanceWindow) => void;
  onDelete?: (window: MaintenanceWindow) => void;
}

function WindowsTable({ windows, serviceNames, timeZone, onEdit, onDelete }: WindowsTableProps) {
  const actions = onEdit !== undefined || onDelete !== undefined;
  return (
    <Table.ScrollContainer minWidth={820} type="native">
      <Table verticalSpacing="sm" aria-label="Maintenance windows">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Window</Table.Th>
            <Table.Th>Holds</Table.Th>
            <Table.Th>Schedule</Table.Th>
            <Table.Th>Next</Table.Th>
            {actions && <Table.Th w={90}>Actions</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {windows.map((w) => (
            <Table.Tr key={w.id} data-window-id={w.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {w.name}
                </Text>
                {w.active ? (
                  <Badge color="orange" variant="filled" tt="none" size="sm">
                    Active now
                  </Badge>
                ) : (
                  <Badge color="gray" variant="light" tt="none" size="sm">
                    Inactive
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {w.serviceId === null
                    ? 'Any service'
                    : (w.serviceName ?? serviceNames.get(w.serviceId) ?? w.serviceId)}
                </Text>
                {w.matchers.length > 0 && <MatcherList matchers={w.matchers.map(formatMatcher)} />}
              </Table.Td>
              <Table.Td fz="sm">{describeSchedule(w.schedule, timeZone)}</Table.Td>
              <Table.Td>
                {w.next.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    None
                  </Text>
                ) : (
                  <Stack gap={2}>
                    {w.next.slice(0, 3).map((occurrence) => (
                      <Text size="xs" key={String(occurrence.startsAt)}>
                        {formatShortDateTime(instantIso(occurrence.startsAt), timeZone)} →{' '}
                        {formatShortDateTime(instantIso(occurrence.endsAt), timeZone)}
                      </Text>
                    ))}
                  </Stack>
                )}
              </Table.Td>
              {actions && (
                <Table.Td>
                  <Group gap={2} wrap="nowrap">
                    {onEdit && (
                      <IconAction
                        label="Edit"
                        ariaLabel={`Edit ${w.name}`}
                        icon={IconPencil}
                        onClick={() => onEdit(w)}
                      />
                    )}
                    {onDelete && (
                      <IconAction
                        label="Delete"
                        ariaLabel={`Delete ${w.name}`}
                        icon={IconTrash}
                        onClick={() => onDelete(w)}
                        color="red"
                      />
                    )}
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function MaintenancePage() {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const windows = useQuery({ ...maintenanceApi.query, refetchInterval: 30_000 });
  const services = useQuery(servicesQuery);
  const [formOpen, form] = useDisclosure(false);
  const [editing, setEditing] = useState<MaintenanceWindow | undefined>(undefined);
  const [deleting, setDeleting] = useState<MaintenanceWindow | undefined>(undefined);
  const manageable = canRespond(user);
  const serviceNames = useMemo(
    () => new Map((services.data ?? []).map((service) => [service.id, service.name])),
    [services.data],
  );
  const remove = useMutation({
    mutationFn: (w: MaintenanceWindow) => maintenanceApi.remove(w.id),
    onSuccess: async () => {
      setDeleting(undefined);
      await queryClient.invalidateQueries({ queryKey: maintenanceApi.query.queryKey });
    },
  });
  const open = (w: MaintenanceWindow | undefined) => {
    setEditing(w);
    form.open();
  };

  let body;
  if (windows.isPending) body = <Skeleton height={120} />;
  else if (windows.isError)
    body = (
      <ErrorAlert
        title="Could not load the maintenance windows"
        error={windows.error}
        onRetry={() => void windows.refetch()}
      />
    );
  else if (windows.data.length === 0)
    body = (
      <EmptyState
        icon={<IconTool size={28} stroke={1.5} aria-hidden />}
        variant="light"
        title="No maintenance windows"
        description="During a window, matching alerts are still recorded but open no incident and page nobody."
      />
    );
  else
    body = (
      <WindowsTable
        windows={windows.data}
        serviceNames={serviceNames}
        timeZone={user.timeZone}
        {...(manageable
          ? {
              onEdit: open,
              onDelete: (w: MaintenanceWindow) => {
                remove.reset();
                setDeleting(w);
              },
            }
          : {})}
      />
    );

  return (
    <>
      <PageHeader
        title="Maintenance"
        description={`Planned work that holds new incidents without losing a single alert, once or every week. Times are in ${user.timeZone}.`}
        icon={IconTool}
        color="orange"
        actions={
          manageable && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => open(undefined)}>
              New window
            </Button>
          )
        }
      />
      <Section id="maintenance-windows" title="Maintenance windows">
        {body}
      </Section>
      <MaintenanceFormModal opened={formOpen} existing={editing} onClose={form.close} />
      <ConfirmModal
        opened={deleting !== undefined}
        title={`Delete ${deleting?.name ?? 'the window'}?`}
        confirmLabel="Delete window"
        danger
        pending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : undefined}
        onConfirm={() => deleting && remove.mutate(deleting)}
        onClose={() => setDeleting(undefined)}
      >
        Alerts it holds open incidents again from now on.
      </ConfirmModal>
    </>
  );
}
