import { Box, Group, ScrollArea, Stack, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Interval, Override, Segment, Shifts } from '../../api/response.ts';
import { useNow } from '../../lib/useNow.ts';
import { usePhone } from '../alerting/usePhone.ts';
import {
  barLabel,
  NAME_MIN_PX,
  colorOf,
  dayTicks,
  placeBars,
  type PlacedBar,
  type Range,
  type Span,
} from './scheduleLayout.ts';
import { formatDay, formatSpan } from './zoneFormat.ts';

const ROW_HEIGHT = 30;
/** Room per day, so names stay readable: wider days for shorter ranges. */
const dayWidth = (days: number) => (days <= 7 ? 90 : days <= 14 ? 50 : 30);

function Grid({ range, timeZone }: { range: Range; timeZone: string }) {
  return (
    <>
      {dayTicks(range, timeZone).map((tick) => (
        <Box
          key={tick.date}
          aria-hidden
          pos="absolute"
          top={0}
          bottom={0}
          left={`${tick.left}%`}
          style={{
            borderLeft: `1px ${tick.weekStart ? 'solid' : 'dashed'} var(--mantine-color-default-border)`,
          }}
        />
      ))}
    </>
  );
}

function NowLine({ range }: { range: Range }) {
  const now = useNow(60_000);
  const a = Date.parse(range.from);
  const b = Date.parse(range.to);
  if (now < a || now >= b) return null;
  return (
    <Box
      aria-hidden
      pos="absolute"
      top={0}
      bottom={0}
      left={`${((now - a) / (b - a)) * 100}%`}
      style={{ borderLeft: '2px solid var(--mantine-color-red-6)', zIndex: 2 }}
    />
  );
}

function Bar<T extends Span>({
  bar,
  label,
  description,
  color,
  striped = false,
}: {
  bar: PlacedBar<T>;
  label: string;
  description: string;
  color: string;
  striped?: boolean;
}) {
  const background = striped
    ? `repeating-linear-gradient(45deg, var(--mantine-color-${color}-light), var(--mantine-color-${color}-light) 6px, transparent 6px, transparent 12px)`
    : `var(--mantine-color-${color}-light)`;
  return (
    <Tooltip label={description} withinPortal multiline maw={320}>
      <Box
        role="listitem"
        aria-label={description}
        tabIndex={0}
        pos="absolute"
        top={3}
        h={ROW_HEIGHT - 6}
        left={`${bar.left}%`}
        w={`${bar.width}%`}
        px={4}
        style={{
          background,
          borderLeft: bar.clippedStart ? undefined : `3px solid var(--mantine-color-${color}-filled)`,
          borderRadius: 4,
          overflow: 'hidden',
          whiteSpace: 'nowrap',
          textOverflow: 'ellipsis',
          fontSize: 'var(--mantine-font-size-xs)',
          lineHeight: `${ROW_HEIGHT - 6}px`,
          color: `var(--mantine-color-${color}-light-color)`,
          zIndex: 1,
        }}
      >
        {label}
      </Box>
    </Tooltip>
  );
}

function Row({
  label,
  hint,
  labelWidth,
  children,
}: {
  label: string;
  hint?: string;
  labelWidth: number;
  children: ReactNode;
}) {
  const track = (
    <Box
      pos="relative"
      h={ROW_HEIGHT}
      my="auto"
      style={{ flex: 1, background: 'var(--mantine-color-default-hover)', borderRadius: 4 }}
      role="list"
      aria-label={label}
    >
      {children}
    </Box>
  );
  // A narrow label (a phone's) wraps to two lines rather than cutting a layer's name to "Weekly ro…".
  const narrow = labelWidth < 120;
  return (
    <Group gap={0} wrap="nowrap" align="stretch">
      <Box w={labelWidth} miw={labelWidth} pr="xs" py={4}>
        <Text
          size={narrow ? 'xs' : 'sm'}
          fw={500}
          title={label}
          {...(narrow ? { lineClamp: 2, style: { overflowWrap: 'anywhere' } } : { truncate: 'end' })}
        >
          {label}
        </Text>
        {hint !== undefined && (
          <Text size="xs" c="dimmed" {...(narrow ? {} : { truncate: 'end' })}>
            {hint}
          </Text>
        )}
      </Box>
      {track}
    </Group>
  );
}

/** Who each colour is: short shifts (a weekday's daytime over two weeks) are too narrow for a name. */
function Legend({ people }: { people: readonly { id: string; name: string; color: string }[] }) {
  if (people.length === 0) return null;
  return (
    <Group gap="md" mt={4} component="ul" aria-label="Colours" style={{ listStyle: 'none', padding: 0 }}>
      {people.map((p) => (
        <Group key={p.id} gap={6} wrap="nowrap" component="li">
          <Box
            aria-hidden
            w={12}
            h={12}
            style={{
              background: `var(--mantine-color-${p.color}-light)`,
              borderLeft: `3px solid var(--mantine-color-${p.color}-filled)`,
              borderRadius: 2,
            }}
          />
          <Text size="xs">{p.name}</Text>
        </Group>
      ))}
    </Group>
  );
}

/**
 * A schedule over a range, one row per layer (lowest first), its overrides, and the final schedule with its
 * gaps, every time on the schedule's wall clock with the zone named.
 */
export function ScheduleTimeline({
  shifts,
  range,
  names,
}: {
  shifts: Shifts;
  range: Range;
  names: ReadonlyMap<string, string>;
}) {
  const phone = usePhone();
  const zone = shifts.timeZone;
  const nameOf = (id: string) => shifts.users.find((user) => user.id === id)?.name ?? names.get(id) ?? id;
  // Colours in a stable order: by first appearance in the final schedule, then in the layers.
  const order = [
    ...new Set([
      ...shifts.final.map((s) => s.userId),
      ...shifts.layers.flatMap((l) => l.segments.map((s) => s.userId)),
      ...shifts.overrides.map((o) => o.userId),
    ]),
  ];
  // The track is at least this wide (it scrolls otherwise), so a bar is at least its share of it.
  const trackPx = range.days * dayWidth(range.days);
  const widthPx = (bar: PlacedBar<Span>) => (bar.width / 100) * trackPx;
  const segmentBar = (bar: PlacedBar<Segment>) => (
    <Bar
      key={`${bar.item.userId}-${bar.item.start}`}
      bar={bar}
      label={barLabel(nameOf(bar.item.userId), widthPx(bar))}
      description={`${nameOf(bar.item.userId)}: ${formatSpan(bar.item.start, bar.item.end, zone)}`}
      color={colorOf(bar.item.userId, order)}
    />
  );
  const overrideBar = (bar: PlacedBar<Override>) => {
    const who = nameOf(bar.item.userId);
    const replaces = bar.item.replacesUserId ? ` instead of ${nameOf(bar.item.replacesUserId)}` : '';
    return (
      <Bar
        key={bar.item.id}
        bar={bar}
        label={barLabel(who, widthPx(bar))}
        description={`Override: ${who}${replaces}, ${formatSpan(bar.item.start, bar.item.end, zone)}`}
        color={colorOf(bar.item.userId, order)}
        striped
      />
    );
  };
  const gapBar = (bar: PlacedBar<Interval>) => (
    <Bar
      key={`gap-${bar.item.start}`}
      bar={bar}
      label={widthPx(bar) >= NAME_MIN_PX ? 'Nobody' : ''}
      description={`Gap: nobody on call, ${formatSpan(bar.item.start, bar.item.end, zone)}`}
      color="red"
      striped
    />
  );
  const ticks = dayTicks(range, zone);
  const labelWidth = phone ? 88 : 150;
  const minWidth = labelWidth + range.days * dayWidth(range.days);

  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed" data-testid="timeline-zone">
        Times in {zone}
      </Text>
      <ScrollArea type="auto" offsetScrollbars="x">
        <Stack gap={6} miw={minWidth} pb={4}>
          <Group gap={0} wrap="nowrap" aria-hidden>
            <Box w={labelWidth} miw={labelWidth} />
            <Box pos="relative" h={18} style={{ flex: 1 }}>
              {ticks.map((tick) => (
                <Text
                  key={tick.date}
                  size="xs"
                  {...(tick.weekStart ? {} : { c: 'dimmed' })}
                  fw={tick.weekStart ? 600 : 400}
                  pos="absolute"
                  left={`${tick.left}%`}
                  pl={2}
                  style={{ whiteSpace: 'nowrap' }}
                >
                  {formatDay(tick.date, range.days <= 14)}
                </Text>
              ))}
            </Box>
          </Group>
          {shifts.layers.map((layer, index) => (
            <Row key={layer.id} label={layer.name} hint={`Layer ${index + 1}`} labelWidth={labelWidth}>
              <Grid range={range} timeZone={zone} />
              {placeBars(layer.segments, range.from, range.to).map(segmentBar)}
            </Row>
          ))}
          <Row label="Overrides" labelWidth={labelWidth}>
            <Grid range={range} timeZone={zone} />
            {placeBars(shifts.overrides, range.from, range.to).map(overrideBar)}
          </Row>
          <Row label="Final schedule" hint="Who is paged" labelWidth={labelWidth}>
            <Grid range={range} timeZone={zone} />
            <NowLine range={range} />
            {placeBars(shifts.final, range.from, range.to).map(segmentBar)}
            {placeBars(shifts.gaps, range.from, range.to).map(gapBar)}
          </Row>
        </Stack>
      </ScrollArea>
      <Legend people={order.map((id) => ({ id, name: nameOf(id), color: colorOf(id, order) }))} />
    </Stack>
  );
}
