import { PasswordInput } from '@mantine/core';
import { useState } from 'react';
import { MIN_PASSWORD_LENGTH, PASSWORD_HINT } from '../lib/passwordPolicy.ts';

/** A new password typed twice, with the checks the browser can make before the server's policy. */
export function useNewPassword() {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const tooShort = [...password].length < MIN_PASSWORD_LENGTH;
  const mismatch = confirm !== password;
  const reset = () => {
    setPassword('');
    setConfirm('');
  };
  return {
    password,
    setPassword,
    confirm,
    setConfirm,
    tooShort,
    mismatch,
    invalid: tooShort || mismatch,
    reset,
  };
}

export type NewPassword = ReturnType<typeof useNewPassword>;

/**
 * The two inputs, as siblings, so the form lays them out (a stack, or a two-column grid). Problems show once the
 * form was submitted (`checked`); `serverError` is the server's word on the first field.
 */
export function NewPasswordFields(props: {
  state: NewPassword;
  checked: boolean;
  serverError: string | undefined;
  label: string;
  repeatLabel: string;
}) {
  const { state, checked } = props;
  return (
    <>
      <PasswordInput
        label={props.label}
        autoComplete="new-password"
        required
        value={state.password}
        onChange={(event) => state.setPassword(event.currentTarget.value)}
        description={PASSWORD_HINT}
        error={
          props.serverError ??
          (checked && state.tooShort ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined)
        }
      />
      <PasswordInput
        label={props.repeatLabel}
        autoComplete="new-password"
        required
        value={state.confirm}
        onChange={(event) => state.setConfirm(event.currentTarget.value)}
        error={checked && state.mismatch ? 'The two passwords differ.' : undefined}
      />
    </>
  );
}
