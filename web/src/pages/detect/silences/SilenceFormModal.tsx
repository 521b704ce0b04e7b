import {
  Button,
  Input,
  Checkbox,
  Code,
  Group,
  Modal,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { saveSilence, type Labels, type Matcher, type Silence } from '../../../api/alerting.ts';
import { useCurrentUser } from '../../../app/session.ts';
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
import { formatDateTime } from '../../../lib/format.ts';
import { useNow } from '../../../lib/useNow.ts';
import { isoToWallTime, wallTimeToIso } from '../../../lib/zonedTime.ts';
import { DURATIONS, durationMs, type DurationChoice } from './silenceTimes.ts';

/** What the form starts from: nothing, a silence to change, or the labels of an alert to silence. */
export type SilenceDraft =
  { kind: 'new' } | { kind: 'edit'; silence: Silence } | { kind: 'alert'; labels: Labels };

const FIELDS = [...matcherFields('matchers'), 'startsAt', 'endsAt', 'createdBy', 'comment'];

/** The alert's labels, each a tick box (all ticked): the silence matches exactly these values. */
function LabelChoices({
  labels,
  chosen,
  onChange,
  error,
}: {
  labels: Labels;
  chosen: string[];
  onChange: (chosen: string[]) => void;
  error: string | undefined;
}) {
  const names = Object.keys(labels).sort();
  return (
    <Checkbox.Group
      label="Match these labels"
      description="The silence mutes alerts with all the ticked labels; untick the ones that vary."
      value={chosen}
      onChange={onChange}
      error={error ?? (chosen.length === 0 ? 'Tick at least one label.' : undefined)}
    >
      <Stack gap={6} mt="xs">
        {names.map((name) => (
          <Checkbox
            key={name}
            value={name}
            label={
              <Code style={{ overflowWrap: 'anywhere' }}>
                {name}={JSON.stringify(labels[name])}
              </Code>
            }
          />
        ))}
      </Stack>
    </Checkbox.Group>
  );
}

function SilenceForm({
  draft,
  onSaved,
  onCancel,
}: {
  draft: SilenceDraft;
  onSaved: (id: string) => void;
  onCancel: () => void;
}) {
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const now = useNow(30_000);
  const editing = draft.kind === 'edit' ? draft.silence : undefined;
  const [rows, setRows] = useState<MatcherRow[]>(() =>
    editing ? matcherRows(editing.matchers) : [emptyMatcherRow()],
  );
  const [chosen, setChosen] = useState<string[]>(() =>
    draft.kind === 'alert' ? Object.keys(draft.labels).sort() : [],
  );
  const [duration, setDuration] = useState<DurationChoice>(editing ? 'custom' : '1h');
  const [startsWall, setStartsWall] = useState(() =>
    editing && editing.status.state === 'pending' ? isoToWallTime(editing.startsAt, user.timeZone) : '',
  );
  const [endsWall, setEndsWall] = useState(() =>
    editing ? isoToWallTime(editing.endsAt, user.timeZone) : '',
  );
  const [comment, setComment] = useState(editing?.comment ?? '');

  const save = useMutation({
    mutationFn: saveSilence,
    onSuccess: async (id) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['silences'] }),
        queryClient.invalidateQueries({ queryKey: ['alerts'] }),
      ]);
      onSaved(id);
    },
  });
  const errors = formErrors(save.error, FIELDS);

  const matchers: Matcher[] =
    draft.kind === 'alert'
      ? chosen.map((name) => ({ name, value: draft.labels[name] ?? '', isRegex: false, isEqual: true }))
      : rowsToMatchers(rows);

  const times = (): { startsAt: string; endsAt: string } | undefined => {
    const at = Date.now();
    if (duration !== 'custom') {
      return {
        startsAt: new Date(at).toISOString(),
        endsAt: new Date(at + durationMs(duration)).toISOString(),
      };
    }
    const endsAt = wallTimeToIso(endsWall, user.timeZone);
    if (endsAt === undefined) return undefined;
    const startsAt = wallTimeToIso(startsWall, user.timeZone) ?? new Date(at).toISOString();
    return { startsAt, endsAt };
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const when = times();
    if (when === undefined || matchers.length === 0) return;
    save.mutate({
      ...(editing ? { id: editing.id } : {}),
      matchers,
      ...when,
      createdBy: user.email,
      comment: comment.trim(),
    });
  };

  const customEndMissing = duration === 'custom' && wallTimeToIso(endsWall, user.timeZone) === undefined;
  const presetEnd = duration === 'custom' ? undefined : new Date(now + durationMs(duration)).toISOString();

  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <FormAlert message={errors.form} />
        {draft.kind === 'alert' ? (
          <LabelChoices
            labels={draft.labels}
            chosen={chosen}
            onChange={setChosen}
            error={matcherError(errors.fields, 'matchers')}
          />
        ) : (
          <MatchersEditor
            label="Matchers"
            description="The silence mutes alerts that match all of them."
            rows={rows}
            onChange={setRows}
            error={matcherError(errors.fields, 'matchers')}
          />
        )}
        <div>
          <Input.Label id="silence-duration-label" display="block" mb={4}>
            Duration
          </Input.Label>
          <SegmentedControl
            aria-labelledby="silence-duration-label"
            data={DURATIONS.map(({ value, label }) => ({ value, label }))}
            value={duration}
            onChange={(value) => {
              // Custom starts from the preset it replaces, so the end is not blank.
              if (value === 'custom' && endsWall === '' && duration !== 'custom')
                setEndsWall(
                  isoToWallTime(new Date(Date.now() + durationMs(duration)).toISOString(), user.timeZone),
                );
              setDuration(value);
            }}
            fullWidth
          />
          {presetEnd !== undefined && (
            <Text size="xs" c="dimmed" mt={4}>
              From now until about {formatDateTime(presetEnd, user.timeZone)}.
            </Text>
          )}
        </div>
        {duration === 'custom' && (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput
              label="Starts"
              type="datetime-local"
              value={startsWall}
              onChange={(event) => setStartsWall(event.currentTarget.value)}
              description="Empty: now"
              error={errors.fields['startsAt']}
            />
            <TextInput
              label="Ends"
              type="datetime-local"
              required
              value={endsWall}
              onChange={(event) => setEndsWall(event.currentTarget.value)}
              description={`In your time zone, ${user.timeZone}`}
              error={errors.fields['endsAt']}
            />
          </SimpleGrid>
        )}
        {duration !== 'custom' && errors.fields['endsAt'] && (
          <Text size="xs" c="red" role="alert">
            {errors.fields['endsAt']}
          </Text>
        )}
        <Textarea
          label="Comment"
          description="Why, and a link to the ticket or the change, for whoever sees the silence next."
          autosize
          minRows={2}
          maxRows={6}
          maxLength={4096}
          value={comment}
          onChange={(event) => setComment(event.currentTarget.value)}
          error={errors.fields['comment']}
        />
        <TextInput label="Created by" value={user.email} readOnly variant="filled" />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={matchers.length === 0 || customEndMissing}>
            {editing ? 'Save silence' : 'Create silence'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Creates a silence, changes one, or silences an alert (its labels pre-filled as equality matchers). */
export function SilenceFormModal({
  opened,
  draft,
  onClose,
  onSaved,
}: {
  opened: boolean;
  draft: SilenceDraft;
  onClose: () => void;
  onSaved: (id: string) => void;
}) {
  const title =
    draft.kind === 'edit' ? 'Edit silence' : draft.kind === 'alert' ? 'Silence this alert' : 'New silence';
  return (
    <Modal opened={opened} onClose={onClose} title={title} size="lg">
      <SilenceForm draft={draft} onSaved={onSaved} onCancel={onClose} />
    </Modal>
  );
}
