import { Badge, Button, Card, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  CONTACT_KIND_LABELS,
  deleteContactMethod,
  resendVerificationCode,
  setContactMethodDisabled,
  verifyContactMethod,
  type ContactMethod,
} from '../../api/response.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { FormAlert } from '../../components/FormAlert.tsx';
import { Time } from '../../components/Time.tsx';
import { ExpiredPush } from './BrowserPush.tsx';
import { EditContactMethodModal } from './EditContactMethodModal.tsx';
import { describeError } from '../../lib/errors.ts';

function StatusBadge({ method }: { method: ContactMethod }) {
  if (method.expired)
    return (
      <Badge color="red" variant="light" tt="none">
        Expired
      </Badge>
    );
  if (method.disabled)
    return (
      <Badge color="gray" variant="light" tt="none">
        Disabled
      </Badge>
    );
  if (!method.verified)
    return (
      <Badge color="yellow" variant="light" tt="none">
        Not verified
      </Badge>
    );
  return (
    <Badge color="teal" variant="light" tt="none">
      Verified
    </Badge>
  );
}

function VerifyForm({ method, timeZone }: { method: ContactMethod; timeZone: string }) {
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const done = () => queryClient.invalidateQueries({ queryKey: ['me'] });
  const verify = useMutation({
    mutationFn: () => verifyContactMethod(method.id, code.trim()),
    onSuccess: async () => {
      setCode('');
      await done();
    },
  });
  const resend = useMutation({ mutationFn: () => resendVerificationCode(method.id), onSuccess: done });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (code.trim() !== '') verify.mutate();
  };
  const v = method.verification;
  return (
    <form onSubmit={submit}>
      <Stack gap="xs" mt="xs">
        <Group align="flex-end" gap="xs">
          <TextInput
            label="Verification code"
            aria-label={`Verification code for ${method.name}`}
            description={
              v?.codeSent && v.expiresAt ? (
                <>
                  Sent to {method.address}; valid until <Time iso={v.expiresAt} timeZone={timeZone} short />,{' '}
                  {v.attemptsLeft} tries left.
                </>
              ) : (
                'No code is outstanding: send a new one.'
              )
            }
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={20}
            w={{ base: '100%', xs: 260 }}
            value={code}
            onChange={(event) => setCode(event.currentTarget.value)}
          />
          <Button type="submit" loading={verify.isPending} disabled={code.trim() === ''}>
            Verify
          </Button>
          <Button variant="subtle" loading={resend.isPending} onClick={() => resend.mutate()}>
            Send a new code
          </Button>
        </Group>
        <FormAlert message={verify.isError ? describeError(verify.error) : undefined} />
        <FormAlert message={resend.isError ? describeError(resend.error) : undefined} />
        {resend.isSuccess && (
          <Text size="sm" c="teal" role="status">
            A new code is on its way.
          </Text>
        )}
      </Stack>
    </form>
  );
}

/** One contact method: where it reaches, whether it may page, and what can be done with it. */
export function ContactMethodCard({
  method,
  methods,
  timeZone,
}: {
  method: ContactMethod;
  /** All of the person's methods: a push method's card looks for this browser among them. */
  methods: readonly ContactMethod[];
  timeZone: string;
}) {
  const queryClient = useQueryClient();
  const [deleting, setDeleting] = useState(false);
  const [editing, setEditing] = useState(false);
  const done = () => queryClient.invalidateQueries({ queryKey: ['me'] });
  const toggle = useMutation({
    mutationFn: () => setContactMethodDisabled(method.id, !method.disabled),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: () => deleteContactMethod(method.id),
    onSuccess: async () => {
      setDeleting(false);
      await done();
    },
  });
  return (
    <Card withBorder padding="sm" component="li" aria-label={method.name} data-contact-method-id={method.id}>
      <Group justify="space-between" align="flex-start" gap="xs">
        <div style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={600}>{method.name}</Text>
            <StatusBadge method={method} />
          </Group>
          <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {CONTACT_KIND_LABELS[method.kind]} · {method.address}
          </Text>
        </div>
        <Group gap="xs">
          {method.verified && (
            <Button
              size="compact-sm"
              variant="default"
              loading={toggle.isPending}
              onClick={() => toggle.mutate()}
            >
              {method.disabled ? 'Enable' : 'Disable'}
            </Button>
          )}
          <Button
            size="compact-sm"
            variant="default"
            aria-label={`Edit ${method.name}`}
            onClick={() => setEditing(true)}
          >
            Edit
          </Button>
          <Button
            size="compact-sm"
            variant="subtle"
            color="red"
            onClick={() => {
              remove.reset();
              setDeleting(true);
            }}
          >
            Delete
          </Button>
        </Group>
      </Group>
      {method.expired && method.kind === 'push' && (
        <ExpiredPush method={method} methods={methods} timeZone={timeZone} />
      )}
      {!method.verified && <VerifyForm method={method} timeZone={timeZone} />}
      <FormAlert message={toggle.isError ? describeError(toggle.error) : undefined} />
      <EditContactMethodModal method={method} opened={editing} onClose={() => setEditing(false)} />
      <ConfirmModal
        opened={deleting}
        title={`Delete ${method.name}?`}
        confirmLabel="Delete contact method"
        danger
        pending={remove.isPending}
        error={remove.isError ? describeError(remove.error) : undefined}
        onConfirm={() => remove.mutate()}
        onClose={() => setDeleting(false)}
      >
        Its notification rules are deleted too; pages stop going to {method.address}.
      </ConfirmModal>
    </Card>
  );
}
