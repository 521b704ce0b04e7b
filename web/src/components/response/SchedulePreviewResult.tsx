import { Alert, List, Stack, Table, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconClockHour4 } from '@tabler/icons-react';
import type { Interval, SchedulePreview } from '../../api/response.ts';
import { formatHours, formatHoursDelta } from './scheduleLayout.ts';
import { formatInZone, formatSpan } from './zoneFormat.ts';

/** Shown before "…and N more": a daily gap over 90 days would otherwise fill the dialog with 90 lines. */
const GAPS_SHOWN = 5;

/** The first few gaps, then how many more and how long they are together. */
function GapList({ gaps, timeZone }: { gaps: readonly Interval[]; timeZone: string }) {
  const hidden = gaps.slice(GAPS_SHOWN);
  const hiddenHours = hidden.reduce(
    (sum, g) => sum + (Date.parse(g.end) - Date.parse(g.start)) / 3_600_000,
    0,
  );
  return (
    <List size="sm">
      {gaps.slice(0, GAPS_SHOWN).map((gap) => (
        <List.Item key={gap.start}>{formatSpan(gap.start, gap.end, timeZone)}</List.Item>
      ))}
      {hidden.length > 0 && (
        <List.Item>
          …and {hidden.length} more ({formatHours(hiddenHours)} in all)
        </List.Item>
      )}
    </List>
  );
}

/**
 * What a change would do over the next 90 days: hours gained or lost by each person whose hours change (the
 * server leaves the others out), gaps opened and closed, DST transitions.
 */
export function SchedulePreviewResult({
  preview,
  timeZone,
  names,
}: {
  preview: SchedulePreview;
  timeZone: string;
  names: ReadonlyMap<string, string>;
}) {
  const nameOf = (id: string) => preview.users.find((u) => u.id === id)?.name ?? names.get(id) ?? id;
  return (
    <Stack gap="md" data-testid="schedule-preview">
      <Text size="sm" c="dimmed">
        Compared with the schedule as saved, from {formatInZone(preview.from, timeZone)} to{' '}
        {formatInZone(preview.to, timeZone)} ({timeZone}).
      </Text>
      {preview.hoursByUser.length === 0 ? (
        <Text size="sm">Nobody’s hours on call change.</Text>
      ) : (
        <Table.ScrollContainer minWidth={360} type="native">
          <Table aria-label="Hours on call per person" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Person</Table.Th>
                <Table.Th ta="right">Before</Table.Th>
                <Table.Th ta="right">After</Table.Th>
                <Table.Th ta="right">Change</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {preview.hoursByUser.map((h) => (
                <Table.Tr key={h.userId}>
                  <Table.Td>{nameOf(h.userId)}</Table.Td>
                  <Table.Td ta="right">{formatHours(h.beforeHours)}</Table.Td>
                  <Table.Td ta="right">{formatHours(h.afterHours)}</Table.Td>
                  <Table.Td
                    ta="right"
                    fw={600}
                    c={h.deltaHours > 0.05 ? 'teal' : h.deltaHours < -0.05 ? 'red' : 'dimmed'}
                  >
                    {formatHoursDelta(h.deltaHours)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {preview.gapsAdded.length > 0 ? (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlertTriangle aria-hidden />}
          title="New gaps: nobody on call"
        >
          <GapList gaps={preview.gapsAdded} timeZone={timeZone} />
        </Alert>
      ) : (
        <Text size="sm" c="teal">
          <IconCircleCheck size={14} aria-hidden style={{ verticalAlign: 'middle' }} /> No new gaps.
        </Text>
      )}
      {preview.gapsRemoved.length > 0 && (
        <Alert color="teal" variant="light" title="Gaps this change closes">
          <GapList gaps={preview.gapsRemoved} timeZone={timeZone} />
        </Alert>
      )}
      {preview.dstTransitions.length > 0 && (
        <Alert
          color="blue"
          variant="light"
          icon={<IconClockHour4 aria-hidden />}
          title="Clock changes in this period"
        >
          <List size="sm">
            {preview.dstTransitions.map((t) => (
              <List.Item key={`${t.timeZone}-${t.at}`}>
                {formatInZone(t.at, t.timeZone)} {t.timeZone}: UTC{t.offsetBefore} → UTC{t.offsetAfter}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  );
}
