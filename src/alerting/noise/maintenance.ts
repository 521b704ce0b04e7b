/**
 * Maintenance window schedules: *when* a window mutes new alert openings. Which alerts it mutes (a service, or
 * label matchers) is decided elsewhere; everything here is a pure function of the schedule and an instant.
 *
 * Recurring windows are written the way operators think of them — "every Sunday 02:00 for 2 hours,
 * Europe/Berlin" — so the start is a wall-clock time in the window's own time zone, and the window follows that
 * zone's daylight-saving changes instead of drifting by an hour twice a year. The rules on DST days:
 *
 * - A start that does not exist (spring forward: 02:30 in Europe/Berlin on the last Sunday of March) moves
 *   forward by the length of the gap, to 03:30 — Temporal's `compatible` disambiguation, the same choice as
 *   cron implementations and calendar apps make.
 * - A start that exists twice (fall back: 02:30 on the last Sunday of October) is the *first* one (summer time).
 * - `durationMinutes` is elapsed time, not wall-clock time: a window "02:00 + 120 min" on the fall-back night
 *   ends at 03:00 winter time, after two real hours, because the work it covers takes real hours.
 */
import { createRequire } from 'node:module';
import type { Temporal as TemporalApi } from 'temporal-polyfill';

/** Loaded on first use: most servers never evaluate a maintenance window, and the polyfill weighs 6 MiB. */
let loaded: typeof TemporalApi | undefined;
const temporal = (): typeof TemporalApi =>
  (loaded ??= (createRequire(import.meta.url)('temporal-polyfill') as { Temporal: typeof TemporalApi })
    .Temporal);
import { Type, type Static } from 'typebox';
import { DAY, MINUTE, type EpochMs } from '../../platform/clock.ts';
import type { FieldError } from '../../platform/errors.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One week: a longer recurring window would overlap itself and never end. */
export const MAX_DURATION_MINUTES = 7 * 24 * 60;
/** The last instant Temporal (and Date) can represent. */
const MAX_EPOCH_MS = 8.64e15;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

const EpochMsSchema = Type.Unsafe<EpochMs>(Type.Integer({ minimum: 0, maximum: MAX_EPOCH_MS }));
const WeekdaySchema = Type.Enum(WEEKDAYS);

/** A single window, e.g. a planned migration. Half-open: muted from `startsAt` up to, not including, `endsAt`. */
export const OnceScheduleSchema = Type.Object(
  { kind: Type.Literal('once'), startsAt: EpochMsSchema, endsAt: EpochMsSchema },
  { additionalProperties: false },
);
export type OnceSchedule = Static<typeof OnceScheduleSchema>;

/**
 * A weekly window: on each of `days`, from `start` (wall clock in `timeZone`) for `durationMinutes`.
 * `from`/`until` bound the whole schedule: nothing is muted outside them, so an occurrence running at `until`
 * is cut short there.
 */
export const WeeklyScheduleSchema = Type.Object(
  {
    kind: Type.Literal('weekly'),
    days: Type.Array(WeekdaySchema, { minItems: 1, maxItems: 7, uniqueItems: true }),
    start: Type.String({ pattern: HH_MM.source }),
    durationMinutes: Type.Integer({ minimum: 1, maximum: MAX_DURATION_MINUTES }),
    timeZone: Type.String({ minLength: 1, maxLength: 64 }),
    from: Type.Optional(EpochMsSchema),
    until: Type.Optional(EpochMsSchema),
  },
  { additionalProperties: false },
);
export type WeeklySchedule = Static<typeof WeeklyScheduleSchema>;

/**
 * The shape only. A time zone's existence and the order of instants are not expressible in JSON Schema:
 * always run `validateMaintenanceSchedule` too before storing a schedule.
 */
export const MaintenanceScheduleSchema = Type.Union([OnceScheduleSchema, WeeklyScheduleSchema]);
export type MaintenanceSchedule = OnceSchedule | WeeklySchedule;

/** One concrete window. Half-open: `[startsAt, endsAt)`. */
export interface MaintenanceOccurrence {
  readonly startsAt: EpochMs;
  readonly endsAt: EpochMs;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

type Json = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isEpochMs = (v: unknown): v is EpochMs =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX_EPOCH_MS;
const EPOCH_DETAIL = 'must be an instant in epoch milliseconds (a non-negative whole number)';

/**
 * Every problem with a schedule, as field errors ready for a 400 — empty when the schedule is usable. Checks the
 * shape as well as what JSON Schema cannot (a real time zone, end after start), so it is safe on input that never
 * went through the schema, e.g. a row written by an older version. `pointer` prefixes every error's pointer, for a
 * schedule nested in a larger body (`/schedule`).
 */
export function validateMaintenanceSchedule(input: unknown, pointer = ''): FieldError[] {
  if (!isObject(input)) {
    return [{ pointer: pointer || '/', detail: 'must be an object with kind "once" or "weekly"' }];
  }
  switch (input.kind) {
    case 'once':
      return validateOnce(input, pointer);
    case 'weekly':
      return validateWeekly(input, pointer);
    default:
      return [{ pointer: `${pointer}/kind`, detail: 'must be "once" or "weekly"' }];
  }
}

function unknownKeys(input: Json, allowed: readonly string[], pointer: string): FieldError[] {
  return Object.keys(input)
    .filter((k) => !allowed.includes(k))
    .map((k) => ({ pointer: `${pointer}/${k}`, detail: 'is not a property of this kind of schedule' }));
}

function validateOnce(input: Json, p: string): FieldError[] {
  const errors = unknownKeys(input, ['kind', 'startsAt', 'endsAt'], p);
  const { startsAt, endsAt } = input;
  if (!isEpochMs(startsAt)) errors.push({ pointer: `${p}/startsAt`, detail: EPOCH_DETAIL });
  if (!isEpochMs(endsAt)) errors.push({ pointer: `${p}/endsAt`, detail: EPOCH_DETAIL });
  else if (isEpochMs(startsAt) && endsAt <= startsAt) {
    errors.push({ pointer: `${p}/endsAt`, detail: 'must be after startsAt' });
  }
  return errors;
}

function validateWeekly(input: Json, p: string): FieldError[] {
  const errors = unknownKeys(
    input,
    ['kind', 'days', 'start', 'durationMinutes', 'timeZone', 'from', 'until'],
    p,
  );
  errors.push(...validateDays(input.days, `${p}/days`));
  if (typeof input.start !== 'string' || !HH_MM.test(input.start)) {
    errors.push({ pointer: `${p}/start`, detail: 'must be a 24-hour time HH:MM, e.g. "02:00" or "23:30"' });
  }
  const d = input.durationMinutes;
  if (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > MAX_DURATION_MINUTES) {
    errors.push({
      pointer: `${p}/durationMinutes`,
      detail: `must be a whole number of minutes from 1 to ${MAX_DURATION_MINUTES} (7 days)`,
    });
  }
  const tzProblem = timeZoneProblem(input.timeZone);
  if (tzProblem) errors.push({ pointer: `${p}/timeZone`, detail: tzProblem });
  const { from, until } = input;
  if (from !== undefined && !isEpochMs(from)) errors.push({ pointer: `${p}/from`, detail: EPOCH_DETAIL });
  if (until !== undefined && !isEpochMs(until)) errors.push({ pointer: `${p}/until`, detail: EPOCH_DETAIL });
  else if (isEpochMs(from) && isEpochMs(until) && until <= from) {
    errors.push({ pointer: `${p}/until`, detail: 'must be after from' });
  }
  return errors;
}

function validateDays(days: unknown, pointer: string): FieldError[] {
  if (!Array.isArray(days)) return [{ pointer, detail: 'must be a list of weekdays, e.g. ["sat", "sun"]' }];
  if (days.length === 0) return [{ pointer, detail: 'must name at least one weekday' }];
  const errors: FieldError[] = [];
  const seen = new Set<unknown>();
  days.forEach((day: unknown, i) => {
    if (!WEEKDAYS.includes(day as Weekday)) {
      errors.push({ pointer: `${pointer}/${i}`, detail: `must be one of ${WEEKDAYS.join(', ')}` });
    } else if (seen.has(day)) {
      errors.push({ pointer: `${pointer}/${i}`, detail: `lists "${String(day)}" twice` });
    }
    seen.add(day);
  });
  return errors;
}

/**
 * Fixed offsets ("+01:00") are refused although Temporal accepts them: a window written in Berlin's winter
 * offset would run an hour off all summer, which is the mistake a named zone exists to prevent.
 */
function timeZoneProblem(tz: unknown): string | undefined {
  const example = 'use an IANA time zone name such as "Europe/Berlin" or "UTC"';
  if (typeof tz !== 'string' || tz.trim() === '') return `is required: ${example}`;
  if (/^[+\-\u2212]/.test(tz)) return `"${tz}" is a fixed offset, which ignores daylight saving: ${example}`;
  try {
    new (temporal().ZonedDateTime)(0n, tz);
    return undefined;
  } catch {
    return `"${tz}" is not a known time zone: ${example}`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation. Both functions expect a schedule that passed validation; an unknown time zone throws a RangeError.

/** Whether the schedule mutes at `at`. An occurrence that began on an earlier day (Sat 23:00 + 3 h) still counts. */
export function isInMaintenance(schedule: MaintenanceSchedule, at: EpochMs): boolean {
  if (schedule.kind === 'once') return schedule.startsAt <= at && at < schedule.endsAt;
  for (const w of weeklyWindows(schedule, at)) {
    if (w.startsAt > at) return false;
    if (at < w.endsAt) return true;
  }
  return false;
}

/**
 * The windows overlapping `[fromMs, toMs)`, earliest first, at most `limit` — for "next windows" in the UI. A
 * window already running at `fromMs` is included with its real start. Recurring windows are listed one per
 * occurrence as configured, so a duration longer than the gap between two listed days gives overlapping entries.
 */
export function occurrences(
  schedule: MaintenanceSchedule,
  fromMs: number,
  toMs: number,
  limit = 100,
): MaintenanceOccurrence[] {
  const out: MaintenanceOccurrence[] = [];
  if (limit < 1 || toMs <= fromMs) return out;
  if (schedule.kind === 'once') {
    if (schedule.startsAt < toMs && schedule.endsAt > fromMs) {
      out.push({ startsAt: schedule.startsAt, endsAt: schedule.endsAt });
    }
    return out;
  }
  for (const w of weeklyWindows(schedule, fromMs)) {
    if (w.startsAt >= toMs || out.length >= limit) break;
    out.push(w);
  }
  return out;
}

const ISO_DAY: Readonly<Record<Weekday, number>> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

/**
 * The schedule's windows that end after `fromMs`, in start order, clipped to `from`/`until`; endless unless
 * `until` is set, so callers stop it. Starts are increasing because consecutive local dates at one wall-clock
 * time are at least 23 hours apart.
 */
function* weeklyWindows(s: WeeklySchedule, fromMs: number): Generator<MaintenanceOccurrence> {
  const days = new Set(s.days.map((d) => ISO_DAY[d]));
  const match = HH_MM.exec(s.start);
  if (days.size === 0 || !match) return;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  const durationMs = s.durationMinutes * MINUTE;
  const lower = Math.max(fromMs, s.from ?? fromMs);
  const upper = s.until ?? Number.POSITIVE_INFINITY;
  // An occurrence still running at `lower` started at most `durationMs` earlier; one more day covers the part of
  // its start day before the start time and a DST shift.
  let date = temporal()
    .Instant.fromEpochMilliseconds(lower - durationMs - DAY)
    .toZonedDateTimeISO(s.timeZone)
    .toPlainDate();
  for (;;) {
    if (days.has(date.dayOfWeek)) {
      const start = temporal().ZonedDateTime.from(
        { timeZone: s.timeZone, year: date.year, month: date.month, day: date.day, hour, minute },
        { disambiguation: 'compatible' },
      ).epochMilliseconds;
      if (start >= upper) return;
      const startsAt = Math.max(start, s.from ?? start);
      const endsAt = Math.min(start + durationMs, upper);
      if (endsAt > lower && startsAt < endsAt)
        yield { startsAt: startsAt as EpochMs, endsAt: endsAt as EpochMs };
    }
    date = date.add({ days: 1 });
  }
}
