import type { EpochMs } from '../../platform/clock.ts';

/**
 * iCalendar (RFC 5545) text for on-call feeds: CRLF line ends, lines folded at 75 octets without splitting a
 * UTF-8 character, TEXT values escaped, times in UTC (`Z`) so no VTIMEZONE is needed.
 */

export interface CalendarEvent {
  /** Stable across fetches, so a calendar updates an event rather than adding a copy. */
  readonly uid: string;
  readonly start: EpochMs;
  readonly end: EpochMs;
  readonly summary: string;
  readonly description?: string;
}

export interface Calendar {
  readonly name: string;
  readonly events: readonly CalendarEvent[];
  /** DTSTAMP of every event: when this copy of the feed was made. */
  readonly generatedAt: EpochMs;
}

export const ICAL_CONTENT_TYPE = 'text/calendar; charset=utf-8';
const MAX_OCTETS = 75;

/** `20260329T070000Z`. */
export function icalUtc(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}` +
    `T${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`
  );
}

/** Escapes a TEXT value: backslash, semicolon, comma and line breaks. */
export function escapeText(value: string): string {
  return value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Splits a content line into lines of at most 75 octets; each continuation starts with one space, which counts.
 * Cuts fall between characters (code points), never inside a UTF-8 sequence.
 */
export function foldLine(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > MAX_OCTETS) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out;
}

export function renderCalendar(cal: Calendar): string {
  const lines: string[] = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Siaga//On-call schedules//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(cal.name)}`,
    // Calendar apps poll a subscribed feed at their own pace; these ask for hourly.
    'REFRESH-INTERVAL;VALUE=DURATION:PT1H',
    'X-PUBLISHED-TTL:PT1H',
  ];
  const stamp = icalUtc(cal.generatedAt);
  for (const e of cal.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${escapeText(e.uid)}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${icalUtc(e.start)}`,
      `DTEND:${icalUtc(e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
      ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.flatMap(foldLine).join('\r\n')}\r\n`;
}
