import type { Locale } from '../core/locale.js';

/**
 * Country calling codes → the language a patient from there most likely writes in. Only a
 * hint: a saved preference, the conversation's language and a confidently detected language
 * all come first. Matched by the longest prefix, so "+351" (Portugal) wins over nothing and
 * "+7" covers Russia and Kazakhstan.
 */
export const CALLING_CODE_LOCALES: Readonly<Record<string, Locale>> = {
  // English
  '1': 'en', // United States, Canada
  '44': 'en', // United Kingdom
  '353': 'en', // Ireland
  '61': 'en', // Australia
  '64': 'en', // New Zealand
  // Spanish
  '34': 'es', // Spain
  '52': 'es', // Mexico
  '54': 'es', // Argentina
  '56': 'es', // Chile
  '57': 'es', // Colombia
  '51': 'es', // Peru
  '58': 'es', // Venezuela
  '593': 'es', // Ecuador
  '598': 'es', // Uruguay
  // Russian
  '7': 'ru', // Russia, Kazakhstan
  '375': 'ru', // Belarus
  // Hebrew
  '972': 'he', // Israel
  // Portuguese
  '351': 'pt', // Portugal
  '55': 'pt', // Brazil
  '244': 'pt', // Angola
  '258': 'pt', // Mozambique
};

/**
 * "+7 912 345-67-89", "0034 600 000 000", "972501234567@s.whatsapp.net" → a locale, or null when
 * the text is not a phone number in international form or its country is not in the table.
 */
export function localeFromPhone(value: string): Locale | null {
  const compact = value.trim().replace(/@.*$/, '').replace(/[\s().-]/g, '');
  const match = /^(?:\+|00)?(\d{7,15})$/.exec(compact);
  const digits = match?.[1];
  if (!digits) return null;
  // Without "+" or "00", only a full international number (8+ digits) is taken as one.
  if (!/^(?:\+|00)/.test(compact) && digits.length < 8) return null;
  for (let length = 3; length >= 1; length -= 1) {
    const locale = CALLING_CODE_LOCALES[digits.slice(0, length)];
    if (locale) return locale;
  }
  return null;
}
