/**
 * Emergency keywords, matched in every language (a patient in distress may switch language) with
 * typo tolerance; a keyword under a negation cue in its clause ("no chest pain", "кровотечения
 * нет", "אין כאב בחזה") does not count.
 */
import type { EmergencyKind } from './lexicon-schema.js';
import { ALL_LANGS } from './langs.js';
import type { NluModel } from './model.js';
import type { Negation } from './negation.js';
import type { MatchInput, PhraseMatch } from './phrase-index.js';

export function findEmergencyPhrases(
  input: MatchInput,
  model: NluModel,
  gapBlocked: (index: number) => boolean,
): PhraseMatch<EmergencyKind>[] {
  return model.emergency.find(input, { langs: ALL_LANGS, gapBlocked });
}

export interface EmergencyHit {
  readonly kind: EmergencyKind;
  readonly quality: number;
}

/** The first emergency keyword that is not negated, or null. */
export function detectEmergency(matches: readonly PhraseMatch<EmergencyKind>[], negation: Negation): EmergencyHit | null {
  for (const match of matches) {
    if (!negation.isNegated(match.start, match.end)) return { kind: match.payload, quality: match.quality };
  }
  return null;
}

/** True when an emergency keyword was named only to deny it ("no chest pain", "кровотечения нет"). */
export function hasNegatedEmergency(matches: readonly PhraseMatch<EmergencyKind>[], negation: Negation): boolean {
  return matches.some((match) => negation.isNegated(match.start, match.end));
}
