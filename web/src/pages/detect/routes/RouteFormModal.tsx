import { Button, Group, Modal, Select, Stack, Switch, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  parseLabels,
  routesApi,
  SEVERITIES,
  type Route,
  type RouteInput,
  type Severity,
} from '../../../api/alerting.ts';
import { servicesQuery } from '../../../api/catalog.ts';
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

const FIELDS = [
  'name',
  ...matcherFields('matchers'),
  'serviceId',
  'continue',
  'isDefault',
  'setSeverity',
  'setLabels',
];
/** The Select's value for "no service": the rule takes the alert but leaves it unrouted. */
const NO_SERVICE = '-';

const labelsText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');

function RouteForm({
  route,
  onSaved,
  onCancel,
}: {
  route?: Route;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const services = useQuery(servicesQuery);
  const [name, setName] = useState(route?.name ?? '');
  const [rows, setRows] = useState<MatcherRow[]>(() =>
    route ? matcherRows(route.matchers) : [emptyMatcherRow()],
  );
  const [serviceId, setServiceId] = useState<string>(route ? (route.serviceId ?? NO_SERVICE) : '');
  const [cont, setCont] = useState(route?.continue ?? false);
  const [isDefault, setIsDefault] = useState(route?.isDefault ?? false);
  const [severity, setSeverity] = useState<string>(route?.setSeverity ?? '');
  const [labels, setLabels] = useState(route ? labelsText(route.setLabels) : '');
  const [labelsError, setLabelsError] = useState<string | undefined>(undefined);
  const save = useMutation({
    mutationFn: (input: RouteInput) => (route ? routesApi.update(route.id, input) : routesApi.create(input)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: routesApi.query.queryKey });
      onSaved();
    },
  });
  const errors = formErrors(save.error, FIELDS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    let setLabels;
    try {
      setLabels = parseLabels(labels);
      setLabelsError(undefined);
    } catch (error) {
      setLabelsError(error instanceof Error ? error.message : String(error));
      return;
    }
    save.mutate({
      name: name.trim(),
      matchers: rowsToMatchers(rows),
      serviceId: serviceId === NO_SERVICE ? null : serviceId,
      continue: cont,
      isDefault,
      setSeverity: severity === '' ? null : (severity as Severity),
      setLabels,
    });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <FormAlert message={errors.form} />
        <NameField value={name} onChange={setName} error={errors.fields['name']} />
        <MatchersEditor
          label="Matchers"
          description="The rule takes alerts that match all of them."
          rows={rows}
          onChange={setRows}
          empty="No matchers: the rule takes every alert."
          error={matcherError(errors.fields, 'matchers')}
        />
        <Select
          label="Send to service"
          required
          searchable
          placeholder="Choose a service"
          data={[
            { value: NO_SERVICE, label: 'No service (leave the alert unrouted)' },
            ...(services.data ?? []).map((service) => ({ value: service.id, label: service.name })),
          ]}
          value={serviceId === '' ? null : serviceId}
          onChange={(value) => setServiceId(value ?? '')}
          error={errors.fields['serviceId']}
        />
        <Switch
          label="Continue: also try the rules after this one"
          checked={cont}
          onChange={(event) => setCont(event.currentTarget.checked)}
        />
        <Switch
          label="Default route: takes alerts no other rule took"
          checked={isDefault}
          onChange={(event) => setIsDefault(event.currentTarget.checked)}
        />
        <Select
          label="Set severity"
          description="Rewrite the severity of the alerts this rule takes."
          data={[
            { value: '', label: 'Keep the sender’s' },
            ...SEVERITIES.map((s) => ({ value: s, label: s })),
          ]}
          value={severity}
          onChange={(value) => setSeverity(value ?? '')}
          allowDeselect={false}
          error={errors.fields['setSeverity']}
        />
        <Textarea
          label="Set labels"
          description="One name=value per line; added to (or replacing) the alert's labels."
          autosize
          minRows={2}
          maxRows={6}
          value={labels}
          onChange={(event) => setLabels(event.currentTarget.value)}
          error={labelsError ?? errors.fields['setLabels']}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={serviceId === ''}>
            {route ? 'Save rule' : 'Create rule'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function RouteFormModal({
  opened,
  route,
  onClose,
}: {
  opened: boolean;
  route: Route | undefined;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={route ? `Edit ${route.name}` : 'New routing rule'}
      size="lg"
    >
      <RouteForm {...(route ? { route } : {})} onSaved={onClose} onCancel={onClose} />
    </Modal>
  );
}
