import { Card, Group, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

interface SectionProps {
  id: string;
  title: string;
  description?: ReactNode;
  /** Buttons on the heading's row. */
  actions?: ReactNode;
  children: ReactNode;
}

/** A titled card that is a landmark region (`aria-labelledby` its h2). */
export function Section({ id, title, description, actions, children }: SectionProps) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={id}>
      <Group justify="space-between" align="flex-start" gap="sm" mb="md">
        <div>
          <Title order={2} size="h4" id={id}>
            {title}
          </Title>
          {description !== undefined && (
            <Text size="sm" c="dimmed" mt={4} maw={640}>
              {description}
            </Text>
          )}
        </div>
        {actions}
      </Group>
      {children}
    </Card>
  );
}
