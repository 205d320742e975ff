/** Languages as bits, so a phrase shared by several languages is stored once. */
import { SUPPORTED_LOCALES, type Locale } from '../core/locale.js';

export const LANG_BITS: Readonly<Record<Locale, number>> = { en: 1, es: 2, ru: 4, he: 8, pt: 16 };
export const ALL_LANGS = SUPPORTED_LOCALES.reduce((bits, locale) => bits | LANG_BITS[locale], 0);
/** Languages written in Latin script, told apart by vocabulary rather than by script. */
export const LATIN_LOCALES = ['en', 'es', 'pt'] as const satisfies readonly Locale[];
