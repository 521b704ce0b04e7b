import { Temporal } from 'temporal-polyfill';
import { HOUR, type EpochMs } from '../../platform/clock.ts';
import type { Interval, Layer, Restriction, Rotation, Segment, Weekday } from './model.ts';
import { intersect, mergeAdjacent, unionIntervals } from './segments.ts';

/**
 * Rotations and restrictions turned into instants. The rules (docs/operations/schedules.md):
 *
 * - Hand-offs in days and weeks follow local wall time: a daily 09:00 hand-off in Europe/Berlin is at 09:00
 *   before and after a DST change, so the shift across the change lasts 23 or 25 hours.
 * - Hand-offs in hours are elapsed time from the first hand-off: a 24-hour rotation starting 09:00 in winter
 *   hands off at 10:00 local after the spring change (and keeps 24 real hours per shift).
 * - A local time that does not exist (the spring-forward gap) moves forward by the gap's length (02:30 → 03:30),
 *   and one that exists twice (fall back) is the first of the two: Temporal's `compatible` disambiguation.
 */

const ms = (n: number): EpochMs => n as EpochMs;
const ISO_WEEKDAY: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A local date and time in a zone, as an instant (compatible disambiguation). */
function epochOf(local: Temporal.PlainDateTime, timeZone: string): EpochMs {
  return ms(local.toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds);
}

function localDate(at: number, timeZone: string): Temporal.PlainDate {
  return Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(timeZone).toPlainDate();
}

/** Shift boundaries of a rotation: shift `i` runs from `startOf(i)` to `startOf(i + 1)`; shift 0 is the first. */
export interface RotationClock {
  /** The first hand-off; nobody is on call in this rotation before it. */
  readonly anchor: EpochMs;
  startOf(index: number): EpochMs;
  /** The shift holding `at`, for `at >= anchor`. */
  indexAt(at: number): number;
}

export function rotationClock(r: Rotation): RotationClock {
  const first = Temporal.PlainDate.from(r.startDate).toPlainDateTime(Temporal.PlainTime.from(r.handoffTime));
  const anchor = epochOf(first, r.timeZone);
  const { unit, count } = r.shiftLength;
  if (unit === 'hours') {
    const length = count * HOUR;
    return {
      anchor,
      startOf: (i) => ms(anchor + i * length),
      indexAt: (at) => Math.floor((at - anchor) / length),
    };
  }
  const days = unit === 'weeks' ? count * 7 : count;
  const startOf = (i: number) => epochOf(first.add({ days: i * days }), r.timeZone);
  return {
    anchor,
    startOf,
    indexAt(at) {
      // The local date gives the index up to one (a DST shift or the hand-off time later that day); the
      // instants settle it. Starts strictly increase: one local day is at least 23 hours.
      const elapsed = first.toPlainDate().until(localDate(at, r.timeZone), { largestUnit: 'days' }).days;
      let i = Math.floor(elapsed / days);
      while (i > 0 && startOf(i) > at) i--;
      while (startOf(i + 1) <= at) i++;
      return i;
    },
  };
}

/** The rotation's shifts in `[from, to)`, cut at the edges, ignoring restrictions. */
export function rotationShifts(
  rotation: Rotation,
  participants: readonly string[],
  from: EpochMs,
  to: EpochMs,
): Segment[] {
  const n = participants.length;
  if (n === 0) return [];
  const clock = rotationClock(rotation);
  const lower = Math.max(from, clock.anchor);
  const out: Segment[] = [];
  if (lower >= to) return out;
  let i = clock.indexAt(lower);
  let start = clock.startOf(i);
  for (;;) {
    const end = clock.startOf(i + 1);
    out.push({ userId: participants[i % n]!, start: ms(Math.max(start, from)), end: ms(Math.min(end, to)) });
    if (end >= to) return out;
    start = end;
    i++;
  }
}

/**
 * The windows of `[from, to)` in which the restrictions allow someone on call, as a union. A window that began the
 * day before `from` (22:00–06:00) counts for its part inside the range.
 */
export function restrictionWindows(
  restrictions: readonly Restriction[],
  timeZone: string,
  from: EpochMs,
  to: EpochMs,
): Interval[] {
  const windows: Interval[] = [];
  if (to <= from) return windows;
  const parsed = restrictions.map((r) => ({
    days: r.days && r.days.length > 0 ? new Set(r.days) : null,
    from: Temporal.PlainTime.from(r.from),
    to: Temporal.PlainTime.from(r.to),
    wraps: r.to <= r.from,
  }));
  const last = localDate(to, timeZone);
  for (
    let date = localDate(from, timeZone).subtract({ days: 1 });
    Temporal.PlainDate.compare(date, last) <= 0;
  ) {
    const weekday = ISO_WEEKDAY[date.dayOfWeek - 1]!;
    const next = date.add({ days: 1 });
    for (const r of parsed) {
      if (r.days && !r.days.has(weekday)) continue;
      const start = epochOf(date.toPlainDateTime(r.from), timeZone);
      const end = epochOf((r.wraps ? next : date).toPlainDateTime(r.to), timeZone);
      // A window inside the spring-forward gap (02:00–03:00) is empty: that hour does not exist that day.
      if (end > start && end > from && start < to)
        windows.push({ start: ms(Math.max(start, from)), end: ms(Math.min(end, to)) });
    }
    date = next;
  }
  return unionIntervals(windows);
}

/** Who this layer puts on call in `[from, to)`: its rotation's shifts inside its restriction windows. */
export function layerSegments(layer: Layer, from: EpochMs, to: EpochMs): Segment[] {
  const shifts = rotationShifts(layer.rotation, layer.participants, from, to);
  if (layer.restrictions.length === 0) return mergeAdjacent(shifts);
  const windows = restrictionWindows(layer.restrictions, layer.rotation.timeZone, from, to);
  return mergeAdjacent(intersect(shifts, windows));
}
