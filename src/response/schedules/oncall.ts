import { requireRole, requireUser } from '../../identity/index.ts';
import { DAY, toIso, type EpochMs } from '../../platform/clock.ts';
import type { Ctx } from '../../storage/index.ts';
import { scheduleFor } from './access.ts';
import { SEGMENT_SEARCH_MS, coverageGaps, finalSchedule, scheduleTimeline, segmentAt } from './engine.ts';
import {
  toOverride,
  toSchedule,
  type Schedule,
  type ScheduleRow,
  type ScheduleSpec,
  type Segment,
} from './model.ts';
import {
  findScheduleRow,
  listScheduleRowsOfTeam,
  overrideRowsInRange,
  scheduleRowsMentioning,
  usersByIds,
  type UserInfo,
} from './repo.ts';
import {
  intervalView,
  parseInstant,
  parseRange,
  segmentView,
  toOverrideView,
  type IntervalView,
  type OverrideView,
  type SegmentView,
  type UserRef,
} from './views.ts';

/** Reading schedules: who is on call now or at an instant, shifts and gaps in a range, my own shifts. */

const ms = (n: number): EpochMs => n as EpochMs;

/** Everything the engine needs for one schedule over `[from, to)`, with the people it names. */
async function loadSpec(
  ctx: Ctx,
  row: ScheduleRow,
  from: EpochMs,
  to: EpochMs,
): Promise<{
  schedule: Schedule;
  spec: ScheduleSpec;
  overrides: OverrideView[];
  users: Map<string, UserInfo>;
}> {
  const schedule = toSchedule(row);
  const overrideRows = await overrideRowsInRange(ctx.db, row.id, from, to);
  const overrides = overrideRows.map(toOverride);
  const users = await usersByIds(ctx.db, [
    ...schedule.layers.flatMap((l) => l.participants),
    ...overrides.flatMap((o) => (o.replacesUserId ? [o.userId, o.replacesUserId] : [o.userId])),
  ]);
  const absent = new Set(
    schedule.layers.flatMap((l) => l.participants).filter((id) => !users.get(id)?.active),
  );
  for (const o of overrides) if (!users.get(o.userId)?.active) absent.add(o.userId);
  return {
    schedule,
    spec: { layers: schedule.layers, overrides, absent },
    overrides: overrideRows.map(toOverrideView),
    users,
  };
}

const userRefs = (users: Map<string, UserInfo>, ids: Iterable<string>): UserRef[] =>
  [...new Set(ids)].sort().map((id) => ({ id, name: users.get(id)?.name ?? id }));

export interface OnCallView {
  at: string;
  scheduleId: string;
  /** Nobody, or the one person on call, with when their stretch began and ends. */
  onCall: { userId: string; name: string; start: string; end: string }[];
}

/** Who is on call at `at` (default now), with the start and end of their stretch. */
export async function whoIsOnCall(ctx: Ctx, scheduleId: string, at?: string | number): Promise<OnCallView> {
  const row = await scheduleFor(ctx, scheduleId, 'stakeholder');
  const instant = at === undefined ? ctx.clock.now() : parseInstant(at, '/querystring/at');
  const { spec, users } = await loadSpec(
    ctx,
    row,
    ms(instant - SEGMENT_SEARCH_MS),
    ms(instant + SEGMENT_SEARCH_MS),
  );
  const segment = segmentAt(spec, instant);
  return {
    at: toIso(instant),
    scheduleId,
    onCall: segment
      ? [
          {
            userId: segment.userId,
            name: users.get(segment.userId)?.name ?? segment.userId,
            start: toIso(segment.start),
            end: toIso(segment.end),
          },
        ]
      : [],
  };
}

export interface ShiftsView {
  scheduleId: string;
  timeZone: string;
  from: string;
  to: string;
  /** Who is on call, after layers and overrides: the schedule as it pages. */
  final: SegmentView[];
  /** Each layer on its own, lowest first, for the timeline. */
  layers: { id: string; name: string; segments: SegmentView[] }[];
  overrides: OverrideView[];
  gaps: IntervalView[];
  users: UserRef[];
}

/** The timeline of `[from, to)` (default: now and the next 7 days; at most 366 days). */
export async function getScheduleShifts(
  ctx: Ctx,
  scheduleId: string,
  range: { from?: string; to?: string } = {},
): Promise<ShiftsView> {
  const row = await scheduleFor(ctx, scheduleId, 'stakeholder');
  const { from, to } = parseRange(range, ctx.clock.now(), 7);
  const { schedule, spec, overrides, users } = await loadSpec(ctx, row, from, to);
  const t = scheduleTimeline(spec, from, to);
  return {
    scheduleId,
    timeZone: schedule.timeZone,
    from: toIso(from),
    to: toIso(to),
    final: t.final.map(segmentView),
    layers: t.layers.map((l) => ({ id: l.id, name: l.name, segments: l.segments.map(segmentView) })),
    overrides,
    gaps: t.gaps.map(intervalView),
    users: userRefs(users, [...users.keys()]),
  };
}

/** Where nobody is on call in `[from, to)` (default: the next 30 days). */
export async function listScheduleGaps(
  ctx: Ctx,
  scheduleId: string,
  range: { from?: string; to?: string } = {},
): Promise<{ scheduleId: string; from: string; to: string; gaps: IntervalView[] }> {
  const row = await scheduleFor(ctx, scheduleId, 'stakeholder');
  const { from, to } = parseRange(range, ctx.clock.now(), 30);
  const { spec } = await loadSpec(ctx, row, from, to);
  return {
    scheduleId,
    from: toIso(from),
    to: toIso(to),
    gaps: coverageGaps(spec, from, to).map(intervalView),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// For escalation and hand-off notices (system actor): epoch ms in, epoch ms out, a missing schedule is nobody.

/**
 * Who a schedule pages at `at`: the person on call, or nobody (an empty list) when the schedule has a gap there,
 * the person's account is deactivated, or the schedule no longer exists (escalation then skips the step loudly).
 */
export async function onCallUserIds(ctx: Ctx, scheduleId: string, at: EpochMs): Promise<string[]> {
  const row = await findScheduleRow(ctx.db, scheduleId);
  if (!row) return [];
  requireRole(ctx, 'stakeholder', { teamId: row.team_id, entity: 'schedule', id: scheduleId });
  const { spec } = await loadSpec(ctx, row, at, ms(at + 1));
  return finalSchedule(spec, at, ms(at + 1)).map((s) => s.userId);
}

/** The final schedule of `[from, to)`: who is on call when, merged per person (each start is a hand-off). */
export async function scheduleShifts(
  ctx: Ctx,
  scheduleId: string,
  from: EpochMs,
  to: EpochMs,
): Promise<Segment[]> {
  const row = await findScheduleRow(ctx.db, scheduleId);
  if (!row || to <= from) return [];
  requireRole(ctx, 'stakeholder', { teamId: row.team_id, entity: 'schedule', id: scheduleId });
  const { spec } = await loadSpec(ctx, row, from, to);
  return finalSchedule(spec, from, to);
}

/** Everyone on call at `at` in any schedule of the team (a policy's "team on-call" target), without repeats. */
export async function teamOnCallUserIds(ctx: Ctx, teamId: string, at: EpochMs): Promise<string[]> {
  requireRole(ctx, 'stakeholder', { teamId, entity: 'team', id: teamId });
  const out = new Set<string>();
  for (const row of await listScheduleRowsOfTeam(ctx.db, teamId)) {
    const { spec } = await loadSpec(ctx, row, at, ms(at + 1));
    for (const s of finalSchedule(spec, at, ms(at + 1))) out.add(s.userId);
  }
  return [...out];
}

// ---------------------------------------------------------------------------------------------------------------
// My on-call

const EDGE_DAYS = 14;

export interface MyShiftView {
  scheduleId: string;
  scheduleName: string;
  teamId: string;
  start: string;
  end: string;
}

export interface MyOnCallView {
  from: string;
  to: string;
  /** Schedules I am on call in right now. */
  onCallNow: MyShiftView[];
  /** My next shift that starts after now, within the range; null when none. */
  nextShift: MyShiftView | null;
  /** All my shifts overlapping the range, by start. */
  shifts: MyShiftView[];
}

/** One person's shifts over `[from, to)` across every schedule that names them, as epoch-ms segments. */
export async function userShifts(
  ctx: Ctx,
  userId: string,
  from: EpochMs,
  to: EpochMs,
): Promise<{ schedule: Schedule; segment: Segment }[]> {
  const out: { schedule: Schedule; segment: Segment }[] = [];
  for (const row of await scheduleRowsMentioning(ctx.db, userId, from)) {
    const { schedule, spec } = await loadSpec(ctx, row, from, to);
    for (const segment of finalSchedule(spec, from, to))
      if (segment.userId === userId) out.push({ schedule, segment });
  }
  return out.sort(
    (a, b) => a.segment.start - b.segment.start || a.schedule.name.localeCompare(b.schedule.name),
  );
}

/**
 * "My on-call": where I am on call now, my next shift and my shifts in a range (default: now and the next 30
 * days). Every schedule that names me counts, whichever team owns it: they are my shifts.
 */
export async function myOnCall(ctx: Ctx, range: { from?: string; to?: string } = {}): Promise<MyOnCallView> {
  const me = requireUser(ctx);
  const now = ctx.clock.now();
  const { from, to } = parseRange(range, now, 30);
  // Widened so "on call now" and "next shift" are answered whatever range the page shows, and so shifts at the
  // edges show their real start and end (up to two weeks beyond the range).
  const lower = ms(Math.min(from, now) - EDGE_DAYS * DAY);
  const upper = ms(Math.max(to, now) + EDGE_DAYS * DAY);
  const all = await userShifts(ctx, me.userId, lower, upper);
  const view = ({ schedule, segment }: { schedule: Schedule; segment: Segment }): MyShiftView => ({
    scheduleId: schedule.id,
    scheduleName: schedule.name,
    teamId: schedule.teamId,
    start: toIso(segment.start),
    end: toIso(segment.end),
  });
  const next = all.find((s) => s.segment.start > now);
  return {
    from: toIso(from),
    to: toIso(to),
    onCallNow: all.filter((s) => s.segment.start <= now && now < s.segment.end).map(view),
    nextShift: next ? view(next) : null,
    shifts: all.filter((s) => s.segment.start < to && s.segment.end > from).map(view),
  };
}
