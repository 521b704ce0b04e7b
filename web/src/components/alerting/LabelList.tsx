import { Code, Group, Text } from '@mantine/core';
import type { Labels } from '../../api/alerting.ts';

/** Labels or annotations as `name="value"` chips, sorted by name; long values wrap. */
export function LabelList({ labels, empty = 'None' }: { labels: Labels; empty?: string }) {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  return (
    <Group gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {entries.map(([name, value]) => (
        <li key={name}>
          <Code style={{ overflowWrap: 'anywhere' }}>
            {name}={JSON.stringify(value)}
          </Code>
        </li>
      ))}
    </Group>
  );
}

/** Matchers as chips, e.g. `env="prod"` `team=~"db.*"`. */
export function MatcherList({ matchers, empty = 'Every alert' }: { matchers: string[]; empty?: string }) {
  if (matchers.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  return (
    <Group gap={6}>
      {matchers.map((text) => (
        <Code key={text} style={{ overflowWrap: 'anywhere' }}>
          {text}
        </Code>
      ))}
    </Group>
  );
}
