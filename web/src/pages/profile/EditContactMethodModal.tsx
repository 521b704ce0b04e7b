import { Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { updateContactMethod, type ContactMethod } from '../../api/response.ts';
import { FormAlert } from '../../components/FormAlert.tsx';
import { ADDRESS_FIELDS } from '../../components/response/channelFields.ts';
import { formErrors } from '../../lib/errors.ts';
import { NameField } from '../../components/NameField.tsx';
import { AddressField } from './AddressField.tsx';
import { FormActions } from '../../components/FormActions.tsx';

const FIELDS = ['name', 'address'] as const;

function EditForm({ method, onDone }: { method: ContactMethod; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(method.name);
  const [address, setAddress] = useState(method.address);
  // A push subscription's address is the browser's: it changes by subscribing again, not by typing.
  const field = method.kind === 'push' ? undefined : ADDRESS_FIELDS[method.kind];
  const moved = field !== undefined && address.trim() !== method.address;
  const save = useMutation({
    mutationFn: () =>
      updateContactMethod(method.id, {
        ...(name.trim() !== method.name ? { name: name.trim() } : {}),
        ...(moved ? { address: address.trim() } : {}),
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      onDone();
    },
  });
  const errors = formErrors(save.error, FIELDS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() !== '' && (!field || address.trim() !== '')) save.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <FormAlert message={errors.form} />
        <NameField value={name} onChange={setName} error={errors.fields['name']} />
        {field && (
          <AddressField
            field={field}
            value={address}
            onChange={setAddress}
            error={errors.fields['address']}
          />
        )}
        {moved && (
          <Text size="sm" c="orange" role="status">
            A new address gets a new code: this method stops paging you until you enter it.
          </Text>
        )}
        <FormActions onCancel={onDone} saving={save.isPending}>
          {moved ? 'Save and send a code' : 'Save'}
        </FormActions>
      </Stack>
    </form>
  );
}

/** Renames a contact method or changes where it reaches (which starts verification again). */
export function EditContactMethodModal({
  method,
  opened,
  onClose,
}: {
  method: ContactMethod;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Edit ${method.name}`} size="lg">
      {opened && <EditForm method={method} onDone={onClose} />}
    </Modal>
  );
}
