import {
  ActionIcon,
  Button,
  Card,
  Group,
  NativeSelect,
  NumberInput,
  Stack,
  Switch,
  Text,
  Title,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash, IconX } from '@tabler/icons-react';
import { MAX_STEPS, TARGET_TYPE_LABELS, TARGET_TYPES, type TargetType } from '../../../api/response.ts';
import { move } from '../../../components/response/layerDraft.ts';
import { newStep, type StepDraft, type TargetDraft } from '../../../components/response/policyDraft.ts';

export type TargetOptions = Record<TargetType, { value: string; label: string }[]>;

function TargetRow({
  target,
  options,
  label,
  onChange,
  onRemove,
}: {
  target: TargetDraft;
  options: TargetOptions;
  label: string;
  onChange: (target: TargetDraft) => void;
  onRemove: (() => void) | undefined;
}) {
  const choices = options[target.type];
  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <NativeSelect
        label="Page"
        w={{ base: '100%', xs: 230 }}
        data={TARGET_TYPES.map((type) => ({ value: type, label: TARGET_TYPE_LABELS[type] }))}
        value={target.type}
        onChange={(event) => onChange({ type: event.currentTarget.value as TargetType, id: '' })}
      />
      <NativeSelect
        label="Who"
        style={{ flex: 1, minWidth: 180 }}
        data={[{ value: '', label: choices.length === 0 ? 'None to choose from' : 'Choose…' }, ...choices]}
        value={target.id}
        onChange={(event) => onChange({ ...target, id: event.currentTarget.value })}
      />
      {onRemove && (
        <ActionIcon variant="subtle" color="red" aria-label={`Remove ${label}`} onClick={onRemove} mb={4}>
          <IconX size={16} aria-hidden />
        </ActionIcon>
      )}
    </Group>
  );
}

/** The ordered steps of a policy: whom each pages, and how long it waits for an acknowledgement. */
export function StepsEditor({
  steps,
  options,
  defaultTarget,
  onChange,
}: {
  steps: StepDraft[];
  options: TargetOptions;
  defaultTarget: TargetDraft;
  onChange: (steps: StepDraft[]) => void;
}) {
  const set = (index: number, patch: Partial<StepDraft>) =>
    onChange(steps.map((step, i) => (i === index ? { ...step, ...patch } : step)));
  return (
    <Stack gap="sm">
      {steps.map((step, index) => {
        const name = `Step ${index + 1}`;
        return (
          <Card key={index} withBorder padding="sm" role="group" aria-label={name}>
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h6">
                {name}
              </Title>
              <Group gap={2}>
                <ActionIcon
                  variant="subtle"
                  aria-label={`Move ${name} up`}
                  disabled={index === 0}
                  onClick={() => onChange(move(steps, index, -1))}
                >
                  <IconArrowUp size={16} aria-hidden />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  aria-label={`Move ${name} down`}
                  disabled={index === steps.length - 1}
                  onClick={() => onChange(move(steps, index, 1))}
                >
                  <IconArrowDown size={16} aria-hidden />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Remove ${name}`}
                  disabled={steps.length === 1}
                  onClick={() => onChange(steps.filter((_, i) => i !== index))}
                >
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            </Group>
            <Stack gap="xs">
              {step.targets.map((target, t) => (
                <TargetRow
                  key={t}
                  target={target}
                  options={options}
                  label={`${name} target ${t + 1}`}
                  onChange={(next) =>
                    set(index, { targets: step.targets.map((x, i) => (i === t ? next : x)) })
                  }
                  onRemove={
                    step.targets.length > 1
                      ? () => set(index, { targets: step.targets.filter((_, i) => i !== t) })
                      : undefined
                  }
                />
              ))}
              <Group justify="space-between" align="flex-end" gap="sm">
                <Button
                  size="xs"
                  variant="subtle"
                  leftSection={<IconPlus size={14} aria-hidden />}
                  onClick={() => set(index, { targets: [...step.targets, { ...defaultTarget, id: '' }] })}
                >
                  Add a target
                </Button>
                <NumberInput
                  label="Escalate after (minutes)"
                  w={190}
                  min={1}
                  max={1440}
                  value={step.escalateAfterMinutes}
                  onChange={(value) =>
                    set(index, { escalateAfterMinutes: typeof value === 'number' ? value : Number(value) })
                  }
                />
              </Group>
              <Switch
                label="Round robin: page one person per incident, in turn, instead of all"
                checked={step.roundRobin}
                onChange={(event) => set(index, { roundRobin: event.currentTarget.checked })}
              />
            </Stack>
          </Card>
        );
      })}
      {steps.length < MAX_STEPS && (
        <Button
          variant="default"
          leftSection={<IconPlus size={16} aria-hidden />}
          onClick={() => onChange([...steps, newStep({ ...defaultTarget })])}
        >
          Add a step
        </Button>
      )}
      <Text size="xs" c="dimmed">
        Each step pages its targets, then waits that long for an acknowledgement before the next step.
      </Text>
    </Stack>
  );
}
