/**
 * Yes/no answers. A "no" directly followed in its clause by something it negates ("no chest pain",
 * "no quiero la limpieza"), or right after it ("боли в груди нет"), is a negation cue, not an
 * answer; "No, I want the filling" is an answer.
 */
import type { YesNo } from '../model.js';
import type { PhraseMatch } from '../phrase-index.js';

const CUE_REACH = 6;
const AFTER_CUE_REACH = 3;

export interface YesNoHit {
  readonly value: YesNo;
  readonly quality: number;
  readonly tokens: readonly number[];
}

/**
 * @param targets phrases a "no" could negate (names, emergencies, intents)
 * @param isInsideOther tokens that belong to another recognised phrase ("לא נושם", "не могу дышать")
 */
export function resolveYesNo(
  matches: readonly PhraseMatch<YesNo>[],
  clauses: readonly number[],
  targets: readonly { readonly start: number; readonly end: number }[],
  isInsideOther: (index: number) => boolean,
): YesNoHit | null {
  for (const match of matches) {
    if (match.tokens.some(isInsideOther)) continue;
    if (match.payload === 'no') {
      const clause = clauses[match.start];
      const negatesSomething = targets.some(
        (t) =>
          (t.start >= match.end && t.start - match.end <= CUE_REACH && clauses[t.start] === clause) ||
          (t.end <= match.start && match.start - t.end <= AFTER_CUE_REACH && clauses[t.end - 1] === clause),
      );
      if (negatesSomething) continue;
    }
    return { value: match.payload, quality: match.quality, tokens: match.tokens };
  }
  return null;
}
