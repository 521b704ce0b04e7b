import { Badge, Code, Group, Stack, Table, Text } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPencil, IconTrash } from '@tabler/icons-react';
import { formatMatcher, type Route } from '../../../api/alerting.ts';
import { MatcherList } from '../../../components/alerting/LabelList.tsx';
import { IconAction } from '../../../components/IconAction.tsx';

export type RouteAction = 'edit' | 'delete' | 'up' | 'down';

interface RoutesTableProps {
  routes: readonly Route[];
  serviceNames: ReadonlyMap<string, string>;
  onAction?: (action: RouteAction, route: Route, index: number) => void;
}

function Rewrites({ route }: { route: Route }) {
  const labels = Object.entries(route.setLabels);
  if (route.setSeverity === null && labels.length === 0)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Stack gap={2}>
      {route.setSeverity !== null && <Code>severity → {route.setSeverity}</Code>}
      {labels.map(([name, value]) => (
        <Code key={name}>
          {name}={JSON.stringify(value)}
        </Code>
      ))}
    </Stack>
  );
}

/** The rules in the order they are tried; the default route last. */
export function RoutesTable({ routes, serviceNames, onAction }: RoutesTableProps) {
  return (
    <Table.ScrollContainer minWidth={820} type="native">
      <Table verticalSpacing="sm" aria-label="Routing rules">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40}>#</Table.Th>
            <Table.Th>Rule</Table.Th>
            <Table.Th>Matchers</Table.Th>
            <Table.Th>Service</Table.Th>
            <Table.Th>Rewrites</Table.Th>
            {onAction && <Table.Th w={150}>Actions</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {routes.map((route, index) => {
            const movable = onAction !== undefined && !route.isDefault && route.position !== undefined;
            return (
              <Table.Tr key={route.id} data-route-id={route.id}>
                <Table.Td fz="sm" c="dimmed">
                  {route.isDefault ? '—' : index + 1}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {route.name}
                  </Text>
                  <Group gap={4} mt={2}>
                    {route.isDefault && (
                      <Badge size="sm" variant="light" tt="none">
                        Default
                      </Badge>
                    )}
                    {route.continue && (
                      <Badge size="sm" variant="light" color="grape" tt="none">
                        Continue
                      </Badge>
                    )}
                    {route.declared && (
                      <Badge size="sm" variant="default" tt="none">
                        Config file
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <MatcherList matchers={route.matchers.map(formatMatcher)} />
                </Table.Td>
                <Table.Td fz="sm">
                  {route.serviceId === null ? (
                    <Text span size="sm" c="dimmed">
                      Unrouted
                    </Text>
                  ) : (
                    (route.serviceName ?? serviceNames.get(route.serviceId) ?? route.serviceId)
                  )}
                </Table.Td>
                <Table.Td>
                  <Rewrites route={route} />
                </Table.Td>
                {onAction && (
                  <Table.Td>
                    {!route.declared && (
                      <Group gap={2} wrap="nowrap">
                        {movable && (
                          <>
                            <IconAction
                              label="Move up"
                              ariaLabel={`Move ${route.name} up`}
                              icon={IconArrowUp}
                              onClick={() => onAction('up', route, index)}
                              disabled={index === 0}
                            />
                            <IconAction
                              label="Move down"
                              ariaLabel={`Move ${route.name} down`}
                              icon={IconArrowDown}
                              onClick={() => onAction('down', route, index)}
                              disabled={index + 1 >= routes.length || routes[index + 1]?.isDefault === true}
                            />
                          </>
                        )}
                        <IconAction
                          label="Edit"
                          ariaLabel={`Edit ${route.name}`}
                          icon={IconPencil}
                          onClick={() => onAction('edit', route, index)}
                        />
                        <IconAction
                          label="Delete"
                          ariaLabel={`Delete ${route.name}`}
                          icon={IconTrash}
                          onClick={() => onAction('delete', route, index)}
                          color="red"
                        />
                      </Group>
                    )}
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
