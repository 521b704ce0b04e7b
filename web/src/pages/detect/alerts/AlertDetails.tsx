import { Anchor, DataList, Text } from '@mantine/core';
import type { AlertDetail } from '../../../api/alerting.ts';
import { useLink } from '../../../app/router.ts';
import { RelativeTime } from '../../../components/alerting/RelativeTime.tsx';
import { Time } from '../../../components/Time.tsx';
import { incidentHref } from './alertFilter.ts';
import { describeMuted } from './mutedReason.ts';
import { usePhone } from '../../../components/alerting/usePhone.ts';

function At({ iso, now, timeZone }: { iso: string | null; now: number; timeZone: string }) {
  if (iso === null)
    return (
      <Text span c="dimmed">
        —
      </Text>
    );
  return (
    <>
      <Time iso={iso} timeZone={timeZone} />{' '}
      <Text span c="dimmed" size="sm">
        (<RelativeTime iso={iso} now={now} timeZone={timeZone} />)
      </Text>
    </>
  );
}

/** When, how often, where from, and why it is (or is not) in an incident. */
export function AlertDetails({
  alert,
  serviceName,
  now,
  timeZone,
}: {
  alert: AlertDetail;
  serviceName: string;
  now: number;
  timeZone: string;
}) {
  const phone = usePhone();
  const incident = useLink(incidentHref(alert.incidentId ?? ''));
  return (
    <DataList labelWidth={150} withDivider orientation={phone ? 'vertical' : 'horizontal'}>
      <DataList.Item>
        <DataList.ItemLabel>Service</DataList.ItemLabel>
        <DataList.ItemValue>{serviceName}</DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Incident</DataList.ItemLabel>
        <DataList.ItemValue>
          {alert.incidentId === null ? (
            <Text span c="dimmed">
              None
            </Text>
          ) : (
            <Anchor {...incident}>
              {alert.incidentNumber === null ? 'Open the incident' : `Incident #${alert.incidentNumber}`}
            </Anchor>
          )}
        </DataList.ItemValue>
      </DataList.Item>
      {alert.mutedBy !== null && (
        <DataList.Item>
          <DataList.ItemLabel>Muted</DataList.ItemLabel>
          <DataList.ItemValue>{describeMuted(alert.mutedBy)}</DataList.ItemValue>
        </DataList.Item>
      )}
      <DataList.Item>
        <DataList.ItemLabel>Occurrences</DataList.ItemLabel>
        <DataList.ItemValue>{alert.occurrences}</DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>First seen</DataList.ItemLabel>
        <DataList.ItemValue>
          <At iso={alert.firstSeenAt} now={now} timeZone={timeZone} />
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Last seen</DataList.ItemLabel>
        <DataList.ItemValue>
          <At iso={alert.lastSeenAt} now={now} timeZone={timeZone} />
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Started</DataList.ItemLabel>
        <DataList.ItemValue>
          <At iso={alert.startsAt} now={now} timeZone={timeZone} />
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>{alert.status === 'resolved' ? 'Ended' : 'Expires'}</DataList.ItemLabel>
        <DataList.ItemValue>
          <At iso={alert.endsAt} now={now} timeZone={timeZone} />
        </DataList.ItemValue>
      </DataList.Item>
      {alert.acknowledgedAt !== null && (
        <DataList.Item>
          <DataList.ItemLabel>Acknowledged</DataList.ItemLabel>
          <DataList.ItemValue>
            <At iso={alert.acknowledgedAt} now={now} timeZone={timeZone} />
          </DataList.ItemValue>
        </DataList.Item>
      )}
      {alert.resolvedAt !== null && (
        <DataList.Item>
          <DataList.ItemLabel>Resolved</DataList.ItemLabel>
          <DataList.ItemValue>
            <At iso={alert.resolvedAt} now={now} timeZone={timeZone} />
          </DataList.ItemValue>
        </DataList.Item>
      )}
      <DataList.Item>
        <DataList.ItemLabel>Source</DataList.ItemLabel>
        <DataList.ItemValue>{alert.source}</DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Fingerprint</DataList.ItemLabel>
        <DataList.ItemValue style={{ overflowWrap: 'anywhere' }}>{alert.fingerprint}</DataList.ItemValue>
      </DataList.Item>
      {alert.generatorUrl !== null && (
        <DataList.Item>
          <DataList.ItemLabel>Generator</DataList.ItemLabel>
          <DataList.ItemValue style={{ overflowWrap: 'anywhere' }}>
            {/^https?:\/\//.test(alert.generatorUrl) ? (
              <Anchor href={alert.generatorUrl} target="_blank" rel="noreferrer noopener">
                {alert.generatorUrl}
              </Anchor>
            ) : (
              alert.generatorUrl
            )}
          </DataList.ItemValue>
        </DataList.Item>
      )}
    </DataList>
  );
}
