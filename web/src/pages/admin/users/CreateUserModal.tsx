import { Modal, PasswordInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Role } from '../../../api/roles.ts';
import { createUser, type NewUser, type User } from '../../../api/users.ts';
import { useCurrentUser } from '../../../app/session.ts';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { RoleSelect } from '../../../components/RoleSelect.tsx';
import { TimeZoneSelect } from '../../../components/TimeZoneSelect.tsx';
import { formErrors } from '../../../lib/errors.ts';
import { MIN_PASSWORD_LENGTH, PASSWORD_HINT } from '../../../lib/passwordPolicy.ts';
import { FormActions } from '../../../components/FormActions.tsx';

const FIELDS = ['name', 'email', 'role', 'timeZone', 'password'] as const;

function CreateUserForm({ onCreated, onCancel }: { onCreated: (user: User) => void; onCancel: () => void }) {
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('responder');
  const [timeZone, setTimeZone] = useState(me.timeZone);
  const [password, setPassword] = useState('');
  const [checked, setChecked] = useState(false);
  const create = useMutation({
    mutationFn: createUser,
    onSuccess: async (user) => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      onCreated(user);
    },
  });
  const errors = formErrors(create.error, FIELDS);
  const tooShort = password !== '' && [...password].length < MIN_PASSWORD_LENGTH;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (tooShort) return;
    const input: NewUser = { name: name.trim(), email: email.trim(), role, timeZone };
    if (password !== '') input.password = password;
    create.mutate(input);
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <FormAlert message={errors.form} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errors.fields['name']}
            data-autofocus
          />
          <TextInput
            label="Email"
            type="email"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            error={errors.fields['email']}
          />
        </SimpleGrid>
        <RoleSelect
          label="Role"
          description="Across Siaga; each team can give a different role."
          value={role}
          onChange={setRole}
          withHints
          error={errors.fields['role']}
        />
        <TimeZoneSelect
          label="Time zone"
          value={timeZone}
          onChange={setTimeZone}
          error={errors.fields['timeZone']}
        />
        <PasswordInput
          label="Initial password"
          autoComplete="new-password"
          description={`${PASSWORD_HINT} Share it privately; they can change it in their profile. Leave empty for single sign-on only.`}
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={
            errors.fields['password'] ??
            (checked && tooShort ? `Use at least ${MIN_PASSWORD_LENGTH} characters.` : undefined)
          }
        />
        <FormActions onCancel={onCancel} saving={create.isPending} mt="xs">
          Create user
        </FormActions>
      </Stack>
    </form>
  );
}

export function CreateUserModal({
  opened,
  onClose,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  onCreated: (user: User) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="New user" size="lg">
      <CreateUserForm onCreated={onCreated} onCancel={onClose} />
    </Modal>
  );
}
