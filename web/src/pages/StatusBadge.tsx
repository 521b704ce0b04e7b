import { Badge } from '@mantine/core';
import { IconCircleCheckFilled, IconCircleXFilled } from '@tabler/icons-react';

// The icon repeats what the colour says, for people who cannot tell red from green.
function StatusBadge({ good, label }: { good: boolean; label: string }) {
  const Icon = good ? IconCircleCheckFilled : IconCircleXFilled;
  return (
    <Badge
      color={good ? 'green' : 'red'}
      variant="light"
      tt="none"
      leftSection={<Icon size={14} aria-hidden />}
    >
      {label}
    </Badge>
  );
}

export function ReadyBadge({ ready }: { ready: boolean }) {
  return <StatusBadge good={ready} label={ready ? 'ready' : 'not ready'} />;
}

export function CheckBadge({ ok }: { ok: boolean }) {
  return <StatusBadge good={ok} label={ok ? 'ok' : 'fail'} />;
}
