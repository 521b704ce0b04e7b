import { ActionIcon, Tooltip } from '@mantine/core';
import type { ComponentType } from 'react';

/** A small icon button with a tooltip, for the actions at the end of a table row (edit, delete, move...). */
export function IconAction(props: {
  /** Shown in the tooltip. */
  label: string;
  /** What a screen reader says: name the row's object (`Edit checkout`). */
  ariaLabel: string;
  icon: ComponentType<{ size?: number; 'aria-hidden'?: boolean }>;
  onClick: () => void;
  color?: string;
  disabled?: boolean;
}) {
  const Icon = props.icon;
  return (
    <Tooltip label={props.label}>
      <ActionIcon
        variant="subtle"
        {...(props.color ? { color: props.color } : {})}
        aria-label={props.ariaLabel}
        onClick={props.onClick}
        {...(props.disabled === undefined ? {} : { disabled: props.disabled })}
      >
        <Icon size={16} aria-hidden />
      </ActionIcon>
    </Tooltip>
  );
}
