import { formatDateTime } from '../../lib/format.ts';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

let format: Intl.RelativeTimeFormat | undefined;

/** "3 minutes ago", "in 2 hours", "just now": the largest whole unit. */
export function formatRelative(iso: string, now: number): string {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return iso;
  const delta = at - now;
  if (Math.abs(delta) < 10_000) return 'just now';
  format ??= new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(delta) >= size || unit === 'second') return format.format(Math.trunc(delta / size), unit);
  }
  return iso;
}

/** An instant relative to `now` (which the page ticks), with the exact time in the reader's zone on hover. */
export function RelativeTime({ iso, now, timeZone }: { iso: string; now: number; timeZone: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso, timeZone)}>
      {formatRelative(iso, now)}
    </time>
  );
}
