/**
 * One message through the offline NLU: language → clauses → phrase matches → negation →
 * option / date / catalog entities → yes/no → intent. Pure: the result depends only on the
 * text, the context and the compiled model.
 */
import type { Locale } from '../core/locale.js';
import type { NluEntities, NluResult } from '../core/nlu.js';
import { findEmergencyPhrases, readEmergency } from './emergency.js';
import {
  findDoctors,
  findServices,
  findTitleOnlyDoctors,
  keepLikelyNames,
  resolveCatalog,
  resolveCatalogOverlaps,
  sharedTitleHolders,
  type CatalogHit,
} from './entities/catalog.js';
import { isChronoLocale, type ChronoLocale } from './entities/chrono.js';
import { extractDate } from './entities/dates.js';
import { findOption, findStandaloneOption, LAST_OPTION } from './entities/options.js';
import { resolveYesNo } from './entities/yes-no.js';
import { decideIntent } from './intents.js';
import { candidateLangs, evidenceLangs, pickLanguage, scoreLanguages } from './language.js';
import type { LexiconIntent } from './lexicon-schema.js';
import type { NluModel } from './model.js';
import { assignClauses, buildNegation, type Negation } from './negation.js';
import { tokenize, type Token } from './normalize.js';
import { MatchInput, type PhraseMatch } from './phrase-index.js';
import { isLatinOnly, russianFromLatin, spellInCyrillic } from './translit.js';

export interface NluContext {
  /** The conversation's current language: a hint for reading dates, never the detected language. */
  locale: Locale | null;
  now: Date;
}

/** Words a yes may come with and still answer the question ("yes please?", "ok, book it?"). */
const MAX_WORDS_WITH_A_YES = 2;

function emptyResult(language: Locale | null): NluResult {
  return { intent: 'unknown', confidence: 0, entities: {}, negated: { serviceIds: [], doctorIds: [] }, language };
}

function chronoLocaleFor(language: Locale | null, hint: Locale | null, hasCyrillic: boolean): ChronoLocale | null {
  if (language === 'he') return null;
  if (isChronoLocale(language)) return language;
  if (hasCyrillic) return 'ru';
  if (isChronoLocale(hint)) return hint;
  return 'en';
}

function tokensOf(matches: readonly PhraseMatch<unknown>[]): Set<number> {
  const tokens = new Set<number>();
  for (const match of matches) for (const t of match.tokens) tokens.add(t);
  return tokens;
}

/** Best quality per intent among phrases that are not negated ("I don't want to cancel" drops cancel). */
function intentPhrases(
  matches: readonly PhraseMatch<LexiconIntent>[],
  negation: Negation,
): { phrases: Map<LexiconIntent, number>; negatedIntent: boolean } {
  const phrases = new Map<LexiconIntent, number>();
  let negatedIntent = false;
  for (const match of matches) {
    if (match.payload !== 'deny' && negation.isNegated(match.start, match.end)) {
      negatedIntent = true;
      continue;
    }
    phrases.set(match.payload, Math.max(phrases.get(match.payload) ?? 0, match.quality));
  }
  return { phrases, negatedIntent };
}

/** Clauses that end in a question mark. */
function questionClauses(text: string, tokens: readonly Token[], clauses: readonly number[]): Set<number> {
  const asking = new Set<number>();
  tokens.forEach((token, i) => {
    const next = tokens[i + 1];
    if (text.slice(token.end, next ? next.start : text.length).includes('?')) asking.add(clauses[i] ?? -1);
  });
  return asking;
}

export function detectLanguageWith(model: NluModel, text: string): Locale | null {
  const tokens = tokenize(text);
  if (russianFromLatin(text, tokens, model.language.translit, null) !== null) return 'ru';
  return pickLanguage(scoreLanguages(text, tokens, model.language));
}

export function understandWith(model: NluModel, written: string, ctx: NluContext): NluResult {
  const typed = tokenize(written);
  const { translit } = model.language;
  // "perenesite moyu zapis na subbotu": read as the Russian it is.
  const russian = russianFromLatin(written, typed, translit, ctx.locale);
  if (russian !== null) return understandTokens(model, russian.text, russian.tokens, ctx);
  const reading = understandTokens(model, written, typed, ctx);
  // "da" in a Russian conversation: Portuguese or Spanish would read it too, but into nothing.
  if (reading.intent !== 'unknown' || ctx.locale !== 'ru' || !isLatinOnly(typed)) return reading;
  const spelled = spellInCyrillic(written, typed, translit);
  const spelledReading = understandTokens(model, spelled, tokenize(spelled), ctx);
  return spelledReading.intent === 'unknown' ? reading : spelledReading;
}

function understandTokens(model: NluModel, text: string, tokens: readonly Token[], ctx: NluContext): NluResult {
  const scores = scoreLanguages(text, tokens, model.language);
  const language = pickLanguage(scores);
  if (tokens.length === 0) return emptyResult(language);
  const langs = candidateLangs(scores);
  const clauses = assignClauses(text, tokens, model, langs);
  const input = new MatchInput(tokens, clauses);

  const cueTokens = new Set(model.negationBefore.findAll(input, { langs }).flatMap((cue) => cue.tokens));
  const gapBlocked = (i: number): boolean => cueTokens.has(i);
  const emergencyMatches = findEmergencyPhrases(input, model, gapBlocked);
  const offTopicMatches = model.offTopic.find(input, { langs });
  const intentMatches = outside(model.intents.find(input, { langs, gapBlocked }), offTopicMatches);
  const yesNoMatches = model.yesNo.find(input, { langs });

  // Words of these phrases are never negation cues or yes/no answers ("can't breathe", "не могу прийти"),
  // nor are those of a story told with a negation ("I haven't been to a dentist in years", «не проходит»).
  const phraseTokens = tokensOf([
    ...emergencyMatches,
    ...intentMatches.filter((m) => m.payload !== 'deny'),
    ...model.notDenials.find(input, { langs }),
  ]);
  const yesTokens = tokensOf(yesNoMatches.filter((m) => m.payload === 'yes'));
  const negation = buildNegation(input, model, langs, new Set([...phraseTokens, ...yesTokens]));

  const taken = new Set<number>();
  const isTaken = (i: number): boolean => taken.has(i);
  const courtesy = tokensOf(intentMatches.filter((m) => m.payload === 'greeting' || m.payload === 'thanks_bye' || m.payload === 'farewell'));
  const leaving = leavingClauses(intentMatches, clauses);
  const has = (intent: LexiconIntent): boolean => intentMatches.some((m) => m.payload === intent);
  const namesOwnAppointment = has('cancel') || (has('my_appointments') && !has('reschedule'));
  const askingClauses = questionClauses(text, tokens, clauses);
  const standalone = findStandaloneOption(input, text, model, langs);
  let date = null;
  let dayAt: number | undefined;
  if (standalone === null) {
    const extraction = extractDate({
      text,
      input,
      model,
      langs,
      isTaken,
      now: ctx.now,
      zone: model.clinic.timeZone,
      chronoLocale: chronoLocaleFor(language, ctx.locale, tokens.some((t) => t.script === 'cyrillic')),
      isCourtesy: (i) => courtesy.has(i),
      isLeaving: (i) => leaving.has(clauses[i] ?? -1),
      // "I'm not coming to the morning one, delete it": when cancelling, the time refused is the appointment's.
      // "¿no tenéis nada el sábado por la mañana?": a part of the day asked about is wanted, negation or not.
      isDenied: (i) => !namesOwnAppointment && negation.inNegatedClause(i) && !askingClauses.has(clauses[i] ?? -1),
    });
    date = extraction.date;
    dayAt = extraction.dayAt;
    for (const index of extraction.taken) taken.add(index);
  }

  // "auxiliar de ação médica, estão a contratar?": the words of an off-topic phrase name nothing we offer.
  const offTopicTokens = tokensOf(offTopicMatches);
  const catalogFree = (i: number): boolean => isTaken(i) || offTopicTokens.has(i);
  const found = resolveCatalogOverlaps(
    findServices(input, model, catalogFree),
    keepLikelyNames(findDoctors(input, model, catalogFree), input, text, model, evidenceLangs(scores)),
  );
  const named = tokensOf([...found.services, ...found.doctors]);
  const serviceMatches = found.services;
  const doctorMatches = [...found.doctors, ...findTitleOnlyDoctors(input, model, (i) => isTaken(i) || named.has(i))].sort(
    (a, b) => a.start - b.start,
  );
  const isSuppressed = (entity: PhraseMatch<string>): boolean =>
    intentMatches.some(
      (intent) => intent.tokens.length > entity.tokens.length && entity.tokens.every((t) => intent.tokens.includes(t)),
    );
  const carriers = tokensOf(model.negationCarriers.find(input, { langs }));
  const services = resolveCatalog(serviceMatches, negation, isSuppressed, (i) => carriers.has(i));
  const doctors = resolveCatalog(doctorMatches, negation, isSuppressed, (i) => carriers.has(i));
  for (const match of [...serviceMatches, ...doctorMatches]) for (const t of match.tokens) taken.add(t);

  const option = standalone ?? findOption(input, text, model, langs, isTaken);
  const targets = [...serviceMatches, ...doctorMatches, ...emergencyMatches, ...intentMatches];
  const question = /[?¿]/.test(text) || model.questionWords.find(input, { langs }).some((match) => match.start === 0);
  // "ok, and how many minutes is it?": an acknowledgement before a question is no yes to the last question.
  const answer = resolveYesNo(yesNoMatches, clauses, targets, (i) => phraseTokens.has(i));
  const yesNo = answer?.value === 'yes' && question && tokens.length - answer.tokens.length > MAX_WORDS_WITH_A_YES ? null : answer;
  // Names in the catalog win over lexicon words read loosely in them ("Costa" is not "cost").
  const { phrases, negatedIntent } = intentPhrases(withoutNameWords(intentMatches, [...serviceMatches, ...doctorMatches]), negation);

  const doctor = doctors.positive[0];
  const meant = doctor ? doneByDoctor(services.positive[0], doctor, input, model) : namedMoreFully(services.positive[0], input, model, taken);
  const service = impliedByDoctor(forThePatient(meant, doctor, input, model, langs, phrases), doctor, model);
  const { hit: emergency, denied: emergencyDenied } = readEmergency(emergencyMatches, input, model, langs, negation);
  const noLonger = model.noLonger.find(input, { langs }).length > 0;
  const whenWords = model.whenWords.find(input, { langs });
  const isStrange = (t: Token): boolean =>
    t.kind === 'word' && !taken.has(t.index) && !model.knownWords.has(t.norm) && !t.alts.some((a) => model.knownWords.has(a.norm));
  const decision = decideIntent({
    emergency,
    phrases,
    negatedIntent,
    service,
    doctor,
    hasDate: date !== null,
    hasDayAndTime: date !== null && date.anyDay !== true && date.hasTime,
    hasNegatedEntities:
      services.negatedIds.length + doctors.negatedIds.length > 0 || emergencyDenied,
    dropsService: noLonger && services.negatedIds.length > 0,
    correctsCatalog: services.negatedIds.length + doctors.negatedIds.length > 0,
    // "when is my ECG?", "is my blood test tomorrow?": "my <service>" asked about with a when or a day in its clause
    // ("у меня кариес, когда можно…" tells a symptom, then asks).
    ownService:
      service !== undefined &&
      ownsService(service, input, model, langs) &&
      [...whenWords.map((when) => when.start), dayAt].some((at) => at !== undefined && clauses[at] === clauses[service.start]),
    asksAfterOwn: asksAfterOwn(intentMatches, serviceMatches, clauses),
    movesToDay: movesToDay(intentMatches, dayAt),
    thanksThenAsks: thanksThenAsks(intentMatches, clauses, askingClauses),
    serviceNamed: services.positive[0] !== undefined,
    asksAfterTelling: asksAfterTelling(intentMatches, clauses, askingClauses),
    weighsServices: question && date === null && weighsServices(services.positive, carriers),
    offTopic: offTopicMatches.length > 0,
    checksBooking: question && endsWithCheckTag(text, input, model, langs, carriers),
    strangeWords: tokens.filter(isStrange).length,
    serviceIsOwn: service !== undefined && ownsService(service, input, model, langs),
    asksWhen: whenWords.length > 0,
    asksBeforeBooking: asksBeforeBooking(text, input, intentMatches),
    weighsWays: intentMatches.some((m) => m.payload === 'ask_service' && carriers.has(m.start)),
    asksBeforeWanting: firstStart(intentMatches, 'ask_service') < firstStart(intentMatches, 'want'),
    doctorByTitleOnly: doctor !== undefined && !found.doctors.some((match) => match.payload === doctor.id),
    wantsQuestionTopic: intentMatches.some(
      (m) => m.payload === 'want' && intentMatches.some((ask) => ask.payload === 'ask_service' && ask.start >= m.end && ask.start - m.end <= WISHED_TOPIC_REACH),
    ),
    wantsOther: intentMatches.some((m) => m.payload === 'want' && tokens.slice(m.end, m.end + WANTED_REACH).some((t) => clauses[t.index] === clauses[m.start] && isStrange(t))),
    question,
    option,
    yesNo,
  });

  const entities: NluEntities = {};
  // "I'm a nurse, are you hiring?": a message about something else names nothing to book.
  const aboutSomethingElse = decision.intent === 'unknown' && offTopicMatches.length > 0;
  if (service && !aboutSomethingElse) entities.serviceId = service.id;
  if (doctor && !aboutSomethingElse) entities.doctorId = doctor.id;
  if (date && !aboutSomethingElse) entities.date = date;
  if (option && option.option === LAST_OPTION) entities.lastOption = true;
  else if (option) entities.option = option.option;
  // A "great" in "selling a bike in great condition" answers nothing: an off-topic message carries no yes or no.
  if (yesNo && decision.intent !== 'unknown') entities.yesNo = yesNo.value;
  // "perfect, thanks" / "genial, gracias" to "shall I book it?" is a yes, though no yes word was said.
  else if (decision.intent === 'thanks_bye' && phrases.has('confirm')) entities.yesNo = 'yes';

  const result: NluResult = {
    intent: decision.intent,
    confidence: decision.confidence,
    entities,
    negated: { serviceIds: [...services.negatedIds], doctorIds: [...doctors.negatedIds] },
    language,
  };
  if (emergency) result.emergencyKind = emergency.kind;
  if (question) result.question = true;
  if (decision.inferred) result.inferred = true;
  if (entities.serviceId !== undefined && services.positive[0] === undefined) result.serviceImplied = true;
  const sharedTitle = doctor || service ? [] : sharedTitleHolders(input, model, isTaken);
  if (sharedTitle.length > 0) result.titleHolders = sharedTitle;
  return result;
}

/**
 * "I can't make it today, can we do Friday?": the clause with "can't make it" names the time being
 * left, not the one wanted. When the patient says to cancel or asks about the appointment, the day
 * named is the appointment's and stays.
 */
function leavingClauses(intents: readonly PhraseMatch<LexiconIntent>[], clauses: readonly number[]): Set<number> {
  if (intents.some((m) => m.payload === 'cancel' || m.payload === 'my_appointments')) return new Set();
  return new Set(intents.filter((m) => m.payload === 'cantCome').map((m) => clauses[m.start] ?? -1));
}

/** How many words may stand between a wish and a question's topic ("can I still have my coffee"). */
const WISHED_TOPIC_REACH = 2;

/** How many words after a wish may name what is wished ("preciso de um eletricista"). */
const WANTED_REACH = 3;

/** Drops intent phrases lying wholly inside an off-topic phrase: "поменять" in "поменять права" moves no appointment. */
function outside<P>(intents: readonly PhraseMatch<P>[], offTopic: readonly PhraseMatch<true>[]): PhraseMatch<P>[] {
  const covered = new Set(offTopic.flatMap((match) => match.tokens));
  return intents.filter((intent) => !intent.tokens.every((t) => covered.has(t)));
}

/**
 * The last word closes the message as a check: "…el jueves, ¿verdad?", «…в четверг, правильно?»; or a
 * tag set apart closes a question before the message goes on ("el jueves, no? es que no estoy segura").
 */
function endsWithCheckTag(text: string, input: MatchInput, model: NluModel, langs: number, carriers: ReadonlySet<number>): boolean {
  const lastWord = input.tokens.findLast((t) => t.kind === 'word');
  if (lastWord === undefined) return false;
  const closesQuestion = (end: number): boolean => {
    const tagEnd = input.tokens[end - 1]?.end ?? 0;
    return /^[\s]*\?/.test(text.slice(tagEnd, input.tokens[end]?.start ?? text.length));
  };
  // A tag is asked ("…, right?") or set apart ("…el jueves, verdad"); «…номера утенте ещё нет» ends a story.
  const asked = text.slice(lastWord.end).includes('?');
  const setApart = (start: number): boolean => start > 0 && input.clauses[start] !== input.clauses[start - 1];
  // A "no" asked as a tag must be set apart too: «а в субботу ничего нет?» asks for Saturday.
  const noWords = new Set(model.yesNo.find(input, { langs }).flatMap((match) => (match.payload === 'no' ? match.tokens : [])));
  const tagged = (start: number): boolean => setApart(start) || (asked && !noWords.has(start));
  // "…before the tests or not?" weighs two answers; it checks nothing.
  return model.checkTags
    .find(input, { langs })
    .some((tag) => !carriers.has(tag.start - 1) && (tag.end === lastWord.index + 1 ? tagged(tag.start) : setApart(tag.start) && closesQuestion(tag.end)));
}

/**
 * A question about a service first, then booking words in a clause that asks nothing ("is the mole check
 * done by a doctor? mine changed shape"); "it hurts all the time, can I book?" asks for the booking.
 */
function asksBeforeBooking(text: string, input: MatchInput, intents: readonly PhraseMatch<LexiconIntent>[]): boolean {
  const book = intents.find((m) => m.payload === 'book');
  if (book === undefined || firstStart(intents, 'ask_service') > book.start) return false;
  const clause = input.clauses[book.start];
  const last = input.tokens.findLast((t) => input.clauses[t.index] === clause);
  const next = last === undefined ? undefined : input.tokens[last.index + 1];
  return last !== undefined && !text.slice(last.end, next?.start ?? text.length).includes('?');
}

/** Where the first phrase of an intent starts (Infinity when there is none). */
function firstStart(matches: readonly PhraseMatch<LexiconIntent>[], intent: LexiconIntent): number {
  return Math.min(...matches.filter((m) => m.payload === intent).map((m) => m.start));
}

/** Two different services with an "or" between them ("a GP visit or physio"). */
function weighsServices(services: readonly CatalogHit[], carriers: ReadonlySet<number>): boolean {
  const [first] = services;
  const other = services.find((hit) => first !== undefined && hit.id !== first.id);
  if (first === undefined || other === undefined) return false;
  const [from, to] = first.start < other.start ? [first.end, other.start] : [other.end, first.start];
  for (let i = from; i < to; i++) if (carriers.has(i)) return true;
  return false;
}

/**
 * "My GP told me to get my moles looked at. Do you offer that and who does it?": booking words told
 * in a statement, then a question about the service asked in a later clause.
 */
function asksAfterTelling(intents: readonly PhraseMatch<LexiconIntent>[], clauses: readonly number[], asking: ReadonlySet<number>): boolean {
  const book = intents.find((match) => match.payload === 'book');
  if (book === undefined) return false;
  const told = clauses[book.start] ?? -1;
  return !asking.has(told) && intents.some((match) => match.payload === 'ask_service' && asking.has(clauses[match.start] ?? -1) && (clauses[match.start] ?? -1) > told);
}

/** "ok gracias. ¿y a niños también?": thanks said, then a question asked in a later clause. */
function thanksThenAsks(intents: readonly PhraseMatch<LexiconIntent>[], clauses: readonly number[], asking: ReadonlySet<number>): boolean {
  const thanks = intents.find((match) => match.payload === 'thanks_bye');
  if (thanks === undefined) return false;
  const clause = clauses[thanks.start] ?? -1;
  return !asking.has(clause) && [...asking].some((asked) => asked > clause);
}

/** A day named after the words that move an appointment ("…and move it to Friday"), not before them. */
function movesToDay(intents: readonly PhraseMatch<LexiconIntent>[], dayAt: number | undefined): boolean {
  const move = intents.find((match) => match.payload === 'reschedule');
  return move !== undefined && dayAt !== undefined && dayAt >= move.start;
}

/** A booking or slot phrase in a clause after one naming the patient's own appointment, with no service named there. */
function asksAfterOwn(intents: readonly PhraseMatch<LexiconIntent>[], services: readonly PhraseMatch<string>[], clauses: readonly number[]): boolean {
  const clauseOf = (match: PhraseMatch<unknown>): number => clauses[match.start] ?? 0;
  const own = intents.filter((m) => m.payload === 'my_appointments').map(clauseOf);
  if (own.length === 0) return false;
  const first = Math.min(...own);
  const serviceClauses = new Set(services.map(clauseOf));
  return intents.some((m) => (m.payload === 'book' || m.payload === 'appointmentWords') && clauseOf(m) > first && !serviceClauses.has(clauseOf(m)));
}

/** Longest word that may stand between a possessive and the service: an article ("I still have the cleaning", "tengo la limpieza"). */
const ARTICLE_MAX_LENGTH = 3;

/**
 * A possessive right before the service ("my ECG", «мой анализ», "do I still have the cleaning",
 * "ainda tenho a limpeza"; an article may stand between) or right after it ("בדיקת הדם שלי").
 */
function ownsService(service: CatalogHit, input: MatchInput, model: NluModel, langs: number): boolean {
  if (service.tokens.length === 0) return false;
  const between = input.tokens[service.start - 1];
  const article = between !== undefined && between.kind === 'word' && between.norm.length <= ARTICLE_MAX_LENGTH;
  return model.possessives
    .find(input, { langs })
    .some((match) => match.end === service.start || (article && match.end === service.start - 1) || match.start === service.end);
}

/** A practitioner who does only one thing names it: "with Ana Bravo" is physiotherapy. */
function impliedByDoctor(service: CatalogHit | undefined, doctor: CatalogHit | undefined, model: NluModel): CatalogHit | undefined {
  if (service || !doctor) return service;
  const [only, ...more] = model.clinic.doctors.find((d) => d.id === doctor.id)?.services ?? [];
  return only !== undefined && more.length === 0 ? { ...doctor, id: only } : undefined;
}

/**
 * "a check-up with Dr Mendes": words shared by several services ("check-up") name the one the
 * practitioner named does, when exactly one of theirs has all of those words in its names.
 */
function doneByDoctor(service: CatalogHit | undefined, doctor: CatalogHit | undefined, input: MatchInput, model: NluModel): CatalogHit | undefined {
  if (!service || !doctor) return service;
  const offered = model.clinic.doctors.find((d) => d.id === doctor.id)?.services ?? [];
  if (offered.includes(service.id)) return service;
  const said = saidWords(service, input);
  const hasAll = (id: string): boolean => {
    const words = model.serviceWords.get(id);
    return words !== undefined && said.every((token) => inNames(words, token));
  };
  const [only, ...more] = offered.filter(hasAll);
  return only !== undefined && more.length === 0 && said.length > 0 ? { ...service, id: only } : service;
}

/** Shortest word that may tell services apart ("dentes", "dentista"; not "com", "the"). */
const TELLING_WORD_LENGTH = 5;
/** How many words from the service's name a word telling which one may stand ("check-up com a dentista"). */
const TELLING_WORD_REACH = 3;

/**
 * "um check-up com a dentista", "el check-up de los dientes": words shared by several services
 * ("check-up") name the one whose names also hold another word of the message, when only one does.
 */
function namedMoreFully(service: CatalogHit | undefined, input: MatchInput, model: NluModel, taken: ReadonlySet<number>): CatalogHit | undefined {
  if (!service) return service;
  const said = saidWords(service, input);
  const own = model.serviceWords.get(service.id);
  const near = (t: Token): boolean => t.index >= service.start - TELLING_WORD_REACH && t.index < service.end + TELLING_WORD_REACH;
  const others = input.tokens.filter(
    (t) => t.kind === 'word' && near(t) && !taken.has(t.index) && t.norm.length >= TELLING_WORD_LENGTH && !(own && inNames(own, t)),
  );
  if (said.length === 0 || others.length === 0) return service;
  const richer = [...model.serviceWords].filter(
    ([id, words]) => id !== service.id && said.every((t) => inNames(words, t)) && others.some((t) => inNames(words, t)),
  );
  const [only, ...more] = richer;
  return only !== undefined && more.length === 0 ? { ...service, id: only[0] } : service;
}

/** The word, or its stem, is in a service's names (`NluModel.serviceWords`). */
function inNames(words: ReadonlySet<string>, token: Token): boolean {
  return words.has(token.norm) || words.has(token.stem);
}

function saidWords(service: CatalogHit, input: MatchInput): Token[] {
  return service.tokens.flatMap((t) => {
    const token = input.tokens[t];
    return token?.kind === 'word' ? [token] : [];
  });
}

/** Drops intent phrases whose every word is part of a catalog name matched at least as well. */
function withoutNameWords<P>(intents: readonly PhraseMatch<P>[], names: readonly PhraseMatch<string>[]): PhraseMatch<P>[] {
  const best = new Map<number, number>();
  for (const name of names) for (const t of name.tokens) best.set(t, Math.max(best.get(t) ?? 0, name.quality));
  return intents.filter((intent) => !intent.tokens.every((t) => (best.get(t) ?? 0) > intent.quality));
}

/**
 * A child is the patient ("my son", "ребёнок"): a general visit becomes the catalog's children's
 * one (`forChildren`), and a visit with no service named is the children's one when the clinic has
 * exactly one (and the doctor named, if any, does it).
 */
function forThePatient(
  service: CatalogHit | undefined,
  doctor: CatalogHit | undefined,
  input: MatchInput,
  model: NluModel,
  langs: number,
  phrases: ReadonlyMap<LexiconIntent, number>,
): CatalogHit | undefined {
  if (model.childrenServices.size === 0 || model.children.find(input, { langs }).length === 0) return service;
  if (service) {
    const instead = model.clinic.services.find((s) => s.id === service.id)?.forChildren;
    return instead ? { ...service, id: instead } : service;
  }
  if (phrases.has('human')) return undefined;
  const [only] = model.childrenServices;
  if (only === undefined || model.childrenServices.size !== 1) return undefined;
  const doctorDoesIt = !doctor || model.clinic.doctors.find((d) => d.id === doctor.id)?.services.includes(only);
  if (!doctorDoesIt) return undefined;
  const where = doctor ?? { start: 0, end: 0, tokens: [], quality: 1 };
  return { id: only, quality: 0.9, start: where.start, end: where.end, tokens: [] };
}
