/**
 * One-typo tolerance: Damerau–Levenshtein distance ≤ 1 (one insertion, deletion, substitution or
 * swap of two neighbours), only between words of at least FUZZY_MIN_LENGTH letters.
 * Candidates are found with a symmetric-deletion index, so no lexicon scan is needed per word.
 */

export const FUZZY_MIN_LENGTH = 5;

function sameFrom(a: string, ai: number, b: string, bi: number): boolean {
  if (a.length - ai !== b.length - bi) return false;
  for (let k = 0; ai + k < a.length; k++) {
    if (a.charCodeAt(ai + k) !== b.charCodeAt(bi + k)) return false;
  }
  return true;
}

/** True when a and b are at most one Damerau–Levenshtein edit apart. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const diff = a.length - b.length;
  if (diff > 1 || diff < -1) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && short.charCodeAt(i) === long.charCodeAt(i)) i++;
  if (short.length !== long.length) return sameFrom(short, i, long, i + 1);
  if (sameFrom(a, i + 1, b, i + 1)) return true;
  return (
    i + 1 < a.length &&
    a.charCodeAt(i) === b.charCodeAt(i + 1) &&
    a.charCodeAt(i + 1) === b.charCodeAt(i) &&
    sameFrom(a, i + 2, b, i + 2)
  );
}

/** The word itself and every form with one letter removed. */
export function deletionKeys(word: string): string[] {
  const keys = [word];
  for (let i = 0; i < word.length; i++) keys.push(word.slice(0, i) + word.slice(i + 1));
  return keys;
}

/** True when both words are long enough to tolerate a typo and are one edit apart. */
export function isFuzzyMatch(input: string, lexicon: string): boolean {
  return input.length >= FUZZY_MIN_LENGTH && lexicon.length >= FUZZY_MIN_LENGTH && withinOneEdit(input, lexicon);
}
