import { instantIso, WEEKDAYS, type MaintenanceSchedule, type Weekday } from '../../../api/alerting.ts';
import { formatDuration, formatShortDateTime } from '../../../lib/format.ts';

export const WEEKDAY_LABELS: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** "Mon, Thu at 02:00 for 2 h (Europe/Berlin)" or "Nov 24, 2026, 2:00 AM → 4:00 AM". */
export function describeSchedule(schedule: MaintenanceSchedule, timeZone: string): string {
  if (schedule.kind === 'once') {
    return `${formatShortDateTime(instantIso(schedule.startsAt), timeZone)} → ${formatShortDateTime(
      instantIso(schedule.endsAt),
      timeZone,
    )}`;
  }
  const days = WEEKDAYS.filter((day) => schedule.days.includes(day)).map((day) => WEEKDAY_LABELS[day]);
  const every = days.length === 7 ? 'Every day' : days.join(', ');
  return `${every} at ${schedule.start} for ${formatDuration(schedule.durationMinutes * 60)} (${schedule.timeZone})`;
}
