/** The languages the assistant ships complete. Adding one means a folder under locales/. */
export const SUPPORTED_LOCALES = ['en', 'es', 'ru', 'he', 'pt'] as const;
export type Locale = (typeof SUPPORTED_LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** Maps a tag such as "pt-BR", "es_MX" or "HE" to a supported locale, or null. */
export function toLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const base = tag.trim().toLowerCase().split(/[-_]/)[0];
  if (base === 'iw') return 'he';
  return isLocale(base) ? base : null;
}

export const RTL_LOCALES: readonly Locale[] = ['he'];

/**
 * The BCP 47 tag used for plural rules and date/number formatting. The shipped Portuguese is
 * European Portuguese ("1,5 horas", "250 €"); Intl's plain "pt" follows Brazilian rules.
 */
const INTL_TAGS: Record<Locale, string> = { en: 'en', es: 'es', ru: 'ru', he: 'he', pt: 'pt-PT' };

export function intlTag(locale: Locale): string {
  return INTL_TAGS[locale];
}
