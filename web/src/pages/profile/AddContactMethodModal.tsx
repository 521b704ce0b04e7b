import { Alert, Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import {
  CONTACT_KIND_LABELS,
  createContactMethod,
  type ContactKind,
  type CreatedContactMethod,
} from '../../api/response.ts';
import { CopyableCode } from '../../components/alerting/CopyableCode.tsx';
import { FormAlert } from '../../components/FormAlert.tsx';
import { ADDRESS_FIELDS } from '../../components/response/channelFields.ts';
import { formErrors } from '../../lib/errors.ts';
import { AddressField } from './AddressField.tsx';

type TypedKind = keyof typeof ADDRESS_FIELDS;
const KINDS = Object.keys(ADDRESS_FIELDS) as TypedKind[];
const FIELDS = ['kind', 'name', 'address'] as const;

function AddForm({
  onCreated,
  onCancel,
}: {
  onCreated: (m: CreatedContactMethod) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<TypedKind>('email');
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const field = ADDRESS_FIELDS[kind];
  const create = useMutation({
    mutationFn: () =>
      createContactMethod({ kind, address: address.trim(), ...(name.trim() ? { name: name.trim() } : {}) }),
    onSuccess: async (created) => {
      onCreated(created);
      await queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
  const errors = formErrors(create.error, FIELDS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (address.trim() !== '') create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <FormAlert message={errors.form} />
        <NativeSelect
          label="Kind"
          data={KINDS.map((k) => ({ value: k, label: CONTACT_KIND_LABELS[k as ContactKind] }))}
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value as TypedKind)}
          error={errors.fields['kind']}
        />
        <AddressField
          field={field}
          value={address}
          onChange={setAddress}
          error={errors.fields['address']}
          autoFocus
        />
        <TextInput
          label="Name"
          description="Optional, e.g. “Work phone”."
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errors.fields['name']}
        />
        <Text size="sm" c="dimmed">
          Web push is added from the browser that should receive it: “Enable push on this browser” under
          Notifications.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} disabled={address.trim() === ''}>
            Add and send a code
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Adds a contact method; a code goes to it at once, and a webhook's signing secret is shown this once. */
export function AddContactMethodModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [created, setCreated] = useState<CreatedContactMethod | undefined>();
  const close = () => {
    setCreated(undefined);
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created?.signingSecret ? 'Your webhook signing secret' : 'Add a contact method'}
      size="lg"
    >
      {created?.signingSecret ? (
        <Stack gap="md">
          <Alert
            color="orange"
            variant="light"
            icon={<IconAlertTriangle aria-hidden />}
            title="Copy it now: it won't be shown again"
            role="status"
          >
            Every request to your webhook is signed with this secret (X-Siaga-Signature). Keep it in your
            receiver to check that requests come from Siaga.
          </Alert>
          <CopyableCode label="Signing secret" value={created.signingSecret} testId="signing-secret" />
          <Group justify="flex-end">
            <Button onClick={close}>I have copied it</Button>
          </Group>
        </Stack>
      ) : (
        opened && (
          <AddForm
            onCreated={(m) => {
              if (m.signingSecret) setCreated(m);
              else close();
            }}
            onCancel={close}
          />
        )
      )}
    </Modal>
  );
}
