import { Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  createIntegration,
  INTEGRATION_KIND_LABELS,
  INTEGRATION_KINDS,
  type IntegrationKind,
  type IssuedKey,
} from '../../../api/catalog.ts';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { formErrors } from '../../../lib/errors.ts';
import { KeyReveal } from './KeyReveal.tsx';
import { FormActions } from '../../../components/FormActions.tsx';

const FIELDS = ['name', 'kind'] as const;

function IntegrationForm({
  serviceId,
  onCreated,
  onCancel,
}: {
  serviceId: string;
  onCreated: (issued: IssuedKey) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<IntegrationKind>('alertmanager');
  const create = useMutation({
    mutationFn: () => createIntegration(serviceId, { name: name.trim(), kind }),
    onSuccess: async (issued) => {
      onCreated(issued);
      await queryClient.invalidateQueries({ queryKey: ['services', 'integrations', serviceId] });
    },
  });
  const errors = formErrors(create.error, FIELDS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <FormAlert message={errors.form} />
        <NativeSelect
          label="Kind"
          description="What sends the alerts."
          data={INTEGRATION_KINDS.map((value) => ({ value, label: INTEGRATION_KIND_LABELS[value] }))}
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value as IntegrationKind)}
          error={errors.fields['kind']}
        />
        <TextInput
          label="Name"
          description="Which sender uses it, e.g. “Prometheus eu-west”."
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errors.fields['name']}
          data-autofocus
        />
        <FormActions onCancel={onCancel} saving={create.isPending} mt="xs">
          Add integration
        </FormActions>
      </Stack>
    </form>
  );
}

/** Adds an integration, then shows its key once; closing the dialog forgets it. */
export function AddIntegrationModal({
  opened,
  serviceId,
  onClose,
}: {
  opened: boolean;
  serviceId: string;
  onClose: () => void;
}) {
  const [issued, setIssued] = useState<IssuedKey | undefined>(undefined);
  const close = () => {
    setIssued(undefined);
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={issued ? 'Your integration key' : 'Add an integration'}
      size="xl"
      closeOnClickOutside={!issued}
    >
      {issued ? (
        <KeyReveal issued={issued} onDone={close} />
      ) : (
        <IntegrationForm serviceId={serviceId} onCreated={setIssued} onCancel={close} />
      )}
    </Modal>
  );
}
