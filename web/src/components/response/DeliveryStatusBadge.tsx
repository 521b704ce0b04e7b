import { Badge } from '@mantine/core';
import type { AttemptOutcome, DeliveryStatus } from '../../api/response.ts';

const COLORS: Record<DeliveryStatus, string> = {
  pending: 'gray',
  sending: 'blue',
  sent: 'teal',
  failed: 'red',
  unknown: 'orange',
  suppressed: 'gray',
  bundled: 'grape',
};

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  pending: 'Pending',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  unknown: 'Unknown',
  suppressed: 'Held back',
  bundled: 'Bundled',
};

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  return (
    <Badge color={COLORS[status]} variant="light" tt="none" fw={600} data-status={status}>
      {DELIVERY_STATUS_LABELS[status]}
    </Badge>
  );
}

export const OUTCOME_LABELS: Record<AttemptOutcome, string> = {
  sent: 'Sent',
  failed_temporary: 'Failed, will retry',
  failed_permanent: 'Failed for good',
  unknown: 'Unknown (may have arrived)',
};

export const OUTCOME_COLORS: Record<AttemptOutcome, string> = {
  sent: 'teal',
  failed_temporary: 'orange',
  failed_permanent: 'red',
  unknown: 'orange',
};
