/**
 * Emergency keywords, matched in every language (a patient in distress may switch language) with
 * typo tolerance. A keyword does not count when it is denied ("no chest pain", "кровотечения нет",
 * "אין כאב בחזה") or placed in the patient's medical history ("a heart attack two years ago")
 * within its clause. Everything else counts, hypotheticals and other people included ("what if I
 * faint?", "my husband fainted"): when in doubt, staff should look.
 */
import { EMERGENCY_KINDS, type EmergencyKind } from './lexicon-schema.js';
import { ALL_LANGS } from './langs.js';
import type { NluModel } from './model.js';
import type { Negation } from './negation.js';
import type { MatchInput, PhraseMatch } from './phrase-index.js';

/**
 * How many words may stand between a negation cue and the symptom it denies: enough for "I do not
 * have any chest pain", not for "I don't know what to do my husband fainted".
 */
const EMERGENCY_NEGATION_WINDOW = 3;

export function findEmergencyPhrases(
  input: MatchInput,
  model: NluModel,
  gapBlocked: (index: number) => boolean,
): PhraseMatch<EmergencyKind>[] {
  // A one-word keyword read with a typo must be long: "strike" (a train strike) is no "stroke".
  return model.emergency
    .find(input, { langs: ALL_LANGS, gapBlocked })
    .filter((match) => !(match.tokens.length === 1 && match.quality < NOT_A_TYPO && (input.tokens[match.start]?.norm.length ?? 0) < LONG_TYPO_WORD));
}

/** Shortest single word an emergency keyword is recognised from with a typo in it. */
const LONG_TYPO_WORD = 7;
/** Stems and Hebrew prefixes match at 0.9; only a typo (0.75) falls below this. */
const NOT_A_TYPO = 0.8;

/** Whether a symptom is part of the patient's history rather than happening now. */
interface SymptomTime {
  isHistory(match: PhraseMatch<EmergencyKind>): boolean;
}

/** A clause with a history cue and no present cue speaks of the past ("had a stroke in the past"). */
function judgeSymptomTime(input: MatchInput, model: NluModel, langs: number): SymptomTime {
  const clausesOf = (matches: readonly PhraseMatch<true>[]): Set<number | undefined> =>
    new Set(matches.map((match) => input.clauses[match.start]));
  const past = clausesOf(model.symptomHistory.find(input, { langs }));
  const now = clausesOf(model.symptomPresent.find(input, { langs }));
  return {
    isHistory(match) {
      const clause = input.clauses[match.start];
      return past.has(clause) && !now.has(clause);
    },
  };
}

export interface EmergencyHit {
  readonly kind: EmergencyKind;
  readonly quality: number;
}

export interface EmergencyReading {
  /** The most serious emergency keyword that is neither denied nor history, or null. */
  readonly hit: EmergencyHit | null;
  /** An emergency keyword was named only to deny it ("no chest pain", "кровотечения нет"). */
  readonly denied: boolean;
}

/** Kinds are listed most serious first, so "severe pain and I can't breathe" is about breathing. */
function seriousness(kind: EmergencyKind): number {
  return EMERGENCY_KINDS.indexOf(kind);
}

/** "no chest pain or shortness of breath": only carrier words stand between the two symptoms. */
function joinedByCarrier(
  previous: PhraseMatch<EmergencyKind>,
  next: PhraseMatch<EmergencyKind>,
  input: MatchInput,
  isCarrier: (index: number) => boolean,
): boolean {
  if (next.start <= previous.end || input.clauses[previous.start] !== input.clauses[next.start]) return false;
  for (let i = previous.end; i < next.start; i++) if (!isCarrier(i)) return false;
  return true;
}

/** Matches denied by a cue of their own, or by a denied symptom they are listed with. */
function deniedMatches(
  matches: readonly PhraseMatch<EmergencyKind>[],
  input: MatchInput,
  negation: Negation,
  isCarrier: (index: number) => boolean,
): Set<PhraseMatch<EmergencyKind>> {
  const denied = new Set<PhraseMatch<EmergencyKind>>();
  let previous: PhraseMatch<EmergencyKind> | null = null;
  for (const match of [...matches].sort((a, b) => a.start - b.start)) {
    const carried = previous !== null && denied.has(previous) && joinedByCarrier(previous, match, input, isCarrier);
    if (carried || negation.isNegated(match.start, match.end, EMERGENCY_NEGATION_WINDOW)) denied.add(match);
    previous = match;
  }
  return denied;
}

/** Symptoms that, after an injection, a medicine or a sting, are an allergic reaction. */
const ALLERGY_SIGNS: ReadonlySet<EmergencyKind> = new Set(['allergic_reaction', 'breathing', 'severe_swelling']);

export function readEmergency(
  matches: readonly PhraseMatch<EmergencyKind>[],
  input: MatchInput,
  model: NluModel,
  langs: number,
  negation: Negation,
): EmergencyReading {
  const carriers = new Set(model.negationCarriers.find(input, { langs }).flatMap((match) => match.tokens));
  const denied = deniedMatches(matches, input, negation, (i) => carriers.has(i));
  const time = judgeSymptomTime(input, model, langs);
  const current = matches.filter((match) => !denied.has(match) && !time.isHistory(match));
  let best: PhraseMatch<EmergencyKind> | null = null;
  for (const match of current) {
    if (best === null || seriousness(match.payload) < seriousness(best.payload)) best = match;
  }
  if (best === null) return { hit: null, denied: denied.size > 0 };
  // Swelling or breathing trouble after a jab or a pill: anaphylaxis until proven otherwise.
  const sign = current.find((match) => ALLERGY_SIGNS.has(match.payload));
  if (sign && ALLERGY_SIGNS.has(best.payload) && hasAllergyTrigger(input, model, negation)) {
    return { hit: { kind: 'allergic_reaction', quality: sign.quality }, denied: denied.size > 0 };
  }
  return { hit: { kind: best.payload, quality: best.quality }, denied: denied.size > 0 };
}

function hasAllergyTrigger(input: MatchInput, model: NluModel, negation: Negation): boolean {
  return model.allergyTriggers.find(input, { langs: ALL_LANGS }).some((match) => !negation.isNegated(match.start, match.end, EMERGENCY_NEGATION_WINDOW));
}
