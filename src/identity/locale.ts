/** Whether a string names an IANA time zone this runtime knows (`Europe/Berlin`, `Asia/Jakarta`, `UTC`). */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Whether a string is one BCP 47 locale (`en-GB`, `id-ID`). */
export function isLocale(locale: string): boolean {
  try {
    return Intl.getCanonicalLocales(locale).length === 1;
  } catch {
    return false;
  }
}
