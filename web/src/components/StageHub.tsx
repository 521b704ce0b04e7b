import { Badge, Card, Group, SimpleGrid, Text, ThemeIcon, Title } from '@mantine/core';
import { PageHeader } from '../app/PageHeader.tsx';
import { STAGES, type Stage, type StagePageLink } from '../app/nav.ts';
import { useLink } from '../app/router.ts';

function PageCard({ page, color }: { page: StagePageLink; color: string }) {
  const link = useLink(page.path);
  const Icon = page.icon;
  return (
    <Card withBorder padding="md" component="li" className="siaga-card-link">
      <Group gap="sm" wrap="nowrap" mb="xs">
        <ThemeIcon variant="light" color={color} radius="md" aria-hidden>
          <Icon size={18} stroke={1.6} />
        </ThemeIcon>
        <Title order={3} size="h5">
          <a {...link} className="siaga-stretched-link">
            {page.label}
          </a>
        </Title>
      </Group>
      <Text size="sm" c="dimmed">
        {page.description}
      </Text>
    </Card>
  );
}

/** The landing page of a stage that has pages: those pages first, then what is still planned. */
export function StageHub({ stage }: { stage: Stage & { pages: readonly StagePageLink[] } }) {
  // A page may deliver what another stage planned (Prepare's services hold Detect's integrations).
  const delivered = new Set(STAGES.flatMap((s) => s.pages ?? []).flatMap((page) => page.delivers ?? []));
  const planned = stage.planned.filter((feature) => !delivered.has(feature.name));
  return (
    <>
      <PageHeader title={stage.label} description={stage.description} icon={stage.icon} color={stage.color} />
      <SimpleGrid
        cols={{ base: 1, sm: 2, lg: 3 }}
        spacing="md"
        component="ul"
        mb="xl"
        style={{ listStyle: 'none', padding: 0 }}
        aria-label={`${stage.label} pages`}
      >
        {stage.pages.map((page) => (
          <PageCard key={page.path} page={page} color={stage.color} />
        ))}
      </SimpleGrid>
      {planned.length > 0 && (
        <>
          <Title order={2} size="h3" mb="md">
            Planned for {stage.label}
          </Title>
          <SimpleGrid
            cols={{ base: 1, md: 2, lg: 3 }}
            spacing="md"
            component="ul"
            style={{ listStyle: 'none', padding: 0 }}
          >
            {planned.map(({ name, description, icon: Icon }) => (
              <Card key={name} withBorder padding="md" component="li">
                <Group justify="space-between" wrap="nowrap" mb="xs">
                  <Group gap="sm" wrap="nowrap">
                    <ThemeIcon variant="light" color="gray" radius="md" aria-hidden>
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
      )}
    </>
  );
}
