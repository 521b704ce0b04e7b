import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { Schedule } from '../../../api/response.ts';
import { LayerFields } from '../../../components/response/LayerFields.tsx';
import {
  draftOf,
  draftProblem,
  layerOf,
  layersOf,
  newLayerDraft,
  type LayerDraft,
} from '../../../components/response/layerDraft.ts';
import { dateIn } from '../../../components/response/scheduleLayout.ts';
import { usePeople } from '../../../components/response/usePeople.ts';
import { PreviewAndSave } from './PreviewAndSave.tsx';

function LayerEditor({
  schedule,
  index,
  onClose,
}: {
  schedule: Schedule;
  /** The layer edited; undefined adds one on top. */
  index: number | undefined;
  onClose: () => void;
}) {
  const people = usePeople();
  const existing = index === undefined ? undefined : schedule.layers[index];
  const [draft, setDraft] = useState<LayerDraft>(() =>
    existing
      ? draftOf(existing)
      : newLayerDraft(schedule.layers.length + 1, schedule.timeZone, dateIn(Date.now(), schedule.timeZone)),
  );
  const [previewing, setPreviewing] = useState(false);
  const problem = draftProblem(draft);
  const layers = layersOf(schedule.layers);
  if (index === undefined) layers.push(layerOf(draft));
  else layers[index] = layerOf(draft);

  if (previewing)
    return (
      <PreviewAndSave
        schedule={schedule}
        layers={layers}
        names={people.names}
        saveLabel="Save layer"
        onBack={() => setPreviewing(false)}
        onSaved={onClose}
      />
    );
  return (
    <Stack gap="md">
      <LayerFields draft={draft} people={people.forTeam(schedule.teamId)} onChange={setDraft} />
      {problem && (
        <Text size="sm" c="dimmed">
          {problem}
        </Text>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button disabled={problem !== undefined} onClick={() => setPreviewing(true)}>
          Preview changes
        </Button>
      </Group>
    </Stack>
  );
}

/** Adds or changes one layer, showing what the change does before it is saved. */
export function LayerEditorModal({
  opened,
  schedule,
  index,
  onClose,
}: {
  opened: boolean;
  schedule: Schedule;
  index: number | undefined;
  onClose: () => void;
}) {
  const layer = index === undefined ? undefined : schedule.layers[index];
  return (
    <Modal opened={opened} onClose={onClose} title={layer ? `Edit ${layer.name}` : 'Add a layer'} size="lg">
      {opened && <LayerEditor schedule={schedule} index={index} onClose={onClose} />}
    </Modal>
  );
}
