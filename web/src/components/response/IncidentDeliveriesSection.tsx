import { Skeleton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { deliveriesQuery } from '../../api/response.ts';
import { ErrorAlert } from '../ErrorAlert.tsx';
import { Section } from '../Section.tsx';
import { DeliveryLog } from './DeliveryLog.tsx';

/** The incident's delivery log, kept live while the incident is open (retries land on their own). */
export function IncidentDeliveriesSection({
  incidentId,
  timeZone,
  live,
}: {
  incidentId: string;
  timeZone: string;
  live: boolean;
}) {
  const deliveries = useQuery({ ...deliveriesQuery(incidentId), refetchInterval: live ? 5_000 : false });
  return (
    <Section
      id="incident-deliveries"
      title="Delivery log"
      description="Every notification sent for this incident: where it went, how each attempt went, and when the next retry is due."
    >
      {deliveries.isPending ? (
        <Skeleton height={80} />
      ) : deliveries.isError ? (
        <ErrorAlert
          title="Could not load the delivery log"
          error={deliveries.error}
          onRetry={() => void deliveries.refetch()}
        />
      ) : (
        <DeliveryLog
          deliveries={deliveries.data}
          timeZone={timeZone}
          empty="Nothing was sent for this incident."
        />
      )}
    </Section>
  );
}
