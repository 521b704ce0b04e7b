import { isoToWallTime, wallTimeToIso } from '../../lib/zonedTime.ts';

/**
 * Where things go on a schedule's timeline: bars and day lines as percentages of a range, computed on the
 * schedule's wall clock so that days start at its midnight, DST included. No Temporal in the browser bundle.
 */

export interface Span {
  start: string;
  end: string;
}

export interface PlacedBar<T extends Span> {
  item: T;
  /** Percent of the range from its start. */
  left: number;
  width: number;
  /** Cut at the range's start or end. */
  clippedStart: boolean;
  clippedEnd: boolean;
}

/** The spans that overlap `[from, to)`, clipped to it, as percentages. */
export function placeBars<T extends Span>(items: readonly T[], from: string, to: string): PlacedBar<T>[] {
  const a = Date.parse(from);
  const b = Date.parse(to);
  const total = b - a;
  if (!(total > 0)) return [];
  const placed: PlacedBar<T>[] = [];
  for (const item of items) {
    const s = Date.parse(item.start);
    const e = Date.parse(item.end);
    if (!(e > a && s < b)) continue;
    const start = Math.max(s, a);
    const end = Math.min(e, b);
    placed.push({
      item,
      left: ((start - a) / total) * 100,
      width: ((end - start) / total) * 100,
      clippedStart: s < a,
      clippedEnd: e > b,
    });
  }
  return placed;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-03-29` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + days));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/** The calendar date at an instant on the zone's wall clock. */
export function dateIn(instant: number | string, timeZone: string): string {
  const iso = typeof instant === 'number' ? new Date(instant).toISOString() : instant;
  return isoToWallTime(iso, timeZone).slice(0, 10);
}

/** The instant the zone's day `date` begins (its midnight, or the first moment after a DST gap). */
export function midnight(date: string, timeZone: string): string {
  return wallTimeToIso(`${date}T00:00`, timeZone) ?? `${date}T00:00:00.000Z`;
}

export interface Range {
  from: string;
  to: string;
  /** The first day, `YYYY-MM-DD` in the zone. */
  firstDay: string;
  days: number;
}

/** `weeks` whole days in the zone, from the day `offsetWeeks` weeks after the day of `now`. */
export function scheduleRange(now: number, timeZone: string, weeks: number, offsetWeeks = 0): Range {
  const firstDay = addDays(dateIn(now, timeZone), offsetWeeks * 7);
  const days = weeks * 7;
  return {
    from: midnight(firstDay, timeZone),
    to: midnight(addDays(firstDay, days), timeZone),
    firstDay,
    days,
  };
}

export interface DayTick {
  date: string;
  left: number;
  /** Monday: a heavier line. */
  weekStart: boolean;
}

/** A line at each of the zone's midnights in the range (days are not all 24 hours long). */
export function dayTicks(range: Range, timeZone: string): DayTick[] {
  const a = Date.parse(range.from);
  const total = Date.parse(range.to) - a;
  const ticks: DayTick[] = [];
  for (let i = 0; i < range.days; i++) {
    const date = addDays(range.firstDay, i);
    const at = Date.parse(midnight(date, timeZone));
    const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
    ticks.push({
      date,
      left: ((at - a) / total) * 100,
      weekStart: new Date(Date.UTC(y, m - 1, d)).getUTCDay() === 1,
    });
  }
  return ticks;
}

/** A stable colour per person, from Mantine's palette, so one person looks the same on every row. */
const PALETTE = ['blue', 'grape', 'teal', 'orange', 'cyan', 'pink', 'lime', 'violet', 'indigo', 'yellow'];

export function colorOf(userId: string, order: readonly string[]): string {
  const index = order.indexOf(userId);
  if (index >= 0) return PALETTE[index % PALETTE.length] ?? 'blue';
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length] ?? 'blue';
}

/** "+12 h", "−4.5 h", "0 h": hours gained or lost, rounded to a tenth. */
/** "1,530.6": tenths, grouped, in the reader's locale. */
const hoursFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

export function formatHoursDelta(hours: number): string {
  const rounded = Math.round(hours * 10) / 10;
  if (rounded === 0) return '0 h';
  return `${rounded > 0 ? '+' : '−'}${hoursFormat.format(Math.abs(rounded))} h`;
}

export function formatHours(hours: number): string {
  return `${hoursFormat.format(Math.round(hours * 10) / 10)} h`;
}

/** "Dana Wójcik" → "DW"; one word → its first two letters ("Ops" → "Op"). */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '';
  const last = words.length > 1 ? (words.at(-1) ?? '') : '';
  return last ? `${first.charAt(0)}${last.charAt(0)}`.toUpperCase() : first.slice(0, 2);
}

/** Below this a bar's name would be cut to a letter or two plus an ellipsis: initials read better. */
export const NAME_MIN_PX = 64;
/** Below this not even initials fit; the tooltip and the accessible name still say who it is. */
const INITIALS_MIN_PX = 26;

/** What a bar about `widthPx` wide shows: the name (cut with an ellipsis if need be), initials, or nothing. */
export function barLabel(name: string, widthPx: number): string {
  if (widthPx >= NAME_MIN_PX) return name;
  return widthPx >= INITIALS_MIN_PX ? initialsOf(name) : '';
}
