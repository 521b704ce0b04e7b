import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import {
  CONTACT_KIND_LABELS,
  createNotificationRule,
  deleteNotificationRule,
  MAX_DELAY_MINUTES,
  type ContactMethod,
  type NotificationRule,
  type NotificationSetup,
  type Urgency,
} from '../../api/response.ts';
import { FormAlert } from '../../components/FormAlert.tsx';
import { describeError } from '../../lib/errors.ts';

const URGENCY: Record<Urgency, { title: string; hint: string }> = {
  high: { title: 'High urgency', hint: 'Pages that must wake you.' },
  low: { title: 'Low urgency', hint: 'Pages that can wait for business hours.' },
};

function RuleRow({ rule }: { rule: NotificationRule }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: () => deleteNotificationRule(rule.id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me'] }),
  });
  const what = `${CONTACT_KIND_LABELS[rule.contactMethodKind]} “${rule.contactMethodName}”`;
  const when = rule.delayMinutes === 0 ? 'at once' : `after ${rule.delayMinutes} min`;
  return (
    <Group component="li" justify="space-between" gap="xs" wrap="nowrap">
      <Text size="sm">
        {what} {when}
        {!rule.active && (
          <Badge ml={6} size="xs" color="gray" variant="light" tt="none">
            Inactive: method not verified or disabled
          </Badge>
        )}
      </Text>
      <ActionIcon
        variant="subtle"
        color="red"
        aria-label={`Delete the ${rule.urgency}-urgency rule: ${what} ${when}`}
        loading={remove.isPending}
        onClick={() => remove.mutate()}
      >
        <IconTrash size={16} aria-hidden />
      </ActionIcon>
    </Group>
  );
}

function AddRule({ urgency, methods }: { urgency: Urgency; methods: ContactMethod[] }) {
  const queryClient = useQueryClient();
  const [methodId, setMethodId] = useState('');
  const [delay, setDelay] = useState(0);
  const chosen = methodId || methods[0]?.id || '';
  const add = useMutation({
    mutationFn: () => createNotificationRule({ contactMethodId: chosen, urgency, delayMinutes: delay }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen) add.mutate();
  };
  if (methods.length === 0) return null;
  return (
    <form onSubmit={submit} aria-label={`Add a ${urgency}-urgency rule`}>
      <Group align="flex-end" gap="xs" mt="xs">
        <NativeSelect
          label="Notify by"
          style={{ flex: 1, minWidth: 160 }}
          data={methods.map((m) => ({ value: m.id, label: `${m.name} (${CONTACT_KIND_LABELS[m.kind]})` }))}
          value={chosen}
          onChange={(event) => setMethodId(event.currentTarget.value)}
        />
        <NumberInput
          label="After (minutes)"
          w={130}
          min={0}
          max={MAX_DELAY_MINUTES}
          value={delay}
          onChange={(value) => setDelay(typeof value === 'number' ? value : Number(value) || 0)}
        />
        <Button type="submit" variant="default" loading={add.isPending}>
          Add rule
        </Button>
      </Group>
      <FormAlert message={add.isError ? describeError(add.error) : undefined} />
    </form>
  );
}

/** When each of the person's methods is used after they are paged, per urgency. */
export function NotificationRules({ setup }: { setup: NotificationSetup }) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
      {(['high', 'low'] as const).map((urgency) => (
        <Card key={urgency} withBorder padding="sm" role="group" aria-label={URGENCY[urgency].title}>
          <Title order={3} size="h6">
            {URGENCY[urgency].title}
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {URGENCY[urgency].hint}
          </Text>
          {setup.rules[urgency].length === 0 ? (
            <Text size="sm" c="dimmed">
              No rules: such pages do not reach you.
            </Text>
          ) : (
            <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {setup.rules[urgency].map((rule) => (
                <RuleRow key={rule.id} rule={rule} />
              ))}
            </Stack>
          )}
          <AddRule urgency={urgency} methods={setup.contactMethods} />
        </Card>
      ))}
    </SimpleGrid>
  );
}
