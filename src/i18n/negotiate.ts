import { toLocale, type Locale } from '../core/locale.js';
import { localeFromPhone } from './phone-locales.js';

export interface ReplyLocaleInput {
  /** The language confidently detected on this message; null when unsure ("2", "ok", a name). */
  detected: Locale | null;
  /** The patient's saved preference. */
  preference: Locale | null;
  /** The language this conversation has been using. */
  conversation: Locale | null;
  /** The channel's hint: a language tag ("pt-BR", "he-IL", "es-MX,es;q=0.9") or a phone number ("+7…"). */
  channelHint: string | null | undefined;
  clinicDefault: Locale;
}

export interface ReplyLocale {
  locale: Locale;
  /** The patient wrote in a language other than the one they were being answered in. */
  switched: boolean;
}

/**
 * Picks the one language a reply is written in. A language detected on this message wins, so a
 * patient who switches language is followed; a message that says nothing about its language
 * keeps the current one: saved preference → conversation → channel hint → clinic default.
 *
 * `switched` compares the detected language with the one the patient was being answered in
 * (the conversation's, or on a first message the saved preference), so the caller knows when
 * to store the new preference.
 */
export function resolveReplyLocale(input: ReplyLocaleInput): ReplyLocale {
  const current = input.conversation ?? input.preference;
  if (input.detected) {
    return { locale: input.detected, switched: current !== null && current !== input.detected };
  }
  return {
    locale: input.preference ?? input.conversation ?? localeFromChannelHint(input.channelHint) ?? input.clinicDefault,
    switched: false,
  };
}

/** "pt-BR" → pt, "he-IL" → he, "fr-FR, es;q=0.8" → es, "+972 50…" → he; null when nothing fits. */
export function localeFromChannelHint(hint: string | null | undefined): Locale | null {
  if (!hint) return null;
  const text = hint.trim();
  if (/^(?:\+|00)?[\d\s().-]+(?:@.*)?$/.test(text)) return localeFromPhone(text);
  for (const part of text.split(',')) {
    const locale = toLocale(part.split(';')[0]);
    if (locale) return locale;
  }
  return null;
}
