import { ActionIcon, Button, NativeSelect, Paper, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { Role } from '../../../api/roles.ts';
import type { Team } from '../../../api/teams.ts';
import { RoleSelect } from '../../../components/RoleSelect.tsx';

/** A mapping being edited; `key` keeps React's rows stable while people add and remove them. */
export interface RoleMappingRow {
  key: number;
  group: string;
  role: Role;
}

export interface TeamMappingRow {
  key: number;
  group: string;
  teamId: string;
  role: Role;
}

let lastKey = 0;
export const nextRowKey = (): number => ++lastKey;

/** Field messages by path, as `formErrors` gives them: `roleMappings/0/group`, `teamMappings/1/teamId`… */
type Errors = Readonly<Record<string, string>>;

interface EditorFrameProps {
  title: string;
  description: string;
  addLabel: string;
  onAdd: (() => void) | undefined;
  /** Shown instead of the rows when there are none. */
  empty: string;
  error: string | undefined;
  children: ReactNode[];
}

function EditorFrame({ title, description, addLabel, onAdd, empty, error, children }: EditorFrameProps) {
  return (
    <Stack gap="xs">
      <div>
        <Text size="sm" fw={500}>
          {title}
        </Text>
        <Text size="xs" c="dimmed">
          {description}
        </Text>
      </div>
      {children.length === 0 ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        <Stack gap="xs" role="list" aria-label={title}>
          {children}
        </Stack>
      )}
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
          onClick={onAdd}
          disabled={onAdd === undefined}
        >
          {addLabel}
        </Button>
      </div>
    </Stack>
  );
}

function MappingRow({
  children,
  onRemove,
  removeLabel,
}: {
  children: ReactNode;
  onRemove: () => void;
  removeLabel: string;
}) {
  return (
    <Paper withBorder p="xs" role="listitem">
      <div className="siaga-mapping-row">
        <div className="siaga-mapping-fields">{children}</div>
        <Tooltip label="Remove" openDelay={400}>
          <ActionIcon variant="subtle" color="red" aria-label={removeLabel} onClick={onRemove} mt={24}>
            <IconTrash size={16} aria-hidden />
          </ActionIcon>
        </Tooltip>
      </div>
    </Paper>
  );
}

const replaceAt = <T,>(list: readonly T[], index: number, item: T): T[] =>
  list.map((current, i) => (i === index ? item : current));

export function RoleMappingsEditor({
  rows,
  onChange,
  errors,
}: {
  rows: readonly RoleMappingRow[];
  onChange: (rows: RoleMappingRow[]) => void;
  errors: Errors;
}) {
  return (
    <EditorFrame
      title="Role mappings"
      description="Members of a group get its role across Siaga, updated at every sign-in; with several groups, the highest role wins."
      addLabel="Add role mapping"
      onAdd={() => onChange([...rows, { key: nextRowKey(), group: '', role: 'responder' }])}
      empty="None: new accounts get the default role, and nobody's role changes at sign-in."
      error={errors['roleMappings']}
    >
      {rows.map((row, i) => (
        <MappingRow
          key={row.key}
          removeLabel={`Remove role mapping ${i + 1}`}
          onRemove={() => onChange(rows.filter((other) => other.key !== row.key))}
        >
          <TextInput
            label="Group"
            aria-label={`Group of role mapping ${i + 1}`}
            placeholder="siaga-responders"
            required
            maxLength={256}
            value={row.group}
            onChange={(event) => onChange(replaceAt(rows, i, { ...row, group: event.currentTarget.value }))}
            error={errors[`roleMappings/${i}/group`]}
            className="siaga-mapping-group"
          />
          <RoleSelect
            label="Role"
            aria-label={`Role of role mapping ${i + 1}`}
            value={row.role}
            onChange={(role) => onChange(replaceAt(rows, i, { ...row, role }))}
            error={errors[`roleMappings/${i}/role`]}
            className="siaga-mapping-role"
          />
        </MappingRow>
      ))}
    </EditorFrame>
  );
}

export function TeamMappingsEditor({
  rows,
  onChange,
  errors,
  teams,
}: {
  rows: readonly TeamMappingRow[];
  onChange: (rows: TeamMappingRow[]) => void;
  errors: Errors;
  /** Undefined while the teams load. */
  teams: readonly Team[] | undefined;
}) {
  const firstTeam = teams?.[0];
  const options = (teamId: string) => {
    const known = (teams ?? []).map((team) => ({ value: team.id, label: team.name }));
    // A mapping to a team deleted since stays visible (and removable) rather than silently changing.
    return known.some((option) => option.value === teamId)
      ? known
      : [{ value: teamId, label: teams ? `Deleted team (${teamId})` : 'Loading teams…' }, ...known];
  };
  return (
    <EditorFrame
      title="Team mappings"
      description="Members of a group join a team with a team role at sign-in. Siaga adds and updates memberships; it never removes them."
      addLabel="Add team mapping"
      onAdd={
        firstTeam
          ? () =>
              onChange([...rows, { key: nextRowKey(), group: '', teamId: firstTeam.id, role: 'responder' }])
          : undefined
      }
      empty={
        teams && teams.length === 0
          ? 'There are no teams yet: create one under Teams to map a group to it.'
          : 'None: sign-in changes no team memberships.'
      }
      error={errors['teamMappings']}
    >
      {rows.map((row, i) => (
        <MappingRow
          key={row.key}
          removeLabel={`Remove team mapping ${i + 1}`}
          onRemove={() => onChange(rows.filter((other) => other.key !== row.key))}
        >
          <TextInput
            label="Group"
            aria-label={`Group of team mapping ${i + 1}`}
            placeholder="payments-oncall"
            required
            maxLength={256}
            value={row.group}
            onChange={(event) => onChange(replaceAt(rows, i, { ...row, group: event.currentTarget.value }))}
            error={errors[`teamMappings/${i}/group`]}
            className="siaga-mapping-group"
          />
          <NativeSelect
            label="Team"
            aria-label={`Team of team mapping ${i + 1}`}
            data={options(row.teamId)}
            value={row.teamId}
            onChange={(event) => onChange(replaceAt(rows, i, { ...row, teamId: event.currentTarget.value }))}
            error={errors[`teamMappings/${i}/teamId`]}
            className="siaga-mapping-team"
          />
          <RoleSelect
            label="Team role"
            aria-label={`Team role of team mapping ${i + 1}`}
            value={row.role}
            onChange={(role) => onChange(replaceAt(rows, i, { ...row, role }))}
            error={errors[`teamMappings/${i}/role`]}
            className="siaga-mapping-role"
          />
        </MappingRow>
      ))}
    </EditorFrame>
  );
}
