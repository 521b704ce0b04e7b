import { Anchor, Badge, Button, Group, Skeleton, Stack } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconBellOff, IconCheck, IconEye } from '@tabler/icons-react';
import { useState } from 'react';
import { acknowledgeAlert, alertQuery, resolveAlert, type AlertDetail } from '../../../api/alerting.ts';
import { isStatus } from '../../../api/client.ts';
import { servicesQuery } from '../../../api/catalog.ts';
import { PageHeader } from '../../../app/PageHeader.tsx';
import { useLink } from '../../../app/router.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { BackLink } from '../../../components/alerting/BackLink.tsx';
import { JsonBlock } from '../../../components/alerting/JsonBlock.tsx';
import { LabelList } from '../../../components/alerting/LabelList.tsx';
import { canRespond } from '../../../components/alerting/permissions.ts';
import { SeverityBadge } from '../../../components/alerting/SeverityBadge.tsx';
import { StatusBadge } from '../../../components/alerting/StatusBadge.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { NoAccessPage } from '../../../components/NoAccessPage.tsx';
import { NoticeAlert } from '../../../components/NoticeAlert.tsx';
import { Section } from '../../../components/Section.tsx';
import { useNow } from '../../../lib/useNow.ts';
import { NotFoundPage } from '../../NotFoundPage.tsx';
import { SilenceFormModal } from '../silences/SilenceFormModal.tsx';
import { AlertDetails } from './AlertDetails.tsx';
import { ALERTS_PATH, alertHref, LIVE_INTERVAL_MS } from './alertFilter.ts';

function AlertActions({ alert, onSilence }: { alert: AlertDetail; onSilence: () => void }) {
  const queryClient = useQueryClient();
  const act = useMutation({
    mutationFn: (action: 'acknowledge' | 'resolve') =>
      action === 'acknowledge' ? acknowledgeAlert(alert.id) : resolveAlert(alert.id),
    onSuccess: async (updated) => {
      queryClient.setQueryData(alertQuery(alert.id).queryKey, updated);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['alerts', 'list'] }),
        queryClient.invalidateQueries({ queryKey: ['incidents'] }),
      ]);
    },
  });
  return (
    <Stack gap="xs" align="flex-end">
      <Group gap="xs">
        {alert.status === 'triggered' && (
          <Button
            variant="default"
            leftSection={<IconEye size={16} aria-hidden />}
            loading={act.isPending && act.variables === 'acknowledge'}
            onClick={() => act.mutate('acknowledge')}
          >
            Acknowledge
          </Button>
        )}
        {alert.status !== 'resolved' && (
          <Button
            variant="default"
            leftSection={<IconCheck size={16} aria-hidden />}
            loading={act.isPending && act.variables === 'resolve'}
            onClick={() => act.mutate('resolve')}
          >
            Resolve
          </Button>
        )}
        <Button leftSection={<IconBellOff size={16} aria-hidden />} onClick={onSilence}>
          Silence this alert
        </Button>
      </Group>
      {act.isError && (
        <ErrorAlert title={`Could not ${act.variables ?? 'change'} the alert`} error={act.error} />
      )}
    </Stack>
  );
}

export function AlertPage({ alertId }: { alertId: string }) {
  const user = useCurrentUser();
  const alert = useQuery({ ...alertQuery(alertId), refetchInterval: LIVE_INTERVAL_MS * 2 });
  const services = useQuery(servicesQuery);
  const now = useNow(15_000);
  const [silencing, silence] = useDisclosure(false);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const silencesLink = useLink('/detect/silences');

  if (isStatus(alert.error, 404)) return <NotFoundPage path={alertHref(alertId)} />;
  if (isStatus(alert.error, 403)) return <NoAccessPage error={alert.error} />;
  if (alert.isPending) return <Skeleton height={240} />;
  if (alert.isError)
    return (
      <ErrorAlert title="Could not load the alert" error={alert.error} onRetry={() => void alert.refetch()} />
    );

  const a = alert.data;
  const serviceName =
    a.serviceId === null
      ? 'Unrouted'
      : (services.data?.find((service) => service.id === a.serviceId)?.name ?? a.serviceId);

  return (
    <>
      <BackLink to={ALERTS_PATH} label="All alerts" />
      <PageHeader
        title={a.summary || a.labels['alertname'] || 'Alert'}
        icon={IconAlertTriangle}
        color="orange"
        description={
          <Group gap="xs" component="span">
            <SeverityBadge severity={a.severity} />
            <StatusBadge status={a.status} />
            {a.mutedBy !== null && (
              <Badge component="span" color="gray" variant="outline" tt="none">
                Muted
              </Badge>
            )}
          </Group>
        }
        actions={canRespond(user) && <AlertActions alert={a} onSilence={silence.open} />}
      />
      <NoticeAlert notice={notice} onClose={() => setNotice(undefined)} />
      {notice !== undefined && (
        <Anchor {...silencesLink} size="sm" display="block" mt={-8} mb="md">
          See the silences
        </Anchor>
      )}
      <Stack gap="lg">
        <Section id="alert-details" title="Details">
          <AlertDetails alert={a} serviceName={serviceName} now={now} timeZone={user.timeZone} />
        </Section>
        <Section
          id="alert-labels"
          title="Labels"
          description="What identifies the alert: routes, silences and grouping match these."
        >
          <LabelList labels={a.labels} />
        </Section>
        <Section id="alert-annotations" title="Annotations" description="What the sender says about it.">
          <LabelList labels={a.annotations} />
        </Section>
        <Section
          id="alert-raw"
          title="Raw payload"
          description="The payload the alert arrived with, as the sender sent it."
        >
          <JsonBlock label="Payload JSON" value={a.raw} testId="alert-raw" />
        </Section>
      </Stack>
      <SilenceFormModal
        opened={silencing}
        draft={{ kind: 'alert', labels: a.labels }}
        onClose={silence.close}
        onSaved={(id) => {
          silence.close();
          setNotice(`Silence ${id} created.`);
          void alert.refetch();
        }}
      />
    </>
  );
}
