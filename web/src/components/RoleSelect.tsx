import { NativeSelect, type NativeSelectProps } from '@mantine/core';
import { ROLE_HINTS, ROLE_LABELS, ROLES, atLeast, type Role } from '../api/roles.ts';

interface RoleSelectProps extends Omit<NativeSelectProps, 'data' | 'value' | 'onChange'> {
  value: Role;
  onChange: (role: Role) => void;
  /** Roles above this one are not offered (a token never exceeds its creator). */
  max?: Role;
  /** Show what each role may do in the options. */
  withHints?: boolean;
}

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** A native select: accessible, keyboard- and phone-friendly, and short (four roles). */
export function RoleSelect({ value, onChange, max = 'admin', withHints = false, ...props }: RoleSelectProps) {
  const data = ROLES.filter((role) => atLeast(max, role)).map((role) => ({
    value: role,
    label: withHints ? `${ROLE_LABELS[role]} — ${ROLE_HINTS[role]}` : ROLE_LABELS[role],
  }));
  return (
    <NativeSelect
      {...props}
      data={data}
      value={value}
      onChange={(event) => {
        if (isRole(event.currentTarget.value)) onChange(event.currentTarget.value);
      }}
    />
  );
}
