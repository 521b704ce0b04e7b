import { describe, expect, it } from 'vitest';
import { formatInZone, formatSpan } from './zoneFormat.ts';

describe('formatSpan', () => {
  it('names the day once for a span within one day on the zone’s clock', () => {
    const start = '2026-03-02T08:00:00Z'; // 09:00 in Berlin
    expect(formatSpan(start, '2026-03-02T16:00:00Z', 'Europe/Berlin')).toBe(
      `${formatInZone(start, 'Europe/Berlin')} – 17:00`,
    );
  });

  it('names both days for a span across midnight in the zone, even when it is one UTC day', () => {
    const start = '2026-03-02T16:00:00Z';
    const end = '2026-03-02T23:30:00Z'; // 00:30 on the 3rd in Berlin
    expect(formatSpan(start, end, 'Europe/Berlin')).toBe(
      `${formatInZone(start, 'Europe/Berlin')} – ${formatInZone(end, 'Europe/Berlin')}`,
    );
  });

  it('shows seconds, without the weekday, where events seconds apart must differ', () => {
    expect(formatInZone('2026-03-02T08:00:05Z', 'Europe/Berlin', true)).toMatch(/09:00:05/);
    expect(formatInZone('2026-03-02T08:00:05Z', 'Europe/Berlin', true)).not.toMatch(/Mon/);
  });
});
