/** The Teams channel's words, from locales/<lang>/teams.json (and the bot's greeting from bot.json). */
import type { Clinic } from '../../config/catalog-schema.js';
import { toLocale, type Locale } from '../../core/locale.js';
import type { RenderedReply } from '../../core/messages.js';
import type { Translator } from '../../i18n/i18n.js';
import type { Renderer } from '../../i18n/render.js';

export interface TeamsTexts {
  /** The language for a Teams locale such as "he-IL"; the clinic's default when not supported. */
  localeOf(hint: string | undefined): Locale;
  t(locale: Locale, key: string, params?: Record<string, string | number>): string;
  /** A key of the bot's own messages (bot.json), rendered with the clinic's facts. */
  bot(locale: Locale, key: string): RenderedReply;
  /** The clinic's name in one language. */
  clinicName(locale: Locale): string;
  /** The staff's language on alert cards: the clinic's default. */
  readonly staffLocale: Locale;
}

export function createTeamsTexts(deps: { translator: Translator; renderer: Renderer; clinic: Clinic }): TeamsTexts {
  const { translator, renderer, clinic } = deps;
  return {
    localeOf: (hint) => toLocale(hint) ?? clinic.defaultLocale,
    t: (locale, key, params) => translator.t(locale, key, params, 'teams'),
    bot(locale, key) {
      const [reply] = renderer.render([{ key }], locale);
      if (!reply) throw new Error(`nothing rendered for ${key}`);
      return reply;
    },
    clinicName: (locale) => clinic.names[locale],
    staffLocale: clinic.defaultLocale,
  };
}
