import { formatDateTime } from '../../lib/format.ts';
import { formatInZone } from './zoneFormat.ts';

/**
 * An instant as the Respond pages show it, "Tue, Nov 24, 03:28" on a 24-hour clock in the given zone (the same form
 * as the schedules' timelines), with the full date, year and zone on hover.
 */
export function ZoneTime({
  iso,
  timeZone,
  seconds = false,
}: {
  iso: string;
  timeZone: string;
  seconds?: boolean;
}) {
  return (
    <time dateTime={iso} title={formatDateTime(iso, timeZone)} style={{ whiteSpace: 'nowrap' }}>
      {formatInZone(iso, timeZone, seconds)}
    </time>
  );
}
