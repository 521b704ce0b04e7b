import { Anchor, Badge, Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconArrowBackUp, IconCheck, IconEye, IconFlame } from '@tabler/icons-react';
import { useMemo } from 'react';
import { actOnIncident, incidentQuery, type ChangeEvent, type Incident } from '../../../api/alerting.ts';
import { isStatus } from '../../../api/client.ts';
import { integrationsQuery } from '../../../api/catalog.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { useLink } from '../../../app/router.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { BackLink } from '../../../components/alerting/BackLink.tsx';
import { canRespond } from '../../../components/alerting/permissions.ts';
import { SeverityBadge } from '../../../components/alerting/SeverityBadge.tsx';
import { StatusBadge } from '../../../components/alerting/StatusBadge.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { Section } from '../../../components/Section.tsx';
import { useNow } from '../../../lib/useNow.ts';
import { NotFoundPage } from '../../NotFoundPage.tsx';
import { incidentHref, LIVE_INTERVAL_MS } from '../alerts/alertFilter.ts';
import { AlertCards, AlertsTable } from '../alerts/AlertsTable.tsx';
import { EscalationWarnings } from '../../../components/response/EscalationWarnings.tsx';
import { IncidentDeliveriesSection } from '../../../components/response/IncidentDeliveriesSection.tsx';
import { IncidentTimelineView } from '../../../components/response/IncidentTimelineView.tsx';
import { ZoneTime } from '../../../components/response/ZoneTime.tsx';
import { usePhone } from '../../../components/alerting/usePhone.ts';

function IncidentActions({ incident }: { incident: Incident }) {
  const queryClient = useQueryClient();
  const act = useMutation({
    mutationFn: (action: 'acknowledge' | 'resolve' | 'unacknowledge') => actOnIncident(incident.id, action),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['incidents'] }),
        queryClient.invalidateQueries({ queryKey: ['alerts'] }),
      ]),
  });
  if (incident.status === 'resolved') return null;
  return (
    <Stack gap="xs" align="flex-end">
      <Group gap="xs">
        {incident.status === 'triggered' && (
          <Button
            leftSection={<IconEye size={16} aria-hidden />}
            loading={act.isPending && act.variables === 'acknowledge'}
            onClick={() => act.mutate('acknowledge')}
          >
            Acknowledge
          </Button>
        )}
        {incident.status === 'acknowledged' && (
          // Not "Un-acknowledge": the name must not contain "Acknowledge", the button it replaces.
          <Button
            variant="default"
            leftSection={<IconArrowBackUp size={16} aria-hidden />}
            title="The incident triggers again and escalation restarts from its first step"
            loading={act.isPending && act.variables === 'unacknowledge'}
            onClick={() => act.mutate('unacknowledge')}
          >
            Withdraw ack
          </Button>
        )}
        <Button
          variant={incident.status === 'triggered' ? 'default' : 'filled'}
          color="teal"
          leftSection={<IconCheck size={16} aria-hidden />}
          loading={act.isPending && act.variables === 'resolve'}
          onClick={() => act.mutate('resolve')}
        >
          Resolve
        </Button>
      </Group>
      {act.isError && (
        <ErrorAlert title={`Could not ${act.variables ?? 'change'} the incident`} error={act.error} />
      )}
    </Stack>
  );
}

function Changes({ changes, timeZone }: { changes: readonly ChangeEvent[]; timeZone: string }) {
  if (changes.length === 0)
    return <Text c="dimmed">No change events around this incident (deploys, config changes).</Text>;
  return (
    <ul className="siaga-plain-list">
      {changes.map((change) => (
        <li key={change.id} className="siaga-list-item">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {change.summary}
          </Text>
          <Text size="xs" c="dimmed">
            {change.source ?? 'unknown source'} · <ZoneTime iso={change.at} timeZone={timeZone} />
          </Text>
        </li>
      ))}
    </ul>
  );
}

export function IncidentPage({ incidentId }: { incidentId: string }) {
  const user = useCurrentUser();
  const detail = useQuery({ ...incidentQuery(incidentId), refetchInterval: LIVE_INTERVAL_MS * 2 });
  const serviceId = detail.data?.incident.serviceId ?? '';
  const integrations = useQuery({ ...integrationsQuery(serviceId), enabled: serviceId !== '' });
  const serviceLink = useLink(`/prepare/services/${encodeURIComponent(serviceId)}`);
  const now = useNow(15_000);
  const phone = usePhone();
  const names = useMemo(
    () => new Map((integrations.data ?? []).map((integration) => [integration.id, integration.name])),
    [integrations.data],
  );

  if (isStatus(detail.error, 404)) return <NotFoundPage path={incidentHref(incidentId)} />;
  if (isStatus(detail.error, 403)) return <NoAccessPage error={detail.error} />;
  if (detail.isPending) return <Skeleton height={240} />;
  if (detail.isError)
    return (
      <ErrorAlert
        title="Could not load the incident"
        error={detail.error}
        onRetry={() => void detail.refetch()}
      />
    );

  const { incident, alerts, timeline, changes } = detail.data;
  const serviceNames = new Map([[incident.serviceId, incident.serviceName]]);

  return (
    <>
      <BackLink to="/detect/incidents" label="All incidents" />
      <PageHeader
        title={`#${incident.number} ${incident.title}`}
        icon={IconFlame}
        color="red"
        description={
          <Group gap="xs" component="span">
            <SeverityBadge severity={incident.severity} />
            <StatusBadge status={incident.status} />
            <Badge component="span" variant="default" tt="none" fw={500}>
              {incident.urgency === 'high' ? 'High urgency' : 'Low urgency'}
            </Badge>
            <Text span size="sm">
              <Anchor {...serviceLink}>{incident.serviceName}</Anchor> · opened{' '}
              <ZoneTime iso={incident.openedAt} timeZone={user.timeZone} />
            </Text>
          </Group>
        }
        actions={canRespond(user) && <IncidentActions incident={incident} />}
      />
      <Stack gap="lg">
        <EscalationWarnings
          incidentId={incident.id}
          timeline={timeline}
          timeZone={user.timeZone}
          live={incident.status !== 'resolved'}
          now={now}
        />
        <Section
          id="incident-alerts"
          title={`Alerts (${incident.openAlertCount} open of ${incident.alertCount})`}
          description="The alerts grouped into this incident."
        >
          {alerts.length === 0 ? (
            <Text c="dimmed">No alerts.</Text>
          ) : phone ? (
            <AlertCards alerts={alerts} serviceNames={serviceNames} now={now} timeZone={user.timeZone} />
          ) : (
            <AlertsTable
              alerts={alerts}
              serviceNames={serviceNames}
              now={now}
              timeZone={user.timeZone}
              withinIncident
            />
          )}
        </Section>
        <Section id="incident-timeline" title="Timeline">
          <IncidentTimelineView entries={timeline} timeZone={user.timeZone} names={names} />
        </Section>
        <IncidentDeliveriesSection
          incidentId={incident.id}
          timeZone={user.timeZone}
          live={incident.status !== 'resolved'}
        />
        <Section
          id="incident-changes"
          title="Recent changes"
          description="Change events reported around the time it opened."
        >
          <Changes changes={changes} timeZone={user.timeZone} />
        </Section>
      </Stack>
    </>
  );
}
