/**
 * Wall-clock times in a named IANA zone (a person's profile zone), for `<input type="datetime-local">`, which
 * only knows the browser's zone. No Temporal in the browser bundle: the zone's offset comes from Intl.
 */

const partsFormat = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormat.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormat.set(timeZone, format);
  }
  return format;
}

/** The zone's wall clock at an instant, as if it were UTC (ms). */
function wallAsUtc(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2026-03-29T02:30` in Europe/Berlin → the ISO instant; undefined for an empty or malformed value. */
export function wallTimeToIso(wall: string, timeZone: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const asUtc = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s || 0);
  // Guess with the offset at that moment, then correct once for an offset change in between (DST).
  let instant = asUtc - (wallAsUtc(asUtc, timeZone) - asUtc);
  instant = asUtc - (wallAsUtc(instant, timeZone) - instant);
  return new Date(instant).toISOString();
}

/** The ISO instant as `YYYY-MM-DDTHH:mm` on the zone's wall clock, for a datetime-local input. */
export function isoToWallTime(iso: string, timeZone: string): string {
  const instant = Date.parse(iso);
  if (!Number.isFinite(instant)) return '';
  const wall = new Date(wallAsUtc(instant, timeZone));
  return (
    `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}` +
    `T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`
  );
}
