import { Temporal } from 'temporal-polyfill';
import { DAY, toIso, type EpochMs } from '../../platform/clock.ts';
import { validationError } from '../../platform/errors.ts';
import type { Interval, Layer, OverrideRow, Schedule, Segment } from './model.ts';
import type { DstTransition, SchedulePreview } from './preview.ts';

/** What the API shows: the domain data with ISO-8601 instants (UTC). */

export interface ScheduleView {
  id: string;
  teamId: string;
  name: string;
  description: string;
  timeZone: string;
  layers: Layer[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function toScheduleView(s: Schedule): ScheduleView {
  return {
    id: s.id,
    teamId: s.teamId,
    name: s.name,
    description: s.description,
    timeZone: s.timeZone,
    layers: s.layers.map((l) => ({ ...l })),
    version: s.version,
    createdAt: toIso(s.createdAt),
    updatedAt: toIso(s.updatedAt),
  };
}

export interface OverrideView {
  id: string;
  scheduleId: string;
  userId: string;
  replacesUserId: string | null;
  start: string;
  end: string;
  note: string;
  createdBy: string;
  createdAt: string;
}

export function toOverrideView(r: OverrideRow): OverrideView {
  return {
    id: r.id,
    scheduleId: r.schedule_id,
    userId: r.user_id,
    replacesUserId: r.replaces_user_id,
    start: toIso(r.starts_at),
    end: toIso(r.ends_at),
    note: r.note,
    createdBy: r.created_by,
    createdAt: toIso(r.created_at),
  };
}

export interface SegmentView {
  userId: string;
  start: string;
  end: string;
}
export interface IntervalView {
  start: string;
  end: string;
}

export const segmentView = (s: Segment): SegmentView => ({
  userId: s.userId,
  start: toIso(s.start),
  end: toIso(s.end),
});
export const intervalView = (i: Interval): IntervalView => ({ start: toIso(i.start), end: toIso(i.end) });

export interface UserRef {
  id: string;
  name: string;
}

export interface DstTransitionView {
  at: string;
  timeZone: string;
  offsetBefore: string;
  offsetAfter: string;
}

export interface SchedulePreviewView {
  from: string;
  to: string;
  hoursByUser: SchedulePreview['hoursByUser'];
  gapsAdded: IntervalView[];
  gapsRemoved: IntervalView[];
  dstTransitions: DstTransitionView[];
  users: UserRef[];
}

const dstView = (t: DstTransition): DstTransitionView => ({ ...t, at: toIso(t.at) });

export function toPreviewView(p: SchedulePreview, users: UserRef[]): SchedulePreviewView {
  return {
    from: toIso(p.from),
    to: toIso(p.to),
    hoursByUser: p.hoursByUser,
    gapsAdded: p.gapsAdded.map(intervalView),
    gapsRemoved: p.gapsRemoved.map(intervalView),
    dstTransitions: p.dstTransitions.map(dstView),
    users,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Instants and ranges given by callers

/**
 * An instant from the API (ISO 8601 with `Z` or an offset) or from code (epoch ms). Local times without an offset
 * are refused: which zone they meant is exactly what a schedule cannot guess.
 */
export function parseInstant(value: string | number, pointer: string): EpochMs {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value as EpochMs;
  } else {
    try {
      return Temporal.Instant.from(value.trim()).epochMilliseconds as EpochMs;
    } catch {
      // Reported below.
    }
  }
  throw validationError(`${String(value)} is not an instant`, [
    {
      pointer,
      detail: 'must be an ISO 8601 date-time with Z or an offset, e.g. "2026-03-29T09:00:00+02:00"',
    },
  ]);
}

/** Longest range one request may compute: a year, leap day included. */
export const MAX_RANGE_DAYS = 366;

/**
 * A range `[from, to)` from optional inputs: `from` defaults to now, `to` to `from + defaultDays`. Refused when
 * empty or longer than `MAX_RANGE_DAYS`. `where` prefixes the pointers (`/querystring`).
 */
export function parseRange(
  input: { from?: string | number | undefined; to?: string | number | undefined },
  now: EpochMs,
  defaultDays: number,
  where = '/querystring',
): { from: EpochMs; to: EpochMs } {
  const from = input.from === undefined ? now : parseInstant(input.from, `${where}/from`);
  const to =
    input.to === undefined ? ((from + defaultDays * DAY) as EpochMs) : parseInstant(input.to, `${where}/to`);
  if (to <= from)
    throw validationError('the range is empty', [{ pointer: `${where}/to`, detail: 'must be after from' }]);
  if (to - from > MAX_RANGE_DAYS * DAY)
    throw validationError(`the range is longer than ${MAX_RANGE_DAYS} days`, [
      { pointer: `${where}/to`, detail: `must be at most ${MAX_RANGE_DAYS} days after from` },
    ]);
  return { from, to };
}
