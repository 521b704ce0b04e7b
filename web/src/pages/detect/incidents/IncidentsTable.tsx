import { Anchor, Card, Group, Stack, Table, Text } from '@mantine/core';
import type { MouseEvent } from 'react';
import type { Incident } from '../../../api/alerting.ts';
import { navigate, useLink } from '../../../app/router.ts';
import { RelativeTime } from '../../../components/alerting/RelativeTime.tsx';
import { SeverityBadge } from '../../../components/alerting/SeverityBadge.tsx';
import { StatusBadge } from '../../../components/alerting/StatusBadge.tsx';
import { incidentHref } from '../alerts/alertFilter.ts';

interface IncidentRowsProps {
  incidents: readonly Incident[];
  now: number;
  timeZone: string;
}

function TitleLink({ incident }: { incident: Incident }) {
  const link = useLink(incidentHref(incident.id));
  return (
    <Anchor {...link} fw={500} style={{ overflowWrap: 'anywhere' }}>
      {incident.title}
    </Anchor>
  );
}

function openRow(event: MouseEvent<HTMLTableRowElement>, incident: Incident) {
  if ((event.target as HTMLElement).closest('a, button')) return;
  navigate(incidentHref(incident.id));
}

export function IncidentsTable({ incidents, now, timeZone }: IncidentRowsProps) {
  return (
    <Table.ScrollContainer minWidth={860} type="native">
      <Table verticalSpacing="xs" highlightOnHover aria-label="Incidents">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={70}>#</Table.Th>
            <Table.Th>Title</Table.Th>
            <Table.Th>Service</Table.Th>
            <Table.Th w={110}>Severity</Table.Th>
            <Table.Th w={140}>Status</Table.Th>
            <Table.Th w={110} ta="right">
              Alerts open
            </Table.Th>
            <Table.Th w={140}>Opened</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {incidents.map((incident) => (
            <Table.Tr
              key={incident.id}
              data-incident-id={incident.id}
              onClick={(event) => openRow(event, incident)}
              style={{ cursor: 'pointer' }}
            >
              <Table.Td fz="sm" c="dimmed">
                #{incident.number}
              </Table.Td>
              <Table.Td>
                <TitleLink incident={incident} />
              </Table.Td>
              <Table.Td fz="sm">{incident.serviceName}</Table.Td>
              <Table.Td>
                <SeverityBadge severity={incident.severity} />
              </Table.Td>
              <Table.Td>
                <StatusBadge status={incident.status} />
              </Table.Td>
              <Table.Td ta="right" fz="sm">
                {incident.openAlertCount} / {incident.alertCount}
              </Table.Td>
              <Table.Td fz="sm" style={{ whiteSpace: 'nowrap' }}>
                <RelativeTime iso={incident.openedAt} now={now} timeZone={timeZone} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function IncidentCards({ incidents, now, timeZone }: IncidentRowsProps) {
  return (
    <Stack
      gap="sm"
      component="ul"
      aria-label="Incidents"
      style={{ listStyle: 'none', padding: 0, margin: 0 }}
    >
      {incidents.map((incident) => (
        <Card key={incident.id} withBorder padding="sm" component="li" data-incident-id={incident.id}>
          <Group gap={6} mb={6}>
            <Text size="sm" c="dimmed">
              #{incident.number}
            </Text>
            <SeverityBadge severity={incident.severity} />
            <StatusBadge status={incident.status} />
          </Group>
          <TitleLink incident={incident} />
          <Text size="xs" c="dimmed" mt={6}>
            {incident.serviceName} · {incident.openAlertCount}/{incident.alertCount} alerts open · opened{' '}
            <RelativeTime iso={incident.openedAt} now={now} timeZone={timeZone} />
          </Text>
        </Card>
      ))}
    </Stack>
  );
}
