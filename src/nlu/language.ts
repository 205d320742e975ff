/**
 * Language detection. Cyrillic words count for Russian and Hebrew-script words for Hebrew; a Latin
 * word counts for each of English, Spanish and Portuguese whose phrase lists (or catalog service
 * names) contain it, split evenly when several do. Letter sequences such as "ñ" or "ção" add more.
 * No clear winner → null.
 */
import type { Clinic } from '../config/catalog-schema.js';
import { SUPPORTED_LOCALES, type Locale } from '../core/locale.js';
import { LANG_BITS, LATIN_LOCALES } from './langs.js';
import type { NluLexicon } from './lexicon-schema.js';
import type { NluLexicons } from './load.js';
import { tokenize, type Token } from './normalize.js';
import { withoutSigns, type TranslitVocabulary } from './translit.js';

export interface LanguageModel {
  /** Latin-script word → bits of the Latin languages that use it. */
  readonly vocab: ReadonlyMap<string, number>;
  /** The same by stem, for inflected forms not listed ("limpezas", "empastes"). */
  readonly stems: ReadonlyMap<string, number>;
  readonly markers: readonly { readonly text: string; readonly locale: Locale }[];
  /** For Russian typed in Latin letters: the Russian words and stems we know, and the Latin languages' words. */
  readonly translit: TranslitVocabulary;
}

export type LanguageScores = Record<Locale, number>;

const MARKER_WEIGHT = 2;
const TIE_EPSILON = 1e-6;
/** A Latin language stays a candidate for phrase matching while it scores at least this share of the best. */
const CANDIDATE_SHARE = 0.5;

/**
 * Every phrase of a lexicon, for building the detection vocabulary and the words chrono need not
 * see. Week phrases are left out: their words ("неделю", "semana") also make up dates only chrono
 * reads ("через неделю", "en dos semanas").
 */
export function allPhrases(lexicon: NluLexicon): string[] {
  const { intents, yesNo, negation, emergency, symptomTime, options, dates, detection } = lexicon;
  return [
    ...Object.values(intents).flat(),
    ...yesNo.yes,
    ...yesNo.no,
    ...negation.before,
    ...negation.after,
    ...negation.clauseBreaks,
    ...Object.values(emergency).flat(),
    ...symptomTime.history,
    ...symptomTime.present,
    ...Object.values(options.ordinals).flat(),
    ...options.markers,
    ...options.fillers,
    ...dates.today,
    ...dates.tomorrow,
    ...dates.dayAfterTomorrow,
    ...dates.yesterday,
    ...Object.values(dates.weekdays).flat(),
    ...dates.morning,
    ...dates.afternoon,
    ...dates.evening,
    ...dates.noon,
    ...dates.timePrepositions,
    ...dates.half,
    ...dates.quarter,
    ...dates.halfPast,
    ...dates.quarterPast,
    ...dates.quarterTo,
    ...dates.quarterToAfter,
    ...dates.dayOfMonth,
    ...dates.durationWords,
    ...dates.after,
    ...dates.before,
    ...dates.durationMarkers,
    ...dates.sinceMarkers,
    ...dates.thisDay,
    ...negation.noLonger,
    ...options.last,
    ...lexicon.questionWords,
    ...lexicon.children,
    ...lexicon.possessives,
    ...lexicon.whenWords,
    ...lexicon.allergyTriggers,
    ...Object.values(dates.numbers).flat(),
    ...detection.stopWords,
  ];
}

export function buildLanguageModel(lexicons: NluLexicons, clinic: Clinic): LanguageModel {
  const vocab = new Map<string, number>();
  const stems = new Map<string, number>();
  for (const locale of LATIN_LOCALES) {
    const bit = LANG_BITS[locale];
    const catalogNames = clinic.services.flatMap((service) => [
      service.text[locale].name,
      ...service.text[locale].synonyms,
    ]);
    for (const phrase of [...allPhrases(lexicons[locale]), ...catalogNames]) {
      for (const token of tokenize(phrase)) {
        if (token.kind !== 'word' || token.script !== 'latin') continue;
        vocab.set(token.norm, (vocab.get(token.norm) ?? 0) | bit);
        stems.set(token.stem, (stems.get(token.stem) ?? 0) | bit);
      }
    }
  }
  const markers = SUPPORTED_LOCALES.flatMap((locale) =>
    lexicons[locale].detection.markers.map((text) => ({ text, locale })),
  );
  const isLatinWord = (token: Token): boolean => vocab.has(token.norm) || stems.has(token.stem);
  return { vocab, stems, markers, translit: { ...russianVocabulary(lexicons.ru, clinic), isLatinWord } };
}

/** Practitioners' names are left out: "Dr. Ana Silva" is in no language. */
function russianVocabulary(lexicon: NluLexicon, clinic: Clinic): { russian: Set<string>; spellings: Map<string, string> } {
  const phrases = [
    ...allPhrases(lexicon),
    ...clinic.services.flatMap((service) => [service.text.ru.name, ...service.text.ru.synonyms]),
  ];
  const russian = new Set<string>();
  const spellings = new Map<string, string>();
  for (const token of phrases.flatMap((phrase) => tokenize(phrase))) {
    if (token.kind !== 'word' || token.script !== 'cyrillic') continue;
    for (const form of [token.norm, token.stem]) russian.add(withoutSigns(form));
    if (!spellings.has(withoutSigns(token.norm))) spellings.set(withoutSigns(token.norm), token.norm);
  }
  return { russian, spellings };
}

function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

/**
 * Letters glued to a number ("10am", "15h", "2x"), and single letters ("k", "y") in a message with
 * no longer word, say nothing about the language: digits and symbols keep the conversation's.
 */
function isNeutral(token: Token, tokens: readonly Token[], hasWords: boolean): boolean {
  if (token.script !== 'latin') return false;
  if (token.norm.length === 1 && !hasWords) return true;
  const before = tokens[token.index - 1];
  const after = tokens[token.index + 1];
  return (before?.kind !== 'word' && before?.end === token.start) || (after?.kind !== 'word' && after?.start === token.end);
}

export function scoreLanguages(text: string, tokens: readonly Token[], model: LanguageModel): LanguageScores {
  const scores: LanguageScores = { en: 0, es: 0, ru: 0, he: 0, pt: 0 };
  const hasWords = tokens.some((t) => t.kind === 'word' && t.norm.length >= 3);
  for (const token of tokens) {
    if (token.kind !== 'word' || isNeutral(token, tokens, hasWords)) continue;
    if (token.script === 'cyrillic') scores.ru += 1;
    else if (token.script === 'hebrew') scores.he += 1;
    else if (token.script === 'latin') {
      const bits = model.vocab.get(token.norm) ?? model.stems.get(token.stem);
      if (bits === undefined) continue;
      const users = LATIN_LOCALES.filter((locale) => (bits & LANG_BITS[locale]) !== 0);
      for (const locale of users) scores[locale] += 1 / users.length;
    }
  }
  const lower = text.toLowerCase();
  for (const marker of model.markers) scores[marker.locale] += MARKER_WEIGHT * countOccurrences(lower, marker.text);
  return scores;
}

/** The best-scoring language, or null when nothing scored or two languages tie. */
export function pickLanguage(scores: LanguageScores): Locale | null {
  let best: Locale | null = null;
  let bestScore = 0;
  let second = 0;
  for (const locale of SUPPORTED_LOCALES) {
    const score = scores[locale];
    if (score > bestScore) {
      second = bestScore;
      bestScore = score;
      best = locale;
    } else if (score > second) {
      second = score;
    }
  }
  if (best === null || bestScore - second < TIE_EPSILON) return null;
  return best;
}

/**
 * Languages whose phrase lists apply to this message: Russian and Hebrew always (their script
 * keeps them apart), and the Latin languages that score near the best one (all three when none
 * scores), so that Portuguese "no" ("in the") is not read as the English or Spanish "no".
 */
export function candidateLangs(scores: LanguageScores): number {
  let bits = LANG_BITS.ru | LANG_BITS.he;
  const best = Math.max(...LATIN_LOCALES.map((locale) => scores[locale]));
  for (const locale of LATIN_LOCALES) {
    if (best <= 0 || scores[locale] >= best * CANDIDATE_SHARE) bits |= LANG_BITS[locale];
  }
  return bits;
}

/** Languages with any evidence in the message. */
export function evidenceLangs(scores: LanguageScores): number {
  return SUPPORTED_LOCALES.reduce((bits, locale) => (scores[locale] > 0 ? bits | LANG_BITS[locale] : bits), 0);
}
