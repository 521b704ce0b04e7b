/** Locales offered for dates and numbers; a person's saved locale is always offered too. */
const COMMON_LOCALES = [
  'en',
  'en-US',
  'en-GB',
  'en-AU',
  'en-IN',
  'en-SG',
  'id-ID',
  'ms-MY',
  'de-DE',
  'fr-FR',
  'es-ES',
  'pt-BR',
  'it-IT',
  'nl-NL',
  'pl-PL',
  'sv-SE',
  'ja-JP',
  'ko-KR',
  'zh-CN',
  'zh-TW',
  'th-TH',
  'vi-VN',
] as const;

function describe(locale: string): string {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(locale);
    return name && name !== locale ? `${name} (${locale})` : locale;
  } catch {
    return locale;
  }
}

export function localeOptions(current?: string): { value: string; label: string }[] {
  const list: string[] = [...COMMON_LOCALES];
  if (current && !list.includes(current)) list.unshift(current);
  return list.map((value) => ({ value, label: describe(value) }));
}
