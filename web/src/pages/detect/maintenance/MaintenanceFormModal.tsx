import {
  Button,
  Input,
  Chip,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import {
  instantIso,
  maintenanceApi,
  WEEKDAYS,
  type MaintenanceInput,
  type MaintenanceSchedule,
  type MaintenanceWindow,
  type Weekday,
} from '../../../api/alerting.ts';
import { servicesQuery } from '../../../api/catalog.ts';
import { useCurrentUser } from '../../../app/session.ts';
import {
  matcherError,
  matcherFields,
  matcherRows,
  MatchersEditor,
  rowsToMatchers,
  type MatcherRow,
} from '../../../components/alerting/MatchersEditor.tsx';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { TimeZoneSelect } from '../../../components/TimeZoneSelect.tsx';
import { formErrors } from '../../../lib/errors.ts';
import { browserTimeZone } from '../../../lib/timeZones.ts';
import { isoToWallTime, wallTimeToIso } from '../../../lib/zonedTime.ts';
import { WEEKDAY_LABELS } from './schedule.ts';

const SCHEDULE_FIELDS = ['startsAt', 'endsAt', 'days', 'start', 'durationMinutes', 'timeZone'] as const;
const FIELDS = [
  'name',
  'serviceId',
  ...matcherFields('matchers'),
  'schedule',
  ...SCHEDULE_FIELDS.map((field) => `schedule/${field}`),
];
const ANY_SERVICE = '';

function MaintenanceForm({
  existing,
  onSaved,
  onCancel,
}: {
  existing?: MaintenanceWindow;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const services = useQuery(servicesQuery);
  const schedule = existing?.schedule;
  const [name, setName] = useState(existing?.name ?? '');
  const [serviceId, setServiceId] = useState(existing?.serviceId ?? ANY_SERVICE);
  const [rows, setRows] = useState<MatcherRow[]>(() => (existing ? matcherRows(existing.matchers) : []));
  const [kind, setKind] = useState<MaintenanceSchedule['kind']>(schedule?.kind ?? 'once');
  const [startsWall, setStartsWall] = useState(
    schedule?.kind === 'once' ? isoToWallTime(instantIso(schedule.startsAt), user.timeZone) : '',
  );
  const [endsWall, setEndsWall] = useState(
    schedule?.kind === 'once' ? isoToWallTime(instantIso(schedule.endsAt), user.timeZone) : '',
  );
  const [days, setDays] = useState<string[]>(schedule?.kind === 'weekly' ? schedule.days : ['sun']);
  const [start, setStart] = useState(schedule?.kind === 'weekly' ? schedule.start : '02:00');
  const [duration, setDuration] = useState<number>(
    schedule?.kind === 'weekly' ? schedule.durationMinutes : 120,
  );
  const [timeZone, setTimeZone] = useState(
    schedule?.kind === 'weekly' ? schedule.timeZone : browserTimeZone(),
  );

  const save = useMutation({
    mutationFn: (input: MaintenanceInput) =>
      existing ? maintenanceApi.update(existing.id, input) : maintenanceApi.create(input),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: maintenanceApi.query.queryKey });
      onSaved();
    },
  });
  const errors = formErrors(save.error, FIELDS);

  const once = {
    startsAt: wallTimeToIso(startsWall, user.timeZone),
    endsAt: wallTimeToIso(endsWall, user.timeZone),
  };
  const incomplete =
    kind === 'once'
      ? once.startsAt === undefined || once.endsAt === undefined
      : days.length === 0 || !/^\d{2}:\d{2}$/.test(start) || !(duration > 0);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (incomplete) return;
    const next: MaintenanceSchedule =
      kind === 'once'
        ? // The API takes a once-window's bounds in epoch milliseconds.
          { kind, startsAt: Date.parse(once.startsAt ?? ''), endsAt: Date.parse(once.endsAt ?? '') }
        : {
            kind,
            days: WEEKDAYS.filter((day) => days.includes(day)),
            start,
            durationMinutes: duration,
            timeZone,
          };
    save.mutate({
      name: name.trim(),
      serviceId: serviceId === ANY_SERVICE ? null : serviceId,
      matchers: rowsToMatchers(rows),
      schedule: next,
    });
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <FormAlert message={errors.form} />
        <TextInput
          label="Name"
          description="What the work is, e.g. “Database upgrade”."
          required
          maxLength={200}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={errors.fields['name']}
          data-autofocus
        />
        <Select
          label="Service"
          data={[
            { value: ANY_SERVICE, label: 'Any service (use matchers)' },
            ...(services.data ?? []).map((service) => ({ value: service.id, label: service.name })),
          ]}
          value={serviceId}
          onChange={(value) => setServiceId(value ?? ANY_SERVICE)}
          allowDeselect={false}
          searchable
          error={errors.fields['serviceId']}
        />
        <MatchersEditor
          label="Matchers"
          description="Optional: only alerts matching all of them are held."
          rows={rows}
          onChange={setRows}
          empty={
            serviceId === ANY_SERVICE
              ? 'None: add a service or a matcher.'
              : 'None: every alert of the service.'
          }
          error={matcherError(errors.fields, 'matchers')}
        />
        <div>
          <Input.Label id="maintenance-kind-label" display="block" mb={4}>
            When
          </Input.Label>
          <SegmentedControl
            aria-labelledby="maintenance-kind-label"
            data={[
              { value: 'once', label: 'Once' },
              { value: 'weekly', label: 'Every week' },
            ]}
            value={kind}
            onChange={(value) => setKind(value)}
          />
        </div>
        {kind === 'once' ? (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label="Starts"
              type="datetime-local"
              required
              value={startsWall}
              onChange={(event) => setStartsWall(event.currentTarget.value)}
              description={`In your time zone, ${user.timeZone}`}
              error={errors.fields['schedule/startsAt']}
            />
            <TextInput
              label="Ends"
              type="datetime-local"
              required
              value={endsWall}
              onChange={(event) => setEndsWall(event.currentTarget.value)}
              error={errors.fields['schedule/endsAt'] ?? errors.fields['schedule']}
            />
          </SimpleGrid>
        ) : (
          <Stack gap="sm">
            <div>
              <Input.Label id="maintenance-days-label" display="block" mb={4}>
                Days
              </Input.Label>
              <Chip.Group multiple value={days} onChange={setDays}>
                <Group gap={6} role="group" aria-labelledby="maintenance-days-label">
                  {WEEKDAYS.map((day: Weekday) => (
                    <Chip key={day} value={day} size="sm">
                      {WEEKDAY_LABELS[day]}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
            </div>
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <TextInput
                label="Starts at"
                type="time"
                required
                value={start}
                onChange={(event) => setStart(event.currentTarget.value)}
                error={errors.fields['schedule/start']}
              />
              <NumberInput
                label="Duration (minutes)"
                required
                min={1}
                max={7 * 24 * 60}
                value={duration}
                onChange={(value) => setDuration(typeof value === 'number' ? value : Number(value))}
                error={errors.fields['schedule/durationMinutes']}
              />
              <TimeZoneSelect
                label="Time zone"
                value={timeZone}
                onChange={setTimeZone}
                error={errors.fields['schedule/timeZone']}
              />
            </SimpleGrid>
            {(errors.fields['schedule/days'] ?? errors.fields['schedule']) !== undefined && (
              <Text size="xs" c="red" role="alert">
                {errors.fields['schedule/days'] ?? errors.fields['schedule']}
              </Text>
            )}
          </Stack>
        )}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button
            type="submit"
            loading={save.isPending}
            disabled={incomplete || (serviceId === ANY_SERVICE && rowsToMatchers(rows).length === 0)}
          >
            {existing ? 'Save window' : 'Create window'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function MaintenanceFormModal({
  opened,
  existing,
  onClose,
}: {
  opened: boolean;
  existing: MaintenanceWindow | undefined;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={existing ? `Edit ${existing.name}` : 'New maintenance window'}
      size="lg"
    >
      <MaintenanceForm {...(existing ? { existing } : {})} onSaved={onClose} onCancel={onClose} />
    </Modal>
  );
}
