import { Badge } from '@mantine/core';
import type { SilenceState } from '../../../api/alerting.ts';

const COLORS: Record<SilenceState, string> = { active: 'teal', pending: 'blue', expired: 'gray' };
const LABELS: Record<SilenceState, string> = { active: 'Active', pending: 'Pending', expired: 'Expired' };

export function SilenceStateBadge({ state }: { state: SilenceState }) {
  return (
    <Badge color={COLORS[state]} variant="light" tt="none" fw={600} data-state={state}>
      {LABELS[state]}
    </Badge>
  );
}
