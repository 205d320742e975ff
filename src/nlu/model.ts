/**
 * Compiles the clinic catalog and the per-language phrase lists into matcher indexes, once per
 * `createNlu` call. Nothing here is mutated afterwards.
 */
import type { Clinic } from '../config/catalog-schema.js';
import { SUPPORTED_LOCALES, type Locale } from '../core/locale.js';
import { LANG_BITS } from './langs.js';
import { allPhrases, buildLanguageModel, type LanguageModel } from './language.js';
import {
  EMERGENCY_KINDS,
  LEXICON_INTENTS,
  NUMBER_KEYS,
  ORDINAL_KEYS,
  WEEKDAY_KEYS,
  type EmergencyKind,
  type LexiconIntent,
} from './lexicon-schema.js';
import type { NluLexicons } from './load.js';
import { normalizeWord, scriptOf, tokenize } from './normalize.js';
import { PhraseIndex, type MatchOptions } from './phrase-index.js';

export type DayPart = 'morning' | 'afternoon' | 'evening';
export type DayWord =
  | { readonly kind: 'relative'; readonly offset: number }
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  | { readonly kind: 'weekday'; readonly weekday: number }
  | { readonly kind: 'daypart'; readonly part: DayPart }
  /** A week: 0 this week (from today), 1 next week (from its Monday); any day in it will do. */
  | { readonly kind: 'week'; readonly offset: number }
  | { readonly kind: 'noon' };
export type TimeWord =
  | 'prep'
  | 'hourWord'
  | 'half'
  | 'quarter'
  /** Before the hour: "half past", "quarter past", "quarter to". */
  | 'halfPast'
  | 'quarterPast'
  | 'quarterTo'
  /** After the hour: "menos cuarto". */
  | 'quarterToAfter'
  | 'unit'
  | 'am'
  | 'pm'
  | 'dayOfMonth'
  | 'duration'
  /** "after 5", "before 10": a time bound, also a preposition. */
  | 'after'
  | 'before'
  /** "for two weeks", "desde hace": what follows is a length of time, not a day. */
  | 'durationMarker'
  /** "since Saturday", "desde el sábado": what follows is a past day or the one being left. */
  | 'sinceMarker'
  /** "this afternoon", "esta tarde": the part of the day that follows is today's. */
  | 'thisDay';
export type YesNo = 'yes' | 'no';

/**
 * One-word lists read a single token at a time: the date and option readers' joiners and articles,
 * and the words that look like a doctor's name or put a person after them.
 */
export type SmallWordList = 'articles' | 'minuteJoiners' | 'listJoiners' | 'onBeforeDay' | 'nameLookalikes' | 'nameMarkers';

/** Normalized words of each small list → the languages (bits) where they have that role. */
export class SmallWords {
  private readonly lists = new Map<SmallWordList, Map<string, number>>();

  add(list: SmallWordList, words: readonly string[], bit: number): void {
    const map = this.lists.get(list) ?? new Map<string, number>();
    for (const word of words) {
      const norm = normalizeWord(word);
      map.set(norm, (map.get(norm) ?? 0) | bit);
    }
    this.lists.set(list, map);
  }

  /** Whether this normalized word is on the list in one of the languages `langs`. */
  has(list: SmallWordList, norm: string | undefined, langs: number): boolean {
    return norm !== undefined && ((this.lists.get(list)?.get(norm) ?? 0) & langs) !== 0;
  }
}

export interface NluModel {
  readonly clinic: Clinic;
  readonly intents: PhraseIndex<LexiconIntent>;
  readonly yesNo: PhraseIndex<YesNo>;
  readonly negationBefore: PhraseIndex<true>;
  readonly negationAfter: PhraseIndex<true>;
  readonly clauseBreaks: PhraseIndex<true>;
  readonly negationCarriers: PhraseIndex<true>;
  readonly emergency: PhraseIndex<EmergencyKind>;
  /** Words that put a symptom in the past ("years ago") or bring it back to now ("again"). */
  readonly symptomHistory: PhraseIndex<true>;
  readonly symptomPresent: PhraseIndex<true>;
  readonly services: PhraseIndex<string>;
  readonly doctors: PhraseIndex<string>;
  readonly ordinals: PhraseIndex<number>;
  readonly ordinalSuffixes: PhraseIndex<true>;
  readonly optionMarkers: PhraseIndex<true>;
  readonly optionFillers: PhraseIndex<true>;
  readonly dayWords: PhraseIndex<DayWord>;
  readonly timeWords: PhraseIndex<TimeWord>;
  readonly numbers: PhraseIndex<number>;
  readonly smallWords: SmallWords;
  /** One-word Hebrew hour numbers, for forms with a prefix: "בעשר" = ב + עשר. */
  readonly hebrewNumbers: ReadonlyMap<string, number>;
  /** One-letter Hebrew time prepositions written as a prefix ("ב", "ל"). */
  readonly hebrewTimePrefixes: ReadonlySet<string>;
  /** Normalized doctor titles; a period after one does not end a clause. */
  readonly titles: ReadonlySet<string>;
  /**
   * Title words of the catalog's own names ("Nurse Paulo Santos", "Медбрат …") → the practitioners
   * who carry them, by normalized form and by stem: "the nurse" alone names the one nurse.
   */
  readonly titleHolders: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Titles no catalog name carries, → the holders of the abbreviations they spell out ("doctora" →
   * those named "Dra."). Only for picking from a menu: alone they are too loose to name anyone.
   */
  readonly titleKin: ReadonlyMap<string, ReadonlySet<string>>;
  /** Words that open a question ("how", "когда", "מתי"). */
  readonly questionWords: PhraseIndex<true>;
  /** Words saying the patient is a child ("my son", "ребёнок"). */
  readonly children: PhraseIndex<true>;
  /** "my", «мой», "שלי". */
  readonly possessives: PhraseIndex<true>;
  /** "when", «во сколько», "מתי". */
  readonly whenWords: PhraseIndex<true>;
  /** What sets off an allergic reaction ("after the injection", "took a pill"). */
  readonly allergyTriggers: PhraseIndex<true>;
  /** "any more", "ya no", "больше не": a service no longer wanted. */
  readonly noLonger: PhraseIndex<true>;
  /** "the last one", "la última", "последний". */
  readonly lastOption: PhraseIndex<true>;
  /** "haven't been", «не был», "não passa": negations that tell a story. */
  readonly notDenials: PhraseIndex<true>;
  /** "rain", "selling", «права», "wrong chat": words of messages not for the clinic. */
  readonly offTopic: PhraseIndex<true>;
  /** "right", «правильно», "נכון": a tag closing a check of a booking. */
  readonly checkTags: PhraseIndex<true>;
  /** The catalog's children's services (what `forChildren` points to). */
  readonly childrenServices: ReadonlySet<string>;
  /** Every normalized word and stem of each service's names and synonyms, in every language. */
  readonly serviceWords: ReadonlyMap<string, ReadonlySet<string>>;
  /** Every normalized word of every phrase list and catalog name (dates: decides whether chrono runs). */
  readonly knownWords: ReadonlySet<string>;
  readonly language: LanguageModel;
}

const EXACT: MatchOptions = { stem: false, fuzzy: false, prefixes: false, maxGap: 0 };
const EXACT_PREFIXED: MatchOptions = { stem: false, fuzzy: false, prefixes: true, maxGap: 0 };
const INTENT: MatchOptions = { stem: true, fuzzy: true, fuzzyMinLength: 7, fuzzyKeepsFirstLetter: true, prefixes: true, maxGap: 1 };
const EMERGENCY: MatchOptions = { stem: true, fuzzy: true, fuzzyMinLength: 6, prefixes: true, maxGap: 2 };
const CATALOG: MatchOptions = { stem: true, fuzzy: true, fuzzyKeepsFirstLetter: true, prefixes: true, maxGap: 0 };
const DAY_WORDS: MatchOptions = { stem: false, fuzzy: false, prefixes: true, maxGap: 0 };

const ISO_WEEKDAY: Record<(typeof WEEKDAY_KEYS)[number], number> = {
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
  sun: 7,
};

function addAll<P>(index: PhraseIndex<P>, phrases: readonly string[], payload: P, bit: number, key?: string): void {
  for (const phrase of phrases) index.add(phrase, payload, bit, key);
}

/** "Dr. Dan Cohen" → "dan cohen": titles are matched on their own, names without them. */
function withoutTitles(name: string, titles: ReadonlySet<string>): string {
  return tokenize(name)
    .map((token) => token.norm)
    .filter((norm) => !titles.has(norm))
    .join(' ');
}

export function buildModel(clinic: Clinic, lexicons: NluLexicons): NluModel {
  const intents = new PhraseIndex<LexiconIntent>(INTENT);
  const yesNo = new PhraseIndex<YesNo>(EXACT);
  const negationBefore = new PhraseIndex<true>(EXACT);
  const negationAfter = new PhraseIndex<true>(EXACT);
  const clauseBreaks = new PhraseIndex<true>(EXACT);
  const negationCarriers = new PhraseIndex<true>(EXACT);
  const emergency = new PhraseIndex<EmergencyKind>(EMERGENCY);
  const symptomHistory = new PhraseIndex<true>(INTENT);
  const symptomPresent = new PhraseIndex<true>(INTENT);
  const services = new PhraseIndex<string>(CATALOG);
  const doctors = new PhraseIndex<string>(CATALOG);
  const ordinals = new PhraseIndex<number>(EXACT_PREFIXED);
  const ordinalSuffixes = new PhraseIndex<true>(EXACT);
  const optionMarkers = new PhraseIndex<true>(EXACT_PREFIXED);
  const optionFillers = new PhraseIndex<true>(EXACT_PREFIXED);
  const dayWords = new PhraseIndex<DayWord>(DAY_WORDS);
  const timeWords = new PhraseIndex<TimeWord>(EXACT);
  const numbers = new PhraseIndex<number>(EXACT);
  const smallWords = new SmallWords();
  const hebrewNumbers = new Map<string, number>();
  const hebrewTimePrefixes = new Set<string>();
  const titles = new Set<string>();
  const questionWords = new PhraseIndex<true>(EXACT_PREFIXED);
  const children = new PhraseIndex<true>(INTENT);
  const possessives = new PhraseIndex<true>(EXACT_PREFIXED);
  const whenWords = new PhraseIndex<true>(EXACT_PREFIXED);
  const allergyTriggers = new PhraseIndex<true>(INTENT);
  const noLonger = new PhraseIndex<true>(EXACT_PREFIXED);
  const lastOption = new PhraseIndex<true>(EXACT_PREFIXED);
  // Exact forms only: a stem would take «не было» (there was none) for «не был» (I have not been).
  const notDenials = new PhraseIndex<true>(EXACT_PREFIXED);
  const offTopic = new PhraseIndex<true>(INTENT);
  const checkTags = new PhraseIndex<true>(EXACT);

  for (const locale of SUPPORTED_LOCALES) {
    for (const title of lexicons[locale].doctorTitles) for (const token of tokenize(title)) titles.add(token.norm);
  }

  for (const locale of SUPPORTED_LOCALES) {
    const lex = lexicons[locale];
    const bit = LANG_BITS[locale];
    for (const intent of LEXICON_INTENTS) addAll(intents, lex.intents[intent], intent, bit);
    addAll(yesNo, lex.yesNo.yes, 'yes', bit);
    addAll(yesNo, lex.yesNo.no, 'no', bit);
    addAll(negationBefore, lex.negation.before, true, bit);
    addAll(negationAfter, lex.negation.after, true, bit);
    addAll(clauseBreaks, lex.negation.clauseBreaks, true, bit);
    addAll(negationCarriers, lex.negation.carriers, true, bit);
    addAll(noLonger, lex.negation.noLonger, true, bit);
    addAll(questionWords, lex.questionWords, true, bit);
    addAll(children, lex.children, true, bit);
    addAll(possessives, lex.possessives, true, bit);
    addAll(whenWords, lex.whenWords, true, bit);
    addAll(allergyTriggers, lex.allergyTriggers, true, bit);
    addAll(lastOption, lex.options.last, true, bit);
    addAll(notDenials, lex.negation.notDenials, true, bit);
    addAll(offTopic, lex.offTopic, true, bit);
    addAll(checkTags, lex.checkTags, true, bit);
    for (const kind of EMERGENCY_KINDS) addAll(emergency, lex.emergency[kind], kind, bit);
    addAll(symptomHistory, lex.symptomTime.history, true, bit);
    addAll(symptomPresent, lex.symptomTime.present, true, bit);
    for (const key of ORDINAL_KEYS) addAll(ordinals, lex.options.ordinals[key], Number(key), bit);
    addAll(ordinalSuffixes, lex.options.ordinalSuffixes, true, bit);
    addAll(optionMarkers, lex.options.markers, true, bit);
    addAll(optionFillers, lex.options.fillers, true, bit);
    addDateWords(dayWords, timeWords, lex.dates, bit);
    smallWords.add('articles', lex.options.articles, bit);
    for (const list of ['minuteJoiners', 'listJoiners', 'onBeforeDay'] as const) smallWords.add(list, lex.dates[list], bit);
    // Ordinary words that look like a doctor's name, and words after which such a word is the name.
    smallWords.add('nameLookalikes', lex.nameLookalikes, bit);
    smallWords.add('nameMarkers', lex.nameMarkers, bit);
    for (const key of NUMBER_KEYS) {
      addAll(numbers, lex.dates.numbers[key], Number(key), bit);
      if (locale === 'he') {
        for (const word of lex.dates.numbers[key]) if (!word.includes(' ')) hebrewNumbers.set(normalizeWord(word), Number(key));
      }
    }
    if (locale === 'he') {
      for (const prep of lex.dates.timePrepositions) {
        const norm = normalizeWord(prep);
        if (norm.length === 1 && scriptOf(norm) === 'hebrew') hebrewTimePrefixes.add(norm);
      }
    }
  }

  addCatalog(clinic, services, doctors, titles);

  const titleHolders = collectTitleHolders(clinic, titles);
  return {
    titleHolders,
    titleKin: collectTitleKin(titles, titleHolders),
    childrenServices: new Set(clinic.services.flatMap((service) => (service.forChildren ? [service.forChildren] : []))),
    serviceWords: collectServiceWords(clinic),
    questionWords,
    children,
    possessives,
    whenWords,
    allergyTriggers,
    noLonger,
    lastOption,
    notDenials,
    offTopic,
    checkTags,
    clinic,
    intents,
    yesNo,
    negationBefore,
    negationAfter,
    clauseBreaks,
    negationCarriers,
    emergency,
    symptomHistory,
    symptomPresent,
    services,
    doctors,
    ordinals,
    ordinalSuffixes,
    optionMarkers,
    optionFillers,
    dayWords,
    timeWords,
    numbers,
    smallWords,
    hebrewNumbers,
    hebrewTimePrefixes,
    titles,
    knownWords: collectKnownWords(clinic, lexicons),
    language: buildLanguageModel(lexicons, clinic),
  };
}

function addDateWords(
  dayWords: PhraseIndex<DayWord>,
  timeWords: PhraseIndex<TimeWord>,
  dates: NluLexicons[Locale]['dates'],
  bit: number,
): void {
  const day = (phrases: readonly string[], word: DayWord): void =>
    addAll(dayWords, phrases, word, bit, JSON.stringify(word));
  day(dates.yesterday, { kind: 'relative', offset: -1 });
  day(dates.today, { kind: 'relative', offset: 0 });
  day(dates.tomorrow, { kind: 'relative', offset: 1 });
  day(dates.dayAfterTomorrow, { kind: 'relative', offset: 2 });
  day(dates.thisWeek, { kind: 'week', offset: 0 });
  day(dates.nextWeek, { kind: 'week', offset: 1 });
  for (const key of WEEKDAY_KEYS) day(dates.weekdays[key], { kind: 'weekday', weekday: ISO_WEEKDAY[key] });
  day(dates.morning, { kind: 'daypart', part: 'morning' });
  day(dates.afternoon, { kind: 'daypart', part: 'afternoon' });
  day(dates.evening, { kind: 'daypart', part: 'evening' });
  day(dates.noon, { kind: 'noon' });
  addAll(timeWords, dates.timePrepositions, 'prep', bit);
  addAll(timeWords, dates.hourWords, 'hourWord', bit);
  addAll(timeWords, dates.half, 'half', bit);
  addAll(timeWords, dates.quarter, 'quarter', bit);
  addAll(timeWords, dates.halfPast, 'halfPast', bit);
  addAll(timeWords, dates.quarterPast, 'quarterPast', bit);
  addAll(timeWords, dates.quarterTo, 'quarterTo', bit);
  addAll(timeWords, dates.quarterToAfter, 'quarterToAfter', bit);
  addAll(timeWords, dates.units, 'unit', bit);
  addAll(timeWords, dates.am, 'am', bit);
  addAll(timeWords, dates.pm, 'pm', bit);
  addAll(timeWords, dates.dayOfMonth, 'dayOfMonth', bit);
  addAll(timeWords, dates.durationWords, 'duration', bit);
  addAll(timeWords, dates.after, 'after', bit);
  addAll(timeWords, dates.before, 'before', bit);
  addAll(timeWords, dates.durationMarkers, 'durationMarker', bit);
  addAll(timeWords, dates.sinceMarkers, 'sinceMarker', bit);
  addAll(timeWords, dates.thisDay, 'thisDay', bit);
}

/** Service and doctor names match in every language: patients mix them. */
function addCatalog(
  clinic: Clinic,
  services: PhraseIndex<string>,
  doctors: PhraseIndex<string>,
  titles: ReadonlySet<string>,
): void {
  for (const locale of SUPPORTED_LOCALES) {
    const bit = LANG_BITS[locale];
    for (const service of clinic.services) {
      const text = service.text[locale];
      addAll(services, [text.name, ...text.synonyms], service.id, bit);
    }
    for (const doctor of clinic.doctors) {
      const names = [doctor.names[locale], ...(doctor.synonyms?.[locale] ?? [])];
      for (const name of names) {
        const bare = withoutTitles(name, titles);
        if (bare.length > 0) doctors.add(bare, doctor.id, bit);
      }
    }
  }
}

function collectTitleHolders(clinic: Clinic, titles: ReadonlySet<string>): Map<string, Set<string>> {
  const holders = new Map<string, Set<string>>();
  const hold = (key: string, doctorId: string): void => {
    const set = holders.get(key) ?? new Set<string>();
    set.add(doctorId);
    holders.set(key, set);
  };
  for (const doctor of clinic.doctors) {
    for (const locale of SUPPORTED_LOCALES) {
      for (const name of [doctor.names[locale], ...(doctor.synonyms?.[locale] ?? [])]) {
        for (const token of tokenize(name)) {
          if (!titles.has(token.norm)) continue;
          hold(token.norm, doctor.id);
          hold(token.stem, doctor.id);
        }
      }
    }
  }
  return holders;
}

/** Longest title read as an abbreviation ("dr", "dra", "enf"). */
const ABBREVIATION_MAX_LENGTH = 4;

function spells(abbreviation: string, word: string): boolean {
  if (abbreviation.charAt(0) !== word.charAt(0)) return false;
  let at = 0;
  for (const letter of word) if (letter === abbreviation.charAt(at)) at++;
  return at === abbreviation.length;
}

function collectTitleKin(titles: ReadonlySet<string>, holders: ReadonlyMap<string, ReadonlySet<string>>): Map<string, Set<string>> {
  const kin = new Map<string, Set<string>>();
  for (const title of titles) {
    if (holders.has(title)) continue;
    // The longest abbreviation spelled wins: "doctora" is "dra", not "dr".
    const spelled = [...holders.keys()].filter((short) => short.length <= ABBREVIATION_MAX_LENGTH && short !== title && spells(short, title));
    const longest = Math.max(0, ...spelled.map((short) => short.length));
    const ids = new Set(spelled.filter((short) => short.length === longest).flatMap((short) => [...(holders.get(short) ?? [])]));
    if (ids.size > 0) kin.set(title, ids);
  }
  return kin;
}

function collectServiceWords(clinic: Clinic): Map<string, Set<string>> {
  const words = new Map<string, Set<string>>();
  for (const service of clinic.services) {
    const own = new Set<string>();
    for (const locale of SUPPORTED_LOCALES) {
      for (const name of [service.text[locale].name, ...service.text[locale].synonyms]) {
        for (const token of tokenize(name)) own.add(token.norm).add(token.stem);
      }
    }
    words.set(service.id, own);
  }
  return words;
}

function collectKnownWords(clinic: Clinic, lexicons: NluLexicons): Set<string> {
  const known = new Set<string>();
  const addPhrase = (phrase: string): void => {
    for (const token of tokenize(phrase)) if (token.kind === 'word') known.add(token.norm);
  };
  for (const locale of SUPPORTED_LOCALES) {
    const lex = lexicons[locale];
    for (const phrase of [
      ...allPhrases(lex),
      ...lex.doctorTitles,
      ...lex.dates.am,
      ...lex.dates.pm,
      ...lex.dates.hourWords,
      ...lex.questionWords,
      ...lex.children,
      ...lex.possessives,
      ...lex.whenWords,
      ...lex.allergyTriggers,
      ...lex.options.last,
      // "no es urgente, pero…" is part of the request, not a word of another subject.
      ...lex.negation.notDenials,
    ]) {
      addPhrase(phrase);
    }
    for (const service of clinic.services) [service.text[locale].name, ...service.text[locale].synonyms].forEach(addPhrase);
    for (const doctor of clinic.doctors) [doctor.names[locale], ...(doctor.synonyms?.[locale] ?? [])].forEach(addPhrase);
  }
  return known;
}
