import { formatDateTime, formatShortDateTime } from '../lib/format.ts';

/** An instant in the reader's time zone; the short form shows seconds and the zone on hover. */
export function Time({ iso, timeZone, short = false }: { iso: string; timeZone: string; short?: boolean }) {
  const full = formatDateTime(iso, timeZone);
  return (
    <time dateTime={iso} title={short ? full : undefined}>
      {short ? formatShortDateTime(iso, timeZone) : full}
    </time>
  );
}
