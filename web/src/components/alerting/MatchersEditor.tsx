import {
  ActionIcon,
  Button,
  Group,
  Input,
  NativeSelect,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useId } from 'react';
import { matcherFrom, OPERATORS, operatorOf, type Matcher, type Operator } from '../../api/alerting.ts';

/** One matcher being edited; `key` keeps React's rows stable while people add and remove them. */
export interface MatcherRow {
  key: number;
  name: string;
  op: Operator;
  value: string;
}

let lastKey = 0;
const nextKey = (): number => ++lastKey;

export const emptyMatcherRow = (): MatcherRow => ({ key: nextKey(), name: '', op: '=', value: '' });

export const matcherRows = (matchers: readonly Matcher[]): MatcherRow[] =>
  matchers.map((m) => ({ key: nextKey(), name: m.name, op: operatorOf(m), value: m.value }));

/**
 * The fields `formErrors` should place for a matcher list: the list itself and each row (`matchers/0`…), as the
 * server points at them; `matcherError` then picks the first message for the editor.
 */
export const matcherFields = (field: string): string[] => [
  field,
  ...Array.from({ length: 32 }, (_, i) => `${field}/${i}`),
];

export function matcherError(fields: Record<string, string>, field: string): string | undefined {
  const key = matcherFields(field).find((name) => fields[name] !== undefined);
  if (key === undefined) return undefined;
  const row = /\/(\d+)$/.exec(key)?.[1];
  return row === undefined ? fields[key] : `Matcher ${Number(row) + 1}: ${fields[key]}`;
}

/** The rows as matchers; rows without a name are left out (an empty row is not a matcher). */
export const rowsToMatchers = (rows: readonly MatcherRow[]): Matcher[] =>
  rows.filter((row) => row.name.trim() !== '').map((row) => matcherFrom(row.name.trim(), row.op, row.value));

const OPERATOR_OPTIONS = [
  { value: '=', label: '=' },
  { value: '!=', label: '!=' },
  { value: '=~', label: '=~ (regex)' },
  { value: '!~', label: '!~ (not regex)' },
];

const isOperator = (value: string): value is Operator => (OPERATORS as readonly string[]).includes(value);

interface MatchersEditorProps {
  label: string;
  description?: string;
  rows: readonly MatcherRow[];
  onChange: (rows: MatcherRow[]) => void;
  /** Shown when there are no rows, e.g. "No matchers: every alert". */
  empty?: string;
  error?: string | undefined;
}

/** Label matchers as rows of name, operator and value (=, !=, =~, !~), as in Alertmanager. */
export function MatchersEditor({ label, description, rows, onChange, empty, error }: MatchersEditorProps) {
  const id = useId();
  const update = (index: number, patch: Partial<MatcherRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <Stack gap="xs" role="group" aria-labelledby={id}>
      <div>
        <Input.Label id={id} display="block">
          {label}
        </Input.Label>
        {description !== undefined && (
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        )}
      </div>
      {rows.length === 0 && empty !== undefined && (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      )}
      {rows.map((row, index) => (
        <Group key={row.key} gap="xs" align="flex-start" wrap="nowrap">
          <Group gap="xs" wrap="wrap" style={{ flex: 1, minWidth: 0 }}>
            <TextInput
              aria-label={`${label}: label name ${index + 1}`}
              placeholder="label, e.g. env"
              value={row.name}
              onChange={(event) => update(index, { name: event.currentTarget.value })}
              style={{ flex: '1 1 120px' }}
              autoCapitalize="off"
              autoCorrect="off"
              spellCheck={false}
            />
            <NativeSelect
              aria-label={`${label}: operator ${index + 1}`}
              data={OPERATOR_OPTIONS}
              value={row.op}
              onChange={(event) => {
                const op = event.currentTarget.value;
                if (isOperator(op)) update(index, { op });
              }}
              style={{ flex: '0 0 auto', width: 130 }}
            />
            <TextInput
              aria-label={`${label}: value ${index + 1}`}
              placeholder={row.op.endsWith('~') ? 'regex, e.g. prod|staging' : 'value'}
              value={row.value}
              onChange={(event) => update(index, { value: event.currentTarget.value })}
              style={{ flex: '2 1 160px' }}
              autoCapitalize="off"
              autoCorrect="off"
              spellCheck={false}
            />
          </Group>
          <Tooltip label="Remove" openDelay={400}>
            <ActionIcon
              variant="subtle"
              color="red"
              size="lg"
              aria-label={`Remove matcher ${index + 1}`}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            >
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Tooltip>
        </Group>
      ))}
      {error !== undefined && (
        <Text size="xs" c="red" role="alert">
          {error}
        </Text>
      )}
      <div>
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={() => onChange([...rows, emptyMatcherRow()])}
        >
          Add matcher
        </Button>
      </div>
    </Stack>
  );
}
