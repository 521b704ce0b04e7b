import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle } from '@tabler/icons-react';
import { INTEGRATION_KIND_LABELS, type IssuedKey } from '../../../api/catalog.ts';
import { CopyableCode } from '../../../components/alerting/CopyableCode.tsx';

const SNIPPETS: { key: keyof IssuedKey['endpoints']['snippets']; label: string; description: string }[] = [
  {
    key: 'prometheus',
    label: 'prometheus.yml',
    description: 'Prometheus sends straight to Siaga, as if it were an Alertmanager.',
  },
  {
    key: 'alertmanager',
    label: 'alertmanager.yml',
    description: 'Or keep your Alertmanager and add Siaga as a webhook receiver.',
  },
  {
    key: 'pagerduty',
    label: 'alertmanager.yml (PagerDuty receiver)',
    description: 'Alertmanager’s PagerDuty receiver, pointed at Siaga.',
  },
  { key: 'curl', label: 'Test with curl', description: 'Sends one test event.' },
];

/** A new or rotated integration key with its URL and snippets, shown once with a plain warning. */
export function KeyReveal({ issued, onDone }: { issued: IssuedKey; onDone: () => void }) {
  const { endpoints, integration } = issued;
  return (
    <Stack gap="md">
      <Alert
        color="orange"
        variant="light"
        icon={<IconAlertTriangle aria-hidden />}
        title="Copy it now: it won't be shown again"
        role="status"
      >
        Siaga keeps only a hash of the key, so this is the only time you see it (and the URLs and snippets
        that contain it). Paste it into your sender now. If you lose it, rotate the key.
      </Alert>
      <Text size="sm">
        {INTEGRATION_KIND_LABELS[integration.kind]} integration “{integration.name}”
      </Text>
      <CopyableCode label="Integration key" value={issued.key} testId="integration-key" />
      {endpoints.url !== null && <CopyableCode label="URL" value={endpoints.url} testId="integration-url" />}
      {endpoints.address !== undefined && <CopyableCode label="Email address" value={endpoints.address} />}
      {endpoints.routingKey !== undefined && endpoints.routingKey !== issued.key && (
        <CopyableCode label="Routing key" value={endpoints.routingKey} />
      )}
      {endpoints.notice !== undefined && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
          {endpoints.notice}
        </Alert>
      )}
      {SNIPPETS.map(({ key, label, description }) => {
        const snippet = endpoints.snippets[key];
        return snippet === undefined ? null : (
          <CopyableCode key={key} label={label} description={description} value={snippet} block />
        );
      })}
      <Group justify="flex-end">
        <Button onClick={onDone}>I have copied it</Button>
      </Group>
    </Stack>
  );
}
