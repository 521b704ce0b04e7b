import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochMs } from '../../platform/clock.ts';
import { escapeText, foldLine, icalUtc, renderCalendar } from './ical.ts';

/** RFC 5545 §3.1: unfolding removes every CRLF followed by one space or tab. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');

describe('iCalendar feed text', () => {
  const cal = renderCalendar({
    name: 'Payments; primary, EU',
    generatedAt: epochMs(Date.parse('2026-03-28T12:00:00Z')),
    events: [
      {
        uid: 'sched_1-usr_1-20260329T070000Z@siaga',
        start: epochMs(Date.parse('2026-03-29T07:00:00Z')),
        end: epochMs(Date.parse('2026-03-30T07:00:00Z')),
        summary: 'On call: Zoë Ångström-Łukasiewicz, Payments primary (Europe) — weekend cover',
        description: 'Schedule: Payments\nLayer swap',
      },
    ],
  });

  it('uses CRLF line ends only, folds at 75 octets and unfolds back to the original lines', () => {
    expect(cal.endsWith('\r\n')).toBe(true);
    expect(cal.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of cal.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const lines = unfold(cal).split('\r\n');
    expect(lines).toContain(
      'SUMMARY:On call: Zoë Ångström-Łukasiewicz\\, Payments primary (Europe) — weekend cover',
    );
    expect(lines).toContain('DESCRIPTION:Schedule: Payments\\nLayer swap');
    expect(lines).toContain('X-WR-CALNAME:Payments\\; primary\\, EU');
  });

  it('writes one VEVENT per shift with a stable UID and UTC start and end', () => {
    const lines = unfold(cal).split('\r\n');
    expect(lines.slice(0, 2)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0']);
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        'UID:sched_1-usr_1-20260329T070000Z@siaga',
        'DTSTAMP:20260328T120000Z',
        'DTSTART:20260329T070000Z',
        'DTEND:20260330T070000Z',
      ]),
    );
    expect(lines[lines.length - 2]).toBe('END:VCALENDAR');
  });

  it('never cuts a multi-byte character when folding, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const folded = foldLine(`SUMMARY:${text}`);
        for (const part of folded) {
          expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
          expect(Buffer.from(part, 'utf8').toString('utf8')).toBe(part);
        }
        expect(folded.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(`SUMMARY:${text}`);
      }),
    );
  });

  it('formats instants and escapes text as RFC 5545 says', () => {
    expect(icalUtc(Date.parse('2028-02-29T23:05:09Z'))).toBe('20280229T230509Z');
    expect(escapeText('a\\b;c,d\r\ne')).toBe('a\\\\b\\;c\\,d\\ne');
  });
});
