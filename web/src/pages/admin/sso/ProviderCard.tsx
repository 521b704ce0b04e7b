import { Badge, Button, Card, DataList, Group, Stack, Switch, Text, Title, useMatches } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useId, type ReactNode } from 'react';
import type { SsoProvider } from '../../../api/sso.ts';
import { RoleBadge } from '../../../components/RoleBadge.tsx';
import { RedirectUri } from './RedirectUri.tsx';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue className="siaga-break">{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function OnOff({ on }: { on: boolean }) {
  return (
    <Badge color={on ? 'green' : 'gray'} variant="light" tt="none">
      {on ? 'On' : 'Off'}
    </Badge>
  );
}

interface ProviderCardProps {
  provider: SsoProvider;
  /** The state being saved while the enable switch waits for the server. */
  pendingEnabled: boolean | undefined;
  onEnabled: (enabled: boolean) => void;
  onEdit: () => void;
  onDelete: () => void;
}

/** One provider: how people sign in with it, who gets which role, and the redirect URI to register. */
export function ProviderCard({ provider, pendingEnabled, onEnabled, onEdit, onDelete }: ProviderCardProps) {
  const titleId = useId();
  // Labels above values on a phone, where a label column would squeeze the issuer into a narrow strip.
  const orientation = useMatches<'vertical' | 'horizontal'>({ base: 'vertical', sm: 'horizontal' });
  const p = provider;
  return (
    <Card withBorder padding="lg" component="article" aria-labelledby={titleId}>
      <Group justify="space-between" align="flex-start" gap="sm" mb="md">
        <Group gap="xs" miw={0}>
          <Title order={2} size="h4" id={titleId} style={{ overflowWrap: 'anywhere' }}>
            {p.displayName}
          </Title>
          <Badge variant="default" tt="none" fw={500}>
            {p.slug}
          </Badge>
        </Group>
        <Switch
          label="Enabled"
          labelPosition="left"
          checked={pendingEnabled ?? p.enabled}
          disabled={pendingEnabled !== undefined}
          onChange={(event) => onEnabled(event.currentTarget.checked)}
        />
      </Group>
      <Stack gap="md">
        <DataList labelWidth="150px" gap="xs" orientation={orientation}>
          <Item label="Issuer">{p.issuer}</Item>
          <Item label="Client ID">{p.clientId}</Item>
          <Item label="Client secret">
            <Text span size="sm" c="dimmed">
              {p.hasClientSecret ? 'Stored (never shown)' : 'Missing'}
            </Text>
          </Item>
          <Item label="Just-in-time accounts">
            <OnOff on={p.jit} />
          </Item>
          <Item label="Default role">
            {p.defaultRole ? (
              <RoleBadge role={p.defaultRole} />
            ) : (
              <Text span size="sm" c="dimmed">
                None
              </Text>
            )}
          </Item>
          <Item label="Group mappings">
            {count(p.roleMappings.length, 'role mapping', 'role mappings')} ·{' '}
            {count(p.teamMappings.length, 'team mapping', 'team mappings')}
          </Item>
        </DataList>
        <RedirectUri uri={p.redirectUri} />
        <Group justify="flex-end" gap="xs">
          <Button
            variant="subtle"
            color="red"
            leftSection={<IconTrash size={16} aria-hidden />}
            onClick={onDelete}
          >
            Delete
          </Button>
          <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={onEdit}>
            Edit
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
