import { Badge, Code, Group, Table, Text } from '@mantine/core';
import { IconKey, IconRefresh, IconSignature, IconTrash } from '@tabler/icons-react';
import { INTEGRATION_KIND_LABELS, type Integration } from '../../../api/catalog.ts';
import { RelativeTime } from '../../../components/alerting/RelativeTime.tsx';
import { IconAction } from '../../../components/IconAction.tsx';

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
                      <IconAction
                        label="Rotate key"
                        ariaLabel={`Rotate the key of ${integration.name}`}
                        icon={IconRefresh}
                        onClick={() => onAction('rotate', integration)}
                      />
                      {integration.kind === 'webhook' && (
                        <IconAction
                          label="New signing secret"
                          ariaLabel={`New signing secret for ${integration.name}`}
                          icon={IconSignature}
                          onClick={() => onAction('secret', integration)}
                        />
                      )}
                      <IconAction
                        label="Delete"
                        ariaLabel={`Delete ${integration.name}`}
                        icon={IconTrash}
                        onClick={() => onAction('delete', integration)}
                        color="red"
                      />
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
