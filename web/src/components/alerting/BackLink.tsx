import { Anchor } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useLink } from '../../app/router.ts';

/** "← All alerts": back to the list a detail page belongs to. */
export function BackLink({ to, label }: { to: string; label: string }) {
  const link = useLink(to);
  return (
    <Anchor {...link} size="sm" mb="xs" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
      <IconArrowLeft size={14} aria-hidden /> {label}
    </Anchor>
  );
}
