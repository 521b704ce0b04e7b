import type { EpochMs } from '../../platform/clock.ts';
import type { Database } from '../../storage/index.ts';

/**
 * On-call schedules, PagerDuty style: a schedule is an ordered list of layers, each a rotation of people with
 * optional time-of-day restrictions; a later layer wins wherever it has someone on call; overrides go on top.
 * Everything below is the data as stored (`schedules.layers` is `Layer[]` as JSON) and as the engine reads it.
 */

export type ScheduleRow = Database['schedules'];
export type OverrideRow = Database['schedule_overrides'];
export type IcalFeedRow = Database['ical_feeds'];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const SHIFT_UNITS = ['hours', 'days', 'weeks'] as const;
export type ShiftUnit = (typeof SHIFT_UNITS)[number];

/** Longest shift per unit: a month of hours, a year of days, a year of weeks. */
export const MAX_SHIFT_COUNT: Readonly<Record<ShiftUnit, number>> = { hours: 744, days: 366, weeks: 52 };
export const MAX_LAYERS = 20;
export const MAX_PARTICIPANTS = 100;
export const MAX_RESTRICTIONS = 28;

export interface ShiftLength {
  readonly unit: ShiftUnit;
  readonly count: number;
}

/**
 * When shifts change hands. The first shift starts at `startDate` `handoffTime`, wall clock in `timeZone`; nobody
 * in this layer is on call before it.
 */
export interface Rotation {
  readonly shiftLength: ShiftLength;
  /** `HH:MM`, 24-hour, local wall time in `timeZone`. */
  readonly handoffTime: string;
  /** `YYYY-MM-DD`, local date in `timeZone`. */
  readonly startDate: string;
  /** IANA name, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
}

/**
 * A window of local time (the rotation's zone) in which the layer's person is on call; outside every window the
 * layer has nobody. `to <= from` wraps past midnight (`22:00`–`06:00`), `to == from` is 24 hours. `days` are the
 * days a window *starts* on; left out, every day.
 */
export interface Restriction {
  readonly days?: readonly Weekday[];
  readonly from: string;
  readonly to: string;
}

export interface Layer {
  readonly id: string;
  readonly name: string;
  readonly rotation: Rotation;
  /** User ids in hand-off order; a name may appear more than once (e.g. a trainee paired twice as often). */
  readonly participants: readonly string[];
  readonly restrictions: readonly Restriction[];
}

/** Who is on call, from `start` up to (not including) `end`. */
export interface Segment {
  readonly userId: string;
  readonly start: EpochMs;
  readonly end: EpochMs;
}

/** A stretch of time, `[start, end)`. */
export interface Interval {
  readonly start: EpochMs;
  readonly end: EpochMs;
}

/**
 * An override puts `userId` on call for `[start, end)`. With `replacesUserId` it is a swap of that person's hours
 * only (nothing changes where someone else is on call); without, it covers whoever would be on call, gaps included.
 */
export interface Override {
  readonly id: string;
  readonly userId: string;
  readonly replacesUserId: string | null;
  readonly start: EpochMs;
  readonly end: EpochMs;
}

/** What the engine needs to compute a schedule: its layers (first = lowest) and its overrides (oldest first). */
export interface ScheduleSpec {
  readonly layers: readonly Layer[];
  readonly overrides: readonly Override[];
  /**
   * People who cannot be paged (deactivated accounts). Their layer hours count as "nobody" (a lower layer shows
   * through, else it is a gap) and their overrides are ignored, so a schedule never claims cover it does not have.
   */
  readonly absent?: ReadonlySet<string>;
}

export interface Schedule {
  readonly id: string;
  readonly teamId: string;
  readonly name: string;
  readonly description: string;
  /** Display zone for people reading the schedule; rotations carry their own zone. */
  readonly timeZone: string;
  readonly layers: readonly Layer[];
  readonly version: number;
  readonly createdAt: EpochMs;
  readonly updatedAt: EpochMs;
}

export function toSchedule(row: ScheduleRow): Schedule {
  return {
    id: row.id,
    teamId: row.team_id,
    name: row.name,
    description: row.description,
    timeZone: row.time_zone,
    layers: JSON.parse(row.layers) as Layer[],
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toOverride(row: OverrideRow): Override {
  return {
    id: row.id,
    userId: row.user_id,
    replacesUserId: row.replaces_user_id,
    start: Number(row.starts_at) as EpochMs,
    end: Number(row.ends_at) as EpochMs,
  };
}
