import { Group, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { TablerIcon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  icon?: TablerIcon;
  color?: string;
  /** Buttons shown on the heading's row. */
  actions?: ReactNode;
}

/** The page's h1 and the browser tab title ("Detect · Siaga"), kept in step. */
export function PageHeader({ title, description, icon: Icon, color, actions }: PageHeaderProps) {
  useDocumentTitle(`${title} · Siaga`);
  return (
    <Stack gap="xs" mb="xl">
      <Group justify="space-between" gap="md">
        <Group gap="sm" wrap="nowrap" miw={0}>
          {Icon && (
            <ThemeIcon variant="light" size="xl" radius="md" {...(color ? { color } : {})} aria-hidden>
              <Icon size={26} stroke={1.6} />
            </ThemeIcon>
          )}
          <Title order={1} style={{ overflowWrap: 'anywhere' }}>
            {title}
          </Title>
        </Group>
        {actions}
      </Group>
      {description !== undefined && (
        <Text c="dimmed" size="lg" maw={720}>
          {description}
        </Text>
      )}
    </Stack>
  );
}
