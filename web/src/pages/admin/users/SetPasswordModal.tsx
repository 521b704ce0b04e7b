import { Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { changePassword, type User } from '../../../api/users.ts';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { formErrors } from '../../../lib/errors.ts';
import { MIN_PASSWORD_LENGTH, PASSWORD_HINT } from '../../../lib/passwordPolicy.ts';
import { FormActions } from '../../../components/FormActions.tsx';

function SetPasswordForm({ user, onDone }: { user: User; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [checked, setChecked] = useState(false);
  const set = useMutation({
    mutationFn: (newPassword: string) => changePassword(user.id, { newPassword }),
    onSuccess: onDone,
  });
  const errors = formErrors(set.error, ['newPassword']);
  const tooShort = [...password].length < MIN_PASSWORD_LENGTH;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (!tooShort) set.mutate(password);
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <Text size="sm">
          {user.name} is signed out everywhere and signs in with the new password. Share it privately.
        </Text>
        <FormAlert message={errors.form} />
        <PasswordInput
          label="New password"
          autoComplete="new-password"
          required
          description={PASSWORD_HINT}
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={
            errors.fields['newPassword'] ??
            (checked && tooShort ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined)
          }
          data-autofocus
        />
        <FormActions onCancel={onDone} saving={set.isPending}>
          Set password
        </FormActions>
      </Stack>
    </form>
  );
}

export function SetPasswordModal({ user, onClose }: { user: User | undefined; onClose: () => void }) {
  return (
    <Modal opened={user !== undefined} onClose={onClose} title={`Set a password for ${user?.name ?? ''}`}>
      {user && <SetPasswordForm key={user.id} user={user} onDone={onClose} />}
    </Modal>
  );
}
