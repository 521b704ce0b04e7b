/** The browser's own IANA time zone, the sensible default for a new person. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

let zones: string[] | undefined;

/** Every IANA zone the browser knows, plus UTC (which some browsers leave out of the list). */
export function allTimeZones(): string[] {
  if (!zones) {
    const list = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    zones = list.includes('UTC') ? [...list] : ['UTC', ...list];
  }
  return zones;
}

/** The options for a time zone picker; a saved value the browser calls by another name stays selectable. */
export function timeZoneOptions(current?: string): string[] {
  const list = allTimeZones();
  return current && !list.includes(current) ? [current, ...list] : list;
}
