/** Instants on a schedule's wall clock ("Mon, Mar 3, 09:00"), whatever the reader's own zone is. */

const formats = new Map<string, Intl.DateTimeFormat>();

function format(key: string, options: Intl.DateTimeFormatOptions, timeZone: string): Intl.DateTimeFormat {
  const id = `${key}|${timeZone}`;
  let f = formats.get(id);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(undefined, { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat(undefined, options);
    }
    formats.set(id, f);
  }
  return f;
}

/**
 * "Mon, Mar 3, 09:00" in the zone; with seconds, "Mar 3, 09:00:05" (no weekday, to stay short in logs), where
 * retries and events seconds apart must be told apart.
 */
export function formatInZone(iso: string, timeZone: string, withSeconds = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return format(
    withSeconds ? 'instant-seconds' : 'instant',
    {
      ...(withSeconds ? { second: '2-digit' } : { weekday: 'short' }),
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    },
    timeZone,
  ).format(date);
}

/** "Mon, Mar 3, 2026" for a `YYYY-MM-DD` day (a calendar date, so formatted in UTC). */
export function formatDate(date: string): string {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  return format('date', { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric' }, 'UTC').format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

/** "Mon 3" (or just "3") for a `YYYY-MM-DD` day: a calendar date, so formatted in UTC. */
export function formatDay(date: string, withWeekday = true): string {
  const [y = 1970, m = 1, d = 1] = date.split('-').map(Number);
  const options: Intl.DateTimeFormatOptions = withWeekday
    ? { weekday: 'short', day: 'numeric' }
    : { day: 'numeric' };
  return format(withWeekday ? 'day' : 'day-number', options, 'UTC').format(new Date(Date.UTC(y, m - 1, d)));
}

/** "Mar 3 – Mar 30, 2026" for a range of days. */
export function formatDayRange(first: string, last: string): string {
  const toDate = (day: string) => {
    const [y = 1970, m = 1, d = 1] = day.split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d));
  };
  const f = format('range', { month: 'short', day: 'numeric', year: 'numeric' }, 'UTC');
  return f.formatRange(toDate(first), toDate(last));
}

/** "09:00" on the zone's clock. */
function formatClock(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return format('clock', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, timeZone).format(date);
}

/** The calendar day an instant falls on in the zone, to compare two instants by. */
function dayOf(iso: string, timeZone: string): string {
  const date = new Date(iso);
  return format('day-key', { year: 'numeric', month: '2-digit', day: '2-digit' }, timeZone).format(date);
}

/**
 * "Mon, Mar 3, 09:00 – 17:00" within a day on the zone's clock, "Mon, Mar 3, 17:00 – Tue, Mar 4, 09:00" across
 * days.
 */
export function formatSpan(start: string, end: string, timeZone: string): string {
  const to =
    dayOf(start, timeZone) === dayOf(end, timeZone)
      ? formatClock(end, timeZone)
      : formatInZone(end, timeZone);
  return `${formatInZone(start, timeZone)} – ${to}`;
}
