import { Badge, Card, Group, SimpleGrid, Text, ThemeIcon, Title } from '@mantine/core';
import { PageHeader } from '../app/PageHeader.tsx';
import { STAGES, type Stage } from '../app/nav.ts';
import { useLink } from '../app/router.ts';
import { ServerStatusCard } from './ServerStatusCard.tsx';

function StageCard({ stage, step }: { stage: Stage; step: number }) {
  const link = useLink(stage.path);
  const Icon = stage.icon;
  return (
    <Card withBorder padding="lg" className="siaga-card-link" component="article">
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <ThemeIcon variant="light" color={stage.color} size="lg" radius="md" aria-hidden>
          <Icon size={20} stroke={1.6} />
        </ThemeIcon>
        <Text size="xs" c="dimmed" fw={600}>
          Stage {step}
        </Text>
      </Group>
      <Title order={2} size="h3" mb={4}>
        <a {...link} className="siaga-stretched-link">
          {stage.label}
        </a>
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {stage.description}
      </Text>
      <Group gap={6} mt="auto">
        {stage.planned.map((feature) => (
          <Badge key={feature.name} variant="default" radius="sm" tt="none" fw={500}>
            {feature.name}
          </Badge>
        ))}
      </Group>
    </Card>
  );
}

export function HomePage() {
  return (
    <>
      <PageHeader
        title="Overview"
        description="Siaga carries an incident from the first health check to the last postmortem action item, in four stages and one light process."
      />
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" mb="xl">
        {STAGES.map((stage, index) => (
          <StageCard key={stage.path} stage={stage} step={index + 1} />
        ))}
      </SimpleGrid>
      <ServerStatusCard />
    </>
  );
}
