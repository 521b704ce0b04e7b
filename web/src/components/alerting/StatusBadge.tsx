import { Badge } from '@mantine/core';
import type { AlertStatus } from '../../api/alerting.ts';

const COLORS: Record<AlertStatus, string> = {
  triggered: 'red',
  acknowledged: 'yellow',
  resolved: 'teal',
};

export const STATUS_LABELS: Record<AlertStatus, string> = {
  triggered: 'Triggered',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

/** The status of an alert or an incident. */
export function StatusBadge({ status }: { status: AlertStatus }) {
  return (
    <Badge component="span" color={COLORS[status]} variant="light" tt="none" fw={600} data-status={status}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}
