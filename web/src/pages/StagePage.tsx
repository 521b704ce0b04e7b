import { Badge, Card, EmptyState, Group, SimpleGrid, Text, ThemeIcon, Title } from '@mantine/core';
import { IconHourglassEmpty } from '@tabler/icons-react';
import { PageHeader } from '../app/PageHeader.tsx';
import type { Stage } from '../app/nav.ts';

/** A stage's landing page; until its features land it says honestly what is planned here. */
export function StagePage({ stage }: { stage: Stage }) {
  return (
    <>
      <PageHeader title={stage.label} description={stage.description} icon={stage.icon} color={stage.color} />
      <Card withBorder padding="xl" mb="xl">
        <EmptyState
          icon={<IconHourglassEmpty size={28} stroke={1.5} aria-hidden />}
          variant="light"
          color={stage.color}
          title="Coming in a later release"
          description={`Siaga 0.1 ships the server, its health checks and this shell. The ${stage.label} tools below are planned and will appear here as they land.`}
        />
      </Card>
      <Title order={2} size="h3" mb="md">
        Planned for {stage.label}
      </Title>
      <SimpleGrid
        cols={{ base: 1, md: 2, lg: 3 }}
        spacing="md"
        component="ul"
        style={{ listStyle: 'none', padding: 0 }}
      >
        {stage.planned.map(({ name, description, icon: Icon }) => (
          <Card key={name} withBorder padding="md" component="li">
            <Group justify="space-between" wrap="nowrap" mb="xs">
              <Group gap="sm" wrap="nowrap">
                <ThemeIcon variant="light" color={stage.color} radius="md" aria-hidden>
                  <Icon size={18} stroke={1.6} />
                </ThemeIcon>
                <Text fw={600}>{name}</Text>
              </Group>
              <Badge variant="default" size="sm" tt="none" fw={500} style={{ flexShrink: 0 }}>
                Planned
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </>
  );
}
