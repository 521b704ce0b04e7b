import { Button, Group, Skeleton, Stack } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { previewSchedule, updateSchedule, type LayerInput, type Schedule } from '../../../api/response.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { FormAlert } from '../../../components/FormAlert.tsx';
import { SchedulePreviewResult } from '../../../components/response/SchedulePreviewResult.tsx';
import { describeError } from '../../../lib/errors.ts';

/**
 * The preview of a change to a schedule's layers, computed by the server without saving, then the save itself
 * (refused if someone else changed the schedule in between).
 */
export function PreviewAndSave({
  schedule,
  layers,
  names,
  saveLabel,
  onBack,
  onSaved,
}: {
  schedule: Schedule;
  layers: LayerInput[];
  names: ReadonlyMap<string, string>;
  saveLabel: string;
  onBack: () => void;
  onSaved: () => void;
}) {
  const queryClient = useQueryClient();
  const change = { layers, version: schedule.version };
  const preview = useQuery({
    queryKey: ['schedules', 'preview', schedule.id, change],
    queryFn: () => previewSchedule(schedule.id, change),
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
  const save = useMutation({
    mutationFn: () => updateSchedule(schedule.id, change),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['schedules', 'one', saved.id], saved);
      await queryClient.invalidateQueries({ queryKey: ['schedules'] });
      onSaved();
    },
  });
  return (
    <Stack gap="md">
      {preview.isPending ? (
        <Skeleton height={160} />
      ) : preview.isError ? (
        <ErrorAlert title="This change cannot be saved as it is" error={preview.error} />
      ) : (
        <SchedulePreviewResult preview={preview.data} timeZone={schedule.timeZone} names={names} />
      )}
      <FormAlert message={save.isError ? describeError(save.error) : undefined} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Button loading={save.isPending} disabled={!preview.isSuccess} onClick={() => save.mutate()}>
          {saveLabel}
        </Button>
      </Group>
    </Stack>
  );
}
