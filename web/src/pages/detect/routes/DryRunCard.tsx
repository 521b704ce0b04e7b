import { Badge, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { dryRunRoutes, parseLabels, type DryRunResult, type RouteOutcome } from '../../../api/alerting.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { describeMuted } from '../alerts/mutedReason.ts';
import { Section } from '../../../components/Section.tsx';

const OUTCOMES: Record<RouteOutcome, { label: string; color: string }> = {
  matched: { label: 'Matched', color: 'teal' },
  default: { label: 'Default', color: 'blue' },
  'not-matched': { label: 'No match', color: 'gray' },
  skipped: { label: 'Skipped', color: 'gray' },
};

const EXAMPLE = 'alertname=DiskFull\nseverity=critical\nenv=prod';

function Result({
  result,
  serviceNames,
}: {
  result: DryRunResult;
  serviceNames: ReadonlyMap<string, string>;
}) {
  const targets = result.targets.map((target) => {
    const service =
      target.serviceId === null
        ? 'no service (unrouted)'
        : (target.serviceName ?? serviceNames.get(target.serviceId) ?? target.serviceId);
    return {
      key: target.ruleId,
      text: target.ruleName ? `${service}, by the rule “${target.ruleName}”` : service,
      muted: target.suppressedBy ?? null,
    };
  });
  return (
    <Stack gap="sm" role="status">
      <Text fw={600}>
        {targets.length === 0 || result.unrouted === true
          ? 'No rule takes this alert: it stays unrouted.'
          : `Goes to ${targets.map((t) => t.text).join(' and ')}.`}
      </Text>
      {[...targets.map((t) => t.muted), result.suppressedBy ?? null]
        .filter((muted, index, all): muted is string => muted !== null && all.indexOf(muted) === index)
        .map((muted) => (
          <Text key={muted} size="sm" c="orange">
            Right now it would be muted: {describeMuted(muted)}
          </Text>
        ))}
      <ol style={{ margin: 0, paddingLeft: 'var(--mantine-spacing-lg)' }} aria-label="Rules tried">
        {result.steps.map((step) => (
          <li key={step.ruleId} style={{ marginBottom: 6 }}>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Badge
                component="span"
                size="sm"
                variant="light"
                color={OUTCOMES[step.outcome].color}
                tt="none"
                style={{ flexShrink: 0 }}
              >
                {OUTCOMES[step.outcome].label}
              </Badge>
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                <strong>{step.name}</strong>: {step.reason}
              </Text>
            </Group>
          </li>
        ))}
      </ol>
    </Stack>
  );
}

/** "Which rule takes this alert, and why": labels in, the walk through the rules out. */
export function DryRunCard({ serviceNames }: { serviceNames: ReadonlyMap<string, string> }) {
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | undefined>(undefined);
  const run = useMutation({ mutationFn: dryRunRoutes });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    try {
      const labels = parseLabels(text);
      setParseError(undefined);
      run.mutate(labels);
    } catch (error) {
      setParseError(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <Section
      id="routes-dry-run"
      title="Try the rules"
      description="Paste an alert's labels, as name=value lines or a JSON object, to see which rule takes it and why."
    >
      <form onSubmit={submit} aria-label="Dry run">
        <Stack gap="sm">
          <Textarea
            label="Labels"
            placeholder={EXAMPLE}
            autosize
            minRows={3}
            maxRows={12}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            error={parseError}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
          />
          <Group>
            <Button
              type="submit"
              variant="light"
              leftSection={<IconPlayerPlay size={16} aria-hidden />}
              loading={run.isPending}
              disabled={text.trim() === ''}
            >
              Dry run
            </Button>
          </Group>
          {run.isError && <ErrorAlert title="The dry run failed" error={run.error} />}
          {run.isSuccess && <Result result={run.data} serviceNames={serviceNames} />}
        </Stack>
      </form>
    </Section>
  );
}
