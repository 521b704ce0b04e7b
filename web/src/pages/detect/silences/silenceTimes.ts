/** The durations a silence is usually made for; `custom` asks for the start and end. */
export const DURATIONS = [
  { value: '1h', label: '1 hour', ms: 3_600_000 },
  { value: '4h', label: '4 hours', ms: 4 * 3_600_000 },
  { value: '1d', label: '1 day', ms: 86_400_000 },
  { value: 'custom', label: 'Custom', ms: 0 },
] as const;

export type DurationChoice = (typeof DURATIONS)[number]['value'];

export const durationMs = (choice: DurationChoice): number =>
  DURATIONS.find((d) => d.value === choice)?.ms ?? 0;
