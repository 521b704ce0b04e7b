import { Alert, Button, PasswordInput, SimpleGrid, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { IconCircleCheck } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { changePassword, type User } from '../../api/users.ts';
import { FormAlert } from '../../components/FormAlert.tsx';
import { Section } from '../../components/Section.tsx';
import { formErrors } from '../../lib/errors.ts';
import { NewPasswordFields, useNewPassword } from '../../components/NewPasswordFields.tsx';

const FIELDS = ['currentPassword', 'newPassword'] as const;

/** Changing your password ends your other sessions (the server does that), so say so. */
export function PasswordSection({ user }: { user: User }) {
  const [current, setCurrent] = useState('');
  const newPassword = useNewPassword();
  const [checked, setChecked] = useState(false);
  const change = useMutation({
    mutationFn: (input: { newPassword: string; currentPassword?: string }) => changePassword(user.id, input),
    onSuccess: () => {
      setCurrent('');
      newPassword.reset();
      setChecked(false);
    },
  });
  const errors = formErrors(change.error, FIELDS);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (newPassword.invalid) return;
    change.mutate({
      newPassword: newPassword.password,
      ...(user.hasPassword ? { currentPassword: current } : {}),
    });
  };

  return (
    <Section
      id="profile-password"
      title="Password"
      description={
        user.hasPassword
          ? 'Changing it signs you out everywhere else.'
          : 'You have no password yet; set one to sign in with your email.'
      }
    >
      <form onSubmit={submit}>
        <Stack gap="md">
          {change.isSuccess && (
            <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} role="status">
              Password changed. Your other sessions have been signed out.
            </Alert>
          )}
          <FormAlert message={errors.form} />
          {user.hasPassword && (
            <PasswordInput
              label="Current password"
              autoComplete="current-password"
              required
              value={current}
              onChange={(event) => setCurrent(event.currentTarget.value)}
              error={errors.fields['currentPassword']}
              maw={{ sm: 'calc(50% - var(--mantine-spacing-md) / 2)' }}
            />
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <NewPasswordFields
              state={newPassword}
              checked={checked}
              serverError={errors.fields['newPassword']}
              label="New password"
              repeatLabel="Repeat the new password"
            />
          </SimpleGrid>
          <div>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </div>
        </Stack>
      </form>
    </Section>
  );
}
