import { Button, Checkbox, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { atLeast, SCOPE_HINTS, TOKEN_SCOPES, type Role, type TokenScope } from '../../api/roles.ts';
import { createToken, type CreatedToken } from '../../api/tokens.ts';
import { formErrors } from '../../lib/errors.ts';
import { FormAlert } from '../FormAlert.tsx';
import { RoleSelect } from '../RoleSelect.tsx';
import { EXPIRY_CHOICES, expiryToIso, type ExpiryChoice } from './expiry.ts';
import { TokenReveal } from './TokenReveal.tsx';

interface CreateTokenModalProps {
  opened: boolean;
  onClose: () => void;
  /** A personal token acts as you; a service token acts for a team with a role of its own. */
  kind: 'personal' | 'service';
  teamId?: string;
  /** The highest role the creator holds here: neither scopes nor the service role may exceed it. */
  maxRole: Role;
}

/** The most a scope can do, as a role; a scope above the creator's role is not offered. */
const SCOPE_NEEDS: Record<TokenScope, Role> = {
  ingest: 'stakeholder',
  read: 'stakeholder',
  write: 'stakeholder',
  admin: 'admin',
};

const FIELDS = ['name', 'scopes', 'role', 'expiresAt'] as const;

function TokenForm({
  kind,
  teamId,
  maxRole,
  onCreated,
  onCancel,
}: Omit<CreateTokenModalProps, 'opened' | 'onClose'> & {
  onCreated: (created: CreatedToken) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(kind === 'service' ? ['ingest'] : ['read']);
  const [role, setRole] = useState<Role>(atLeast(maxRole, 'responder') ? 'responder' : maxRole);
  const [expiry, setExpiry] = useState<ExpiryChoice>('90');
  const create = useMutation({
    mutationFn: createToken,
    onSuccess: async (created) => {
      onCreated(created);
      await queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const errors = formErrors(create.error, FIELDS);
  const offered = TOKEN_SCOPES.filter((scope) => atLeast(maxRole, SCOPE_NEEDS[scope]));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const expiresAt = expiryToIso(expiry, Date.now());
    create.mutate({
      name: name.trim(),
      kind,
      scopes: scopes.filter((scope): scope is TokenScope =>
        (TOKEN_SCOPES as readonly string[]).includes(scope),
      ),
      ...(kind === 'service' ? { role, ...(teamId ? { teamId } : {}) } : {}),
      ...(expiresAt ? { expiresAt } : {}),
    });
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <FormAlert message={errors.form} />
        <TextInput
          label="Name"
          description={
            kind === 'service'
              ? 'What uses it, e.g. “Prometheus in eu-west”.'
              : 'Where you use it, e.g. “laptop CLI”.'
          }
          required
          maxLength={200}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errors.fields['name']}
          data-autofocus
        />
        <Checkbox.Group
          label="Scopes"
          description="What the token may do; it never does more than its role allows."
          value={scopes}
          onChange={setScopes}
          error={errors.fields['scopes'] ?? (scopes.length === 0 ? 'Choose at least one scope.' : undefined)}
        >
          <Stack gap={8} mt="xs">
            {offered.map((scope) => (
              <Checkbox key={scope} value={scope} label={scope} description={SCOPE_HINTS[scope]} />
            ))}
          </Stack>
        </Checkbox.Group>
        {kind === 'service' && (
          <RoleSelect
            label="Acts with the role"
            description="At most your own role in the team."
            value={role}
            onChange={setRole}
            max={maxRole}
            error={errors.fields['role']}
          />
        )}
        <NativeSelect
          label="Expires after"
          data={[...EXPIRY_CHOICES]}
          value={expiry}
          onChange={(event) => setExpiry(event.currentTarget.value as ExpiryChoice)}
          error={errors.fields['expiresAt']}
        />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} disabled={scopes.length === 0}>
            Create token
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Creates a token, then shows it once; closing the dialog forgets it. */
export function CreateTokenModal({ opened, onClose, ...props }: CreateTokenModalProps) {
  const [created, setCreated] = useState<CreatedToken | undefined>(undefined);
  const close = () => {
    setCreated(undefined);
    onClose();
  };
  const title = created
    ? 'Your new token'
    : props.kind === 'service'
      ? 'New service token'
      : 'New personal token';
  return (
    <Modal opened={opened} onClose={close} title={title} size="lg" closeOnClickOutside={!created}>
      {created ? (
        <TokenReveal name={created.apiToken.name} token={created.token} onDone={close} />
      ) : (
        <TokenForm {...props} onCreated={setCreated} onCancel={close} />
      )}
    </Modal>
  );
}
