import { NativeSelect } from '@mantine/core';

/**
 * The owning team of a schedule, policy or channel. With one team there is nothing to choose, so no placeholder
 * is offered; with several, the form starts on "Choose a team".
 */
export function TeamSelect(props: {
  teams: readonly { id: string; name: string }[];
  loading: boolean;
  value: string;
  onChange: (teamId: string) => void;
  error?: string | undefined;
  description?: string;
}) {
  const { teams } = props;
  return (
    <NativeSelect
      label="Team"
      {...(props.description ? { description: props.description } : {})}
      required
      data={[
        ...(teams.length === 1
          ? []
          : [{ value: '', label: props.loading ? 'Loading teams…' : 'Choose a team' }]),
        ...teams.map((team) => ({ value: team.id, label: team.name })),
      ]}
      value={props.value}
      onChange={(event) => props.onChange(event.currentTarget.value)}
      error={props.error}
    />
  );
}
