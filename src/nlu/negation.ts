/**
 * Clauses and negation. A negation cue ("no", "не", "לא", "sin", "não") negates what follows it in
 * the same clause, within a few words; a trailing cue ("кровотечения нет") negates what precedes
 * it. Clauses end at punctuation and at words such as "but", "но", "אבל", "pero", "mas".
 * Cues that belong to a phrase recognised as something else ("can't breathe", "не могу прийти",
 * "no problem") are not cues.
 */
import type { NluModel } from './model.js';
import type { Token } from './normalize.js';
import { MatchInput, type PhraseMatch } from './phrase-index.js';

// An emoji ends a thought as a full stop does ("she can't stand hearing me 😅 can I see a GP?").
const CLAUSE_PUNCTUATION = /[,;!?¿¡…()\n]|\.(?!\d)|:(?!\d)|\p{Extended_Pictographic}/u;
const WINDOW_BEFORE = 6;
const WINDOW_AFTER = 3;

function isAbbreviation(token: Token | undefined, titles: ReadonlySet<string>): boolean {
  return token !== undefined && token.kind === 'word' && (token.norm.length === 1 || titles.has(token.norm));
}

/** Clause number of every token, from punctuation and clause-break words of the given languages. */
export function assignClauses(text: string, tokens: readonly Token[], model: NluModel, langs: number): number[] {
  const byPunctuation: number[] = [];
  let clause = 0;
  tokens.forEach((token, i) => {
    const previous = tokens[i - 1];
    if (previous !== undefined) {
      const between = text.slice(previous.end, token.start);
      const onlyAbbreviationDot = between.trim() === '.' && isAbbreviation(previous, model.titles);
      if (!onlyAbbreviationDot && CLAUSE_PUNCTUATION.test(between)) clause++;
    }
    byPunctuation.push(clause);
  });
  const breaks = model.clauseBreaks.find(new MatchInput(tokens, byPunctuation), { langs });
  if (breaks.length === 0) return byPunctuation;
  const breakAt = new Set(breaks.map((match) => match.start));
  const clauses: number[] = [];
  let extra = 0;
  tokens.forEach((_token, i) => {
    if (i > 0 && breakAt.has(i)) extra++;
    clauses.push((byPunctuation[i] ?? 0) * 1000 + extra);
  });
  return clauses;
}

export interface Negation {
  /**
   * True when the tokens start..end-1 are under a negation cue. `windowBefore` narrows how far back
   * a cue may stand (emergencies: "I don't know what to do my husband fainted" is not a denial).
   */
  isNegated(start: number, end: number, windowBefore?: number): boolean;
  /** Where the cue before `start` that negates it ends, or null when nothing before it does. */
  cueEndBefore(start: number): number | null;
  /** The clause of this token holds a negation cue. */
  inNegatedClause(index: number): boolean;
}

export function buildNegation(
  input: MatchInput,
  model: NluModel,
  langs: number,
  protectedTokens: ReadonlySet<number>,
): Negation {
  // A cue wholly inside a phrase is part of it ("can't breathe", "no voy al médico"); one reaching past it
  // still negates ("ya no voy a necesitar el ECG").
  const free = (match: PhraseMatch<true>): boolean => match.tokens.some((t) => !protectedTokens.has(t));
  const before = model.negationBefore.find(input, { langs }).filter(free);
  const after = model.negationAfter.find(input, { langs }).filter(free);
  const { clauses } = input;
  /** The nearest cue before `start` in its clause and window. */
  const cueBefore = (start: number, windowBefore: number): PhraseMatch<true> | undefined =>
    before
      .filter((cue) => cue.end <= start && start - cue.end <= windowBefore && clauses[cue.start] === clauses[start])
      .reduce<PhraseMatch<true> | undefined>((nearest, cue) => (nearest === undefined || cue.end > nearest.end ? cue : nearest), undefined);
  const negatedClauses = new Set([...before, ...after].map((cue) => clauses[cue.start]));
  return {
    inNegatedClause: (index) => negatedClauses.has(clauses[index]),
    cueEndBefore(start) {
      return cueBefore(start, WINDOW_BEFORE)?.end ?? null;
    },
    isNegated(start, end, windowBefore = WINDOW_BEFORE) {
      if (cueBefore(start, windowBefore)) return true;
      const lastClause = clauses[end - 1];
      for (const cue of after) {
        if (cue.start >= end && cue.start - end <= WINDOW_AFTER && clauses[cue.start] === lastClause) return true;
      }
      return false;
    },
  };
}
