import { Badge, Button, Card, Group, Modal, Stack, Text, Title } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import type { Layer, LayerInput, Schedule } from '../../../api/response.ts';
import { IconAction } from '../../../components/IconAction.tsx';
import {
  describeRestriction,
  describeShift,
  layersOf,
  move,
} from '../../../components/response/layerDraft.ts';
import { formatDate } from '../../../components/response/zoneFormat.ts';
import { Section } from '../../../components/Section.tsx';
import { LayerEditorModal } from './LayerEditorModal.tsx';
import { PreviewAndSave } from './PreviewAndSave.tsx';

function LayerCard({
  layer,
  index,
  count,
  names,
  manageable,
  onEdit,
  onMove,
  onDelete,
}: {
  layer: Layer;
  index: number;
  count: number;
  names: ReadonlyMap<string, string>;
  manageable: boolean;
  onEdit: () => void;
  onMove: (by: -1 | 1) => void;
  onDelete: () => void;
}) {
  const r = layer.rotation;
  return (
    <Card withBorder padding="sm" component="li" data-layer-id={layer.id}>
      <Group justify="space-between" align="flex-start" gap="xs">
        <div style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Title order={3} size="h5">
              {layer.name}
            </Title>
            <Badge size="sm" variant="default" tt="none">
              Layer {index + 1}
            </Badge>
          </Group>
          <Text size="sm">
            {describeShift(r.shiftLength.unit, r.shiftLength.count)}, hand-off at {r.handoffTime} {r.timeZone}
            , from {formatDate(r.startDate)}
          </Text>
          <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {layer.participants.map((id) => names.get(id) ?? id).join(' → ')}
          </Text>
          <Text size="xs" c="dimmed">
            {layer.restrictions.length === 0
              ? 'Around the clock'
              : `Only ${layer.restrictions.map(describeRestriction).join('; ')}`}
          </Text>
        </div>
        {manageable && (
          <Group gap={2} wrap="nowrap">
            <IconAction label="Edit" ariaLabel={`Edit ${layer.name}`} icon={IconPencil} onClick={onEdit} />
            <IconAction
              label="Move up (below the layers after it)"
              ariaLabel={`Move ${layer.name} up`}
              icon={IconArrowUp}
              disabled={index === 0}
              onClick={() => onMove(-1)}
            />
            <IconAction
              label="Move down (wins over the layers before it)"
              ariaLabel={`Move ${layer.name} down`}
              icon={IconArrowDown}
              disabled={index === count - 1}
              onClick={() => onMove(1)}
            />
            <IconAction
              label="Delete"
              ariaLabel={`Delete ${layer.name}`}
              icon={IconTrash}
              color="red"
              onClick={onDelete}
            />
          </Group>
        )}
      </Group>
    </Card>
  );
}

/** The layers, lowest first: edited one at a time, every change previewed before it is saved. */
export function LayersSection({
  schedule,
  names,
  manageable,
}: {
  schedule: Schedule;
  names: ReadonlyMap<string, string>;
  manageable: boolean;
}) {
  const [editing, setEditing] = useState<{ index: number | undefined } | undefined>();
  const [change, setChange] = useState<{ title: string; layers: LayerInput[] } | undefined>();
  const layers = schedule.layers;
  return (
    <Section
      id="schedule-layers"
      title="Layers"
      description="Rotations, lowest first: where a later layer has someone on call, it wins."
      actions={
        manageable && (
          <Button
            variant="default"
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => setEditing({ index: undefined })}
          >
            Add layer
          </Button>
        )
      }
    >
      {layers.length === 0 ? (
        <Text size="sm" c="dimmed">
          No layers: nobody is on call. Add a layer with a rotation of people.
        </Text>
      ) : (
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {layers.map((layer, index) => (
            <LayerCard
              key={layer.id}
              layer={layer}
              index={index}
              count={layers.length}
              names={names}
              manageable={manageable}
              onEdit={() => setEditing({ index })}
              onMove={(by) =>
                setChange({ title: `Move ${layer.name}`, layers: move(layersOf(layers), index, by) })
              }
              onDelete={() =>
                setChange({
                  title: `Delete ${layer.name}?`,
                  layers: layersOf(layers).filter((_, i) => i !== index),
                })
              }
            />
          ))}
        </Stack>
      )}
      <LayerEditorModal
        opened={editing !== undefined}
        schedule={schedule}
        index={editing?.index}
        onClose={() => setEditing(undefined)}
      />
      <Modal
        opened={change !== undefined}
        onClose={() => setChange(undefined)}
        title={change?.title}
        size="lg"
      >
        {change && (
          <PreviewAndSave
            schedule={schedule}
            layers={change.layers}
            names={names}
            saveLabel="Save"
            onBack={() => setChange(undefined)}
            onSaved={() => setChange(undefined)}
          />
        )}
      </Modal>
    </Section>
  );
}
