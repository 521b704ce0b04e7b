import { Badge } from '@mantine/core';
import type { Severity } from '../../api/alerting.ts';

const COLORS: Record<Severity, string> = {
  critical: 'red',
  error: 'orange',
  warning: 'yellow',
  info: 'blue',
};

const LABELS: Record<Severity, string> = {
  critical: 'Critical',
  error: 'Error',
  warning: 'Warning',
  info: 'Info',
};

export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <Badge
      component="span"
      color={COLORS[severity]}
      variant={severity === 'critical' ? 'filled' : 'light'}
      tt="none"
      fw={600}
    >
      {LABELS[severity]}
    </Badge>
  );
}
