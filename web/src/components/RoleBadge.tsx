import { Badge } from '@mantine/core';
import { ROLE_LABELS, type Role } from '../api/roles.ts';

const COLORS: Record<Role, string> = {
  stakeholder: 'gray',
  observer: 'cyan',
  responder: 'orange',
  admin: 'indigo',
};

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge color={COLORS[role]} variant="light" tt="none" fw={600}>
      {ROLE_LABELS[role]}
    </Badge>
  );
}
