import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SUPPORTED_LOCALES, type Locale } from '../../src/core/locale.js';

/**
 * Which shipped language a reply is written in, judged independently of the NLU under test:
 * by script for Russian and Hebrew, and for Latin-script languages by the overlap of the
 * reply's words with each locale's own message vocabulary.
 */
const LOCALES_DIR = path.resolve(import.meta.dirname, '../../locales');

function vocabulary(locale: Locale): Set<string> {
  const json = readFileSync(path.join(LOCALES_DIR, locale, 'bot.json'), 'utf8');
  const words = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') for (const w of words_(value.replace(/\{\{[^}]+\}\}/g, ' '))) words.add(w);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(JSON.parse(json));
  return words;
}

function words_(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}]{3,}/gu) ?? [];
}

const VOCABULARIES = new Map(SUPPORTED_LOCALES.map((l) => [l, vocabulary(l)]));

export function replyLanguage(text: string): Locale | null {
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return null;
  const share = (re: RegExp) => letters.filter((c) => re.test(c)).length / letters.length;
  if (share(/[\u0590-\u05FF]/) > 0.5) return 'he';
  if (share(/[\u0400-\u04FF]/) > 0.5) return 'ru';
  const scores = (['en', 'es', 'pt'] as const).map((locale) => {
    const vocab = VOCABULARIES.get(locale) ?? new Set<string>();
    return { locale, score: words_(text).filter((w) => vocab.has(w)).length };
  });
  scores.sort((a, b) => b.score - a.score);
  const [best, second] = scores;
  return best && best.score > 0 && best.score > (second?.score ?? 0) ? best.locale : null;
}
