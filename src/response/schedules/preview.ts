import { Temporal } from 'temporal-polyfill';
import { HOUR, type EpochMs } from '../../platform/clock.ts';
import { finalSchedule } from './engine.ts';
import type { Interval, ScheduleSpec } from './model.ts';
import { complement, subtract } from './segments.ts';

/**
 * What an edit would change, computed before it is saved: each person's on-call hours before and after, the
 * gaps the edit opens or closes, and the DST transitions in the range (where hand-offs move relative to UTC).
 */

export interface HoursChange {
  readonly userId: string;
  readonly beforeHours: number;
  readonly afterHours: number;
  readonly deltaHours: number;
}

export interface DstTransition {
  readonly at: EpochMs;
  readonly timeZone: string;
  /** UTC offsets just before and from `at`, e.g. `+01:00` → `+02:00`. */
  readonly offsetBefore: string;
  readonly offsetAfter: string;
}

export interface SchedulePreview {
  readonly from: EpochMs;
  readonly to: EpochMs;
  /** People whose hours differ, largest change first; people with no change are left out. */
  readonly hoursByUser: HoursChange[];
  /** Uncovered time the edit would open. */
  readonly gapsAdded: Interval[];
  /** Uncovered time the edit would close. */
  readonly gapsRemoved: Interval[];
  readonly dstTransitions: DstTransition[];
}

/** Hours with two decimals (36 s): enough to see a DST hour or a half-hour Lord Howe shift. */
const hours = (ms: number): number => Math.round(ms / (HOUR / 100)) / 100;

function hoursPerUser(spec: ScheduleSpec, from: EpochMs, to: EpochMs): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of finalSchedule(spec, from, to))
    out.set(s.userId, (out.get(s.userId) ?? 0) + s.end - s.start);
  return out;
}

export function previewScheduleChange(
  before: ScheduleSpec,
  after: ScheduleSpec,
  from: EpochMs,
  to: EpochMs,
  timeZones: readonly string[],
): SchedulePreview {
  const beforeMs = hoursPerUser(before, from, to);
  const afterMs = hoursPerUser(after, from, to);
  const hoursByUser: HoursChange[] = [];
  for (const userId of new Set([...beforeMs.keys(), ...afterMs.keys()])) {
    const b = beforeMs.get(userId) ?? 0;
    const a = afterMs.get(userId) ?? 0;
    if (a === b) continue;
    hoursByUser.push({ userId, beforeHours: hours(b), afterHours: hours(a), deltaHours: hours(a - b) });
  }
  hoursByUser.sort(
    (x, y) => Math.abs(y.deltaHours) - Math.abs(x.deltaHours) || x.userId.localeCompare(y.userId),
  );
  const gapsBefore = complement(finalSchedule(before, from, to), from, to);
  const gapsAfter = complement(finalSchedule(after, from, to), from, to);
  return {
    from,
    to,
    hoursByUser,
    gapsAdded: subtract(gapsAfter, gapsBefore),
    gapsRemoved: subtract(gapsBefore, gapsAfter),
    dstTransitions: dstTransitions(timeZones, from, to),
  };
}

/** Every UTC offset change of the zones in `[from, to)`, in time order. */
export function dstTransitions(timeZones: readonly string[], from: EpochMs, to: EpochMs): DstTransition[] {
  const out: DstTransition[] = [];
  for (const timeZone of [...new Set(timeZones)].sort()) {
    let cursor: Temporal.ZonedDateTime | null = Temporal.Instant.fromEpochMilliseconds(
      from - 1,
    ).toZonedDateTimeISO(timeZone);
    for (;;) {
      cursor = cursor.getTimeZoneTransition('next');
      if (!cursor || cursor.epochMilliseconds >= to) break;
      out.push({
        at: cursor.epochMilliseconds as EpochMs,
        timeZone,
        offsetBefore: cursor.subtract({ nanoseconds: 1 }).offset,
        offsetAfter: cursor.offset,
      });
    }
  }
  return out.sort((a, b) => a.at - b.at || a.timeZone.localeCompare(b.timeZone));
}
