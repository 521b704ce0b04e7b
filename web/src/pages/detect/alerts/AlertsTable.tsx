import { Anchor, Badge, Card, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import type { MouseEvent } from 'react';
import type { Alert } from '../../../api/alerting.ts';
import { navigate, useLink } from '../../../app/router.ts';
import { RelativeTime } from '../../../components/alerting/RelativeTime.tsx';
import { SeverityBadge } from '../../../components/alerting/SeverityBadge.tsx';
import { StatusBadge } from '../../../components/alerting/StatusBadge.tsx';
import { alertHref, incidentHref } from './alertFilter.ts';

export interface AlertRowsProps {
  alerts: readonly Alert[];
  /** Service names by id; an alert nobody routed has no service. */
  serviceNames: ReadonlyMap<string, string>;
  now: number;
  timeZone: string;
  /** Shown inside an incident: its service and incident columns would repeat the page. */
  withinIncident?: boolean;
}

function SummaryLink({ alert }: { alert: Alert }) {
  const link = useLink(alertHref(alert.id));
  return (
    <Anchor {...link} fw={500} style={{ overflowWrap: 'anywhere' }}>
      {alert.summary || alert.labels['alertname'] || alert.fingerprint}
    </Anchor>
  );
}

function IncidentLink({ incidentId, number }: { incidentId: string | null; number: number | null }) {
  const link = useLink(incidentHref(incidentId ?? ''));
  if (incidentId === null)
    return (
      <Text span size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Anchor {...link} size="sm">
      {number === null ? 'Incident' : `#${number}`}
    </Anchor>
  );
}

function Muted({ alert }: { alert: Alert }) {
  if (alert.mutedBy === null) return null;
  return (
    <Tooltip label={`Muted: ${alert.mutedBy}`}>
      <Badge color="gray" variant="outline" tt="none" size="sm">
        Muted
      </Badge>
    </Tooltip>
  );
}

const serviceName = (alert: Alert, names: ReadonlyMap<string, string>) =>
  alert.serviceId === null ? 'Unrouted' : (names.get(alert.serviceId) ?? alert.serviceId);

/** A click anywhere on a row opens the alert, except on the links and buttons in it. */
function openRow(event: MouseEvent<HTMLTableRowElement>, alert: Alert) {
  if ((event.target as HTMLElement).closest('a, button')) return;
  navigate(alertHref(alert.id));
}

export function AlertsTable({ alerts, serviceNames, now, timeZone, withinIncident = false }: AlertRowsProps) {
  return (
    <Table.ScrollContainer minWidth={withinIncident ? 640 : 860} type="native">
      <Table verticalSpacing="xs" highlightOnHover aria-label="Alerts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={110}>Severity</Table.Th>
            <Table.Th>Summary</Table.Th>
            {!withinIncident && <Table.Th>Service</Table.Th>}
            <Table.Th w={150}>Status</Table.Th>
            <Table.Th w={110} ta="right">
              Occurrences
            </Table.Th>
            <Table.Th w={140}>Last seen</Table.Th>
            {!withinIncident && <Table.Th w={100}>Incident</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {alerts.map((alert) => (
            <Table.Tr
              key={alert.id}
              data-alert-id={alert.id}
              onClick={(event) => openRow(event, alert)}
              style={{ cursor: 'pointer' }}
            >
              <Table.Td>
                <SeverityBadge severity={alert.severity} />
              </Table.Td>
              <Table.Td>
                <SummaryLink alert={alert} />
              </Table.Td>
              {!withinIncident && <Table.Td fz="sm">{serviceName(alert, serviceNames)}</Table.Td>}
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <StatusBadge status={alert.status} />
                  <Muted alert={alert} />
                </Group>
              </Table.Td>
              <Table.Td ta="right" fz="sm">
                {alert.occurrences}
              </Table.Td>
              <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                <RelativeTime iso={alert.lastSeenAt} now={now} timeZone={timeZone} />
              </Table.Td>
              {!withinIncident && (
                <Table.Td>
                  <IncidentLink incidentId={alert.incidentId} number={alert.incidentNumber} />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The same alerts as cards, for phones. */
export function AlertCards({ alerts, serviceNames, now, timeZone }: AlertRowsProps) {
  return (
    <Stack gap="sm" component="ul" aria-label="Alerts" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {alerts.map((alert) => (
        <Card key={alert.id} withBorder padding="sm" component="li" data-alert-id={alert.id}>
          <Group gap={6} mb={6}>
            <SeverityBadge severity={alert.severity} />
            <StatusBadge status={alert.status} />
            <Muted alert={alert} />
          </Group>
          <SummaryLink alert={alert} />
          <Group justify="space-between" gap="xs" mt={6}>
            <Text size="xs" c="dimmed">
              {serviceName(alert, serviceNames)} · {alert.occurrences}× · last{' '}
              <RelativeTime iso={alert.lastSeenAt} now={now} timeZone={timeZone} />
            </Text>
            <IncidentLink incidentId={alert.incidentId} number={alert.incidentNumber} />
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
