/** "3 d 4 h", "2 h 5 min", "42 s": the two largest units, which is what a person reads at a glance. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const units: [string, number][] = [
    ['d', Math.floor(seconds / 86_400)],
    ['h', Math.floor(seconds / 3_600) % 24],
    ['min', Math.floor(seconds / 60) % 60],
    ['s', seconds % 60],
  ];
  const first = units.findIndex(([, value]) => value > 0);
  if (first === -1) return '0 s';
  return units
    .slice(first, first + 2)
    .filter(([, value]) => value > 0)
    .map(([unit, value]) => `${value} ${unit}`)
    .join(' ');
}

const formats = new Map<string, Intl.DateTimeFormat>();

// dateStyle/timeStyle cannot be combined with timeZoneName, so the fields are spelled out.
function dateTimeFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(undefined, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        timeZoneName: 'short',
        ...(timeZone ? { timeZone } : {}),
      });
    } catch {
      // A zone this browser does not know: the browser's own zone, still labelled.
      return dateTimeFormat(undefined);
    }
    formats.set(key, format);
  }
  return format;
}

/** An instant in the given IANA zone (a person's profile zone), or the browser's when none is given. */
export function formatDateTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat(timeZone).format(date);
}

const shortFormats = new Map<string, Intl.DateTimeFormat>();

/** "Nov 23, 2026, 8:43 PM": for tables, where the zone is the reader's own and seconds do not matter. */
export function formatShortDateTime(iso: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const key = timeZone ?? '';
  let format = shortFormats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
        ...(timeZone ? { timeZone } : {}),
      });
    } catch {
      format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    }
    shortFormats.set(key, format);
  }
  return format.format(date);
}
