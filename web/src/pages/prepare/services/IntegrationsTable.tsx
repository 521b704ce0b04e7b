import { ActionIcon, Badge, Code, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconKey, IconRefresh, IconSignature, IconTrash } from '@tabler/icons-react';
import { INTEGRATION_KIND_LABELS, type Integration } from '../../../api/catalog.ts';
import { RelativeTime } from '../../../components/alerting/RelativeTime.tsx';

export type IntegrationAction = 'rotate' | 'secret' | 'delete';

interface IntegrationsTableProps {
  integrations: readonly Integration[];
  now: number;
  timeZone: string;
  /** Absent: the reader may not change them. */
  onAction?: (action: IntegrationAction, integration: Integration) => void;
}

export function IntegrationsTable({ integrations, now, timeZone, onAction }: IntegrationsTableProps) {
  return (
    <Table.ScrollContainer minWidth={680} type="native">
      <Table verticalSpacing="sm" aria-label="Integrations">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Kind</Table.Th>
            <Table.Th>Key</Table.Th>
            <Table.Th>Last event</Table.Th>
            {onAction && <Table.Th w={120}>Actions</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {integrations.map((integration) => (
            <Table.Tr key={integration.id} data-integration-id={integration.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {integration.name}
                </Text>
                {integration.declared && (
                  <Badge size="sm" variant="default" tt="none" fw={500}>
                    Config file
                  </Badge>
                )}
              </Table.Td>
              <Table.Td fz="sm">{INTEGRATION_KIND_LABELS[integration.kind]}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <IconKey size={14} aria-hidden />
                  <Code>{integration.keyPrefix}…</Code>
                </Group>
                {integration.kind === 'webhook' && (
                  <Text size="xs" c="dimmed">
                    {integration.signingSecretCount === 0
                      ? 'No signing secret'
                      : `${integration.signingSecretCount} signing ${integration.signingSecretCount === 1 ? 'secret' : 'secrets'}`}
                  </Text>
                )}
              </Table.Td>
              <Table.Td fz="sm">
                {integration.lastEventAt === null ? (
                  <Text span size="sm" c="dimmed">
                    Never
                  </Text>
                ) : (
                  <RelativeTime iso={integration.lastEventAt} now={now} timeZone={timeZone} />
                )}
              </Table.Td>
              {onAction && (
                <Table.Td>
                  {!integration.declared && (
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label="Rotate key">
                        <ActionIcon
                          variant="subtle"
                          aria-label={`Rotate the key of ${integration.name}`}
                          onClick={() => onAction('rotate', integration)}
                        >
                          <IconRefresh size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                      {integration.kind === 'webhook' && (
                        <Tooltip label="New signing secret">
                          <ActionIcon
                            variant="subtle"
                            aria-label={`New signing secret for ${integration.name}`}
                            onClick={() => onAction('secret', integration)}
                          >
                            <IconSignature size={16} aria-hidden />
                          </ActionIcon>
                        </Tooltip>
                      )}
                      <Tooltip label="Delete">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Delete ${integration.name}`}
                          onClick={() => onAction('delete', integration)}
                        >
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  )}
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
