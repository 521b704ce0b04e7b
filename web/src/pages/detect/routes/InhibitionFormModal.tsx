import { Modal, Stack, TagsInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { inhibitionApi, type InhibitionInput, type InhibitionRule } from '../../../api/alerting.ts';
import {
  emptyMatcherRow,
  matcherError,
  matcherFields,
  matcherRows,
  MatchersEditor,
  rowsToMatchers,
  type MatcherRow,
} from '../../../components/alerting/MatchersEditor.tsx';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { formErrors } from '../../../lib/errors.ts';
import { NameField } from '../../../components/NameField.tsx';
import { FormActions } from '../../../components/FormActions.tsx';

const FIELDS = ['name', ...matcherFields('sourceMatchers'), ...matcherFields('targetMatchers'), 'equal'];

function InhibitionForm({
  rule,
  onSaved,
  onCancel,
}: {
  rule?: InhibitionRule;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(rule?.name ?? '');
  const [source, setSource] = useState<MatcherRow[]>(() =>
    rule ? matcherRows(rule.sourceMatchers) : [emptyMatcherRow()],
  );
  const [target, setTarget] = useState<MatcherRow[]>(() =>
    rule ? matcherRows(rule.targetMatchers) : [emptyMatcherRow()],
  );
  const [equal, setEqual] = useState<string[]>(rule?.equal ?? []);
  const save = useMutation({
    mutationFn: (input: InhibitionInput) =>
      rule ? inhibitionApi.update(rule.id, input) : inhibitionApi.create(input),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: inhibitionApi.query.queryKey });
      onSaved();
    },
  });
  const errors = formErrors(save.error, FIELDS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({
      name: name.trim(),
      sourceMatchers: rowsToMatchers(source),
      targetMatchers: rowsToMatchers(target),
      equal,
    });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <FormAlert message={errors.form} />
        <NameField value={name} onChange={setName} error={errors.fields['name']} />
        <MatchersEditor
          label="While an alert matching these fires"
          description='The source, e.g. severity="critical".'
          rows={source}
          onChange={setSource}
          error={matcherError(errors.fields, 'sourceMatchers')}
        />
        <MatchersEditor
          label="Keep alerts matching these quiet"
          description='The targets, e.g. severity="warning".'
          rows={target}
          onChange={setTarget}
          error={matcherError(errors.fields, 'targetMatchers')}
        />
        <TagsInput
          label="When these labels are equal"
          description="e.g. alertname, instance: only related alerts inhibit each other. Press Enter after each."
          value={equal}
          onChange={setEqual}
          splitChars={[',', ' ']}
          error={errors.fields['equal']}
        />
        <FormActions onCancel={onCancel} saving={save.isPending} mt="xs">
          {rule ? 'Save rule' : 'Create rule'}
        </FormActions>
      </Stack>
    </form>
  );
}

export function InhibitionFormModal({
  opened,
  rule,
  onClose,
}: {
  opened: boolean;
  rule: InhibitionRule | undefined;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={rule ? `Edit ${rule.name}` : 'New inhibition rule'}
      size="lg"
    >
      <InhibitionForm {...(rule ? { rule } : {})} onSaved={onClose} onCancel={onClose} />
    </Modal>
  );
}
