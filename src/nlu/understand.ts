/**
 * One message through the offline NLU: language → clauses → phrase matches → negation →
 * option / date / catalog entities → yes/no → intent. Pure: the result depends only on the
 * text, the context and the compiled model.
 */
import type { Locale } from '../core/locale.js';
import type { NluEntities, NluResult } from '../core/nlu.js';
import { findEmergencyPhrases, readEmergency } from './emergency.js';
import { dropLookalikes, findDoctors, findServices, resolveCatalog } from './entities/catalog.js';
import { isChronoLocale, type ChronoLocale } from './entities/chrono.js';
import { extractDate } from './entities/dates.js';
import { findOption, findStandaloneOption } from './entities/options.js';
import { resolveYesNo } from './entities/yes-no.js';
import { decideIntent } from './intents.js';
import { candidateLangs, evidenceLangs, pickLanguage, scoreLanguages } from './language.js';
import type { LexiconIntent } from './lexicon-schema.js';
import type { NluModel } from './model.js';
import { assignClauses, buildNegation, type Negation } from './negation.js';
import { tokenize } from './normalize.js';
import { MatchInput, type PhraseMatch } from './phrase-index.js';

export interface NluContext {
  /** The conversation's current language: a hint for reading dates, never the detected language. */
  locale: Locale | null;
  now: Date;
}

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

export function detectLanguageWith(model: NluModel, text: string): Locale | null {
  return pickLanguage(scoreLanguages(text, tokenize(text), model.language));
}

export function understandWith(model: NluModel, text: string, ctx: NluContext): NluResult {
  const tokens = tokenize(text);
  const scores = scoreLanguages(text, tokens, model.language);
  const language = pickLanguage(scores);
  if (tokens.length === 0) return emptyResult(language);
  const langs = candidateLangs(scores);
  const clauses = assignClauses(text, tokens, model, langs);
  const input = new MatchInput(tokens, clauses);

  const cueTokens = new Set(model.negationBefore.findAll(input, { langs }).flatMap((cue) => cue.tokens));
  const gapBlocked = (i: number): boolean => cueTokens.has(i);
  const emergencyMatches = findEmergencyPhrases(input, model, gapBlocked);
  const intentMatches = model.intents.find(input, { langs, gapBlocked });
  const yesNoMatches = model.yesNo.find(input, { langs });

  // Words of these phrases are never negation cues or yes/no answers ("can't breathe", "не могу прийти").
  const phraseTokens = tokensOf([...emergencyMatches, ...intentMatches.filter((m) => m.payload !== 'deny')]);
  const yesTokens = tokensOf(yesNoMatches.filter((m) => m.payload === 'yes'));
  const negation = buildNegation(input, model, langs, new Set([...phraseTokens, ...yesTokens]));

  const taken = new Set<number>();
  const isTaken = (i: number): boolean => taken.has(i);
  const standalone = findStandaloneOption(input, text, model, langs);
  let date = null;
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
    });
    date = extraction.date;
    for (const index of extraction.taken) taken.add(index);
  }

  const serviceMatches = findServices(input, model, isTaken);
  const doctorMatches = dropLookalikes(findDoctors(input, model, isTaken), input, model, evidenceLangs(scores));
  const isSuppressed = (entity: PhraseMatch<string>): boolean =>
    intentMatches.some(
      (intent) => intent.tokens.length > entity.tokens.length && entity.tokens.every((t) => intent.tokens.includes(t)),
    );
  const services = resolveCatalog(serviceMatches, negation, isSuppressed);
  const doctors = resolveCatalog(doctorMatches, negation, isSuppressed);
  for (const match of [...serviceMatches, ...doctorMatches]) for (const t of match.tokens) taken.add(t);

  const option = standalone ?? findOption(input, text, model, langs, isTaken);
  const targets = [...serviceMatches, ...doctorMatches, ...emergencyMatches, ...intentMatches];
  const yesNo = resolveYesNo(yesNoMatches, clauses, targets, (i) => phraseTokens.has(i));
  const { phrases, negatedIntent } = intentPhrases(intentMatches, negation);

  const service = services.positive[0];
  const doctor = doctors.positive[0];
  const { hit: emergency, denied: emergencyDenied } = readEmergency(emergencyMatches, input, model, langs, negation);
  const decision = decideIntent({
    emergency,
    phrases,
    negatedIntent,
    service,
    doctor,
    hasDate: date !== null,
    hasNegatedEntities:
      services.negatedIds.length + doctors.negatedIds.length > 0 || emergencyDenied,
    option,
    yesNo,
  });

  const entities: NluEntities = {};
  if (service) entities.serviceId = service.id;
  if (doctor) entities.doctorId = doctor.id;
  if (date) entities.date = date;
  if (option) entities.option = option.option;
  if (yesNo) entities.yesNo = yesNo.value;

  const result: NluResult = {
    intent: decision.intent,
    confidence: decision.confidence,
    entities,
    negated: { serviceIds: [...services.negatedIds], doctorIds: [...doctors.negatedIds] },
    language,
  };
  if (emergency) result.emergencyKind = emergency.kind;
  return result;
}
