import { Anchor, Group, Text, ThemeIcon } from '@mantine/core';
import { IconShieldHalfFilled } from '@tabler/icons-react';
import { useLink } from './router.ts';

export function Brand({ onNavigate }: { onNavigate?: () => void }) {
  const link = useLink('/', onNavigate);
  return (
    <Anchor {...link} underline="never" c="inherit" aria-label="Siaga home" className="siaga-brand">
      <Group gap={8} wrap="nowrap">
        <ThemeIcon size="md" radius="md" aria-hidden>
          <IconShieldHalfFilled size={16} />
        </ThemeIcon>
        <Text fw={700} size="lg">
          Siaga
        </Text>
      </Group>
    </Anchor>
  );
}
