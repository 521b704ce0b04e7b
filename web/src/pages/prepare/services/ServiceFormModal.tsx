import {
  Button,
  Input,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  createService,
  updateService,
  type Grouping,
  type Service,
  type ServiceInput,
  type Urgency,
} from '../../../api/catalog.ts';
import { teamsQuery } from '../../../api/teams.ts';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { formErrors } from '../../../lib/errors.ts';
import { NameField } from '../../../components/NameField.tsx';

const FIELDS = ['name', 'teamId', 'description', 'grouping', 'autoResolve', 'urgency'] as const;
type GroupingMode = Grouping['mode'];

const GROUPING_HINTS: Record<GroupingMode, string> = {
  labels: 'Alerts with the same values of these labels share an incident (Alertmanager’s group_by).',
  sender: 'Keep the groups the sender formed (Alertmanager’s groupKey).',
  alert: 'Every alert opens its own incident.',
};

function ServiceForm({
  service,
  onSaved,
  onCancel,
}: {
  service?: Service;
  onSaved: (service: Service) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const teams = useQuery(teamsQuery);
  const [name, setName] = useState(service?.name ?? '');
  const [description, setDescription] = useState(service?.description ?? '');
  const [teamId, setTeamId] = useState<string | null>(service?.teamId ?? null);
  const [mode, setMode] = useState<GroupingMode>(service?.grouping.mode ?? 'labels');
  const [labels, setLabels] = useState<string[]>(
    service?.grouping.mode === 'labels' ? service.grouping.labels : ['alertname'],
  );
  const [autoResolve, setAutoResolve] = useState(service?.autoResolve ?? true);
  const [urgency, setUrgency] = useState<Urgency>(service?.urgency ?? 'high');
  const save = useMutation({
    mutationFn: (input: ServiceInput) => (service ? updateService(service.id, input) : createService(input)),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['services', 'one', saved.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['services', 'list'] });
      onSaved(saved);
    },
  });
  const errors = formErrors(save.error, FIELDS);
  const grouping: Grouping = mode === 'labels' ? { mode, labels } : { mode };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (teamId === null) return;
    save.mutate({
      name: name.trim(),
      description: description.trim(),
      teamId,
      grouping,
      autoResolve,
      urgency,
    });
  };
  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <FormAlert message={errors.form} />
        <NameField value={name} onChange={setName} error={errors.fields['name']} />
        <Select
          label="Owning team"
          description="Its admins manage the service; its members respond to its incidents."
          required
          searchable
          placeholder={teams.isPending ? 'Loading teams…' : 'Choose a team'}
          data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
          value={teamId}
          onChange={setTeamId}
          error={errors.fields['teamId'] ?? (teams.isError ? 'Could not load the teams.' : undefined)}
          nothingFoundMessage="No such team"
        />
        <Textarea
          label="Description"
          autosize
          minRows={2}
          maxRows={6}
          maxLength={2000}
          value={description}
          onChange={(event) => setDescription(event.currentTarget.value)}
          error={errors.fields['description']}
        />
        <div>
          <Input.Label id="grouping-label" display="block" mb={4}>
            Group alerts into incidents
          </Input.Label>
          <SegmentedControl
            aria-labelledby="grouping-label"
            fullWidth
            data={[
              { value: 'labels', label: 'By labels' },
              { value: 'sender', label: 'As sent' },
              { value: 'alert', label: 'Per alert' },
            ]}
            value={mode}
            onChange={(value) => setMode(value)}
          />
          <Text size="xs" c="dimmed" mt={4}>
            {GROUPING_HINTS[mode]}
          </Text>
        </div>
        {mode === 'labels' && (
          <TagsInput
            label="Grouping labels"
            description="Press Enter after each label name."
            value={labels}
            onChange={setLabels}
            maxTags={10}
            splitChars={[',', ' ']}
            error={
              errors.fields['grouping'] ?? (labels.length === 0 ? 'Name at least one label.' : undefined)
            }
          />
        )}
        <div>
          <Input.Label id="urgency-label" display="block" mb={4}>
            Urgency
          </Input.Label>
          <SegmentedControl
            aria-labelledby="urgency-label"
            data={[
              { value: 'high', label: 'High: page now' },
              { value: 'low', label: 'Low: business hours' },
            ]}
            value={urgency}
            onChange={(value) => setUrgency(value)}
          />
        </div>
        <Switch
          label="Resolve the incident when all of its alerts resolve"
          checked={autoResolve}
          onChange={(event) => setAutoResolve(event.currentTarget.checked)}
        />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={save.isPending}
            disabled={teamId === null || (mode === 'labels' && labels.length === 0)}
          >
            {service ? 'Save' : 'Create service'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Creates a service, or changes one (`service` given). */
export function ServiceFormModal({
  opened,
  service,
  onClose,
  onSaved,
}: {
  opened: boolean;
  service?: Service;
  onClose: () => void;
  onSaved: (service: Service) => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={service ? `Edit ${service.name}` : 'New service'}
      size="lg"
    >
      <ServiceForm {...(service ? { service } : {})} onSaved={onSaved} onCancel={onClose} />
    </Modal>
  );
}
