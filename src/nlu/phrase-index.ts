/**
 * A precompiled list of phrases (lexicon entries or catalog names) and the matcher that finds them
 * in a tokenized message, tolerating inflections, Hebrew prefixes and one-letter typos as configured.
 */
import { deletionKeys, FUZZY_MIN_LENGTH, isFuzzyMatch } from './fuzzy.js';
import { lexWords, type LexWord, type Token } from './normalize.js';

const QUALITY_EXACT = 1;
const QUALITY_STEM = 0.9;
const QUALITY_PREFIX = 0.9;
const QUALITY_FUZZY = 0.75;

export interface MatchOptions {
  /** Compare stems as well as exact forms. */
  readonly stem: boolean;
  /** Allow one typo in words of five letters or more. */
  readonly fuzzy: boolean;
  /** Raise that length where a typo would turn an everyday word into a keyword ("paint" → "faint"). */
  readonly fuzzyMinLength?: number;
  /** A typo never in the first letter: "fillng" is a filling, "killing" is not. */
  readonly fuzzyKeepsFirstLetter?: boolean;
  /** Accept Hebrew words with a prefix letter taken off. */
  readonly prefixes: boolean;
  /** Unmatched words allowed between two words of a phrase ("make a new appointment"). */
  readonly maxGap: number;
}

interface Entry<P> {
  readonly words: readonly LexWord[];
  readonly payload: P;
  langs: number;
}

export interface PhraseMatch<P> {
  readonly payload: P;
  /** First and one-past-last token index of the match. */
  readonly start: number;
  readonly end: number;
  /** Tokens that matched phrase words (gap words excluded). */
  readonly tokens: readonly number[];
  readonly quality: number;
  readonly langs: number;
}

/** What one message offers to every index: its tokens, clause numbers and a per-token cache. */
export class MatchInput {
  private readonly deletions = new Map<number, readonly string[]>();

  constructor(
    readonly tokens: readonly Token[],
    readonly clauses: readonly number[],
  ) {}

  deletionKeysOf(index: number): readonly string[] {
    let keys = this.deletions.get(index);
    if (keys === undefined) {
      const token = this.tokens[index];
      keys = token && token.kind === 'word' && token.norm.length >= FUZZY_MIN_LENGTH ? fuzzyKeys(token) : [];
      this.deletions.set(index, keys);
    }
    return keys;
  }
}

function fuzzyKeys(token: Token): string[] {
  return deletionKeys(token.norm);
}

export interface MatchScope {
  /** Bit set of languages whose entries may match (see LANG_BITS). */
  readonly langs: number;
  /** Tokens another extractor has already taken. */
  readonly isTaken?: (index: number) => boolean;
  /** Tokens a phrase may not skip over as a gap word (negation cues: "мне [не] нужно"). */
  readonly gapBlocked?: (index: number) => boolean;
}

export function wordQuality(token: Token, word: LexWord, options: MatchOptions): number {
  if (token.norm === word.norm) return QUALITY_EXACT;
  if (token.kind !== 'word') return 0;
  // A two-letter word is only itself: longer words that stem to it are other words ("עלות" is not "על").
  if (options.stem && token.stem === word.stem && (token.norm.length > 2 || word.norm.length <= 2)) return QUALITY_STEM;
  if (options.prefixes) {
    for (const alt of token.alts) {
      if (alt.norm === word.norm || (options.stem && alt.stem === word.stem)) return QUALITY_PREFIX;
    }
  }
  if (options.fuzzy && token.norm.length >= (options.fuzzyMinLength ?? 0) && isFuzzyMatch(token.norm, word.norm)) {
    if (options.fuzzyKeepsFirstLetter && token.norm.charAt(0) !== word.norm.charAt(0)) return 0;
    return QUALITY_FUZZY;
  }
  return 0;
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}

export class PhraseIndex<P> {
  private readonly entries: Entry<P>[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly exact = new Map<string, number[]>();
  private readonly stems = new Map<string, number[]>();
  private readonly fuzzy = new Map<string, number[]>();

  constructor(readonly options: MatchOptions) {}

  /** Adds a phrase; the same phrase with the same payload from several languages is kept once. */
  add(phrase: string, payload: P, langBit: number, payloadKey: string = String(payload)): void {
    const words = lexWords(phrase);
    const first = words[0];
    if (first === undefined) return;
    const key = `${words.map((w) => w.norm).join(' ')}\u0000${payloadKey}`;
    const known = this.byKey.get(key);
    if (known !== undefined) {
      const entry = this.entries[known];
      if (entry) entry.langs |= langBit;
      return;
    }
    const id = this.entries.length;
    this.entries.push({ words, payload, langs: langBit });
    this.byKey.set(key, id);
    push(this.exact, first.norm, id);
    if (this.options.stem) push(this.stems, first.stem, id);
    if (this.options.fuzzy && first.norm.length >= FUZZY_MIN_LENGTH) {
      for (const k of new Set(deletionKeys(first.norm))) push(this.fuzzy, k, id);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** Every match of every phrase, overlapping ones included. */
  findAll(input: MatchInput, scope: MatchScope): PhraseMatch<P>[] {
    const matches: PhraseMatch<P>[] = [];
    const { tokens } = input;
    for (let i = 0; i < tokens.length; i++) {
      if (scope.isTaken?.(i)) continue;
      for (const id of this.candidates(input, i)) {
        const entry = this.entries[id];
        if (entry === undefined || (entry.langs & scope.langs) === 0) continue;
        const match = this.matchAt(input, i, entry, scope);
        if (match) matches.push(match);
      }
    }
    return matches;
  }

  /** The longest, best matches that do not overlap, in text order. */
  find(input: MatchInput, scope: MatchScope): PhraseMatch<P>[] {
    return selectNonOverlapping(this.findAll(input, scope));
  }

  private candidates(input: MatchInput, index: number): Set<number> {
    const token = input.tokens[index];
    const ids = new Set<number>();
    if (token === undefined) return ids;
    const add = (list: readonly number[] | undefined): void => {
      if (list) for (const id of list) ids.add(id);
    };
    add(this.exact.get(token.norm));
    if (token.kind !== 'word') return ids;
    if (this.options.stem) add(this.stems.get(token.stem));
    if (this.options.prefixes) {
      for (const alt of token.alts) {
        add(this.exact.get(alt.norm));
        if (this.options.stem) add(this.stems.get(alt.stem));
      }
    }
    if (this.options.fuzzy) for (const key of input.deletionKeysOf(index)) add(this.fuzzy.get(key));
    return ids;
  }

  private matchAt(input: MatchInput, start: number, entry: Entry<P>, scope: MatchScope): PhraseMatch<P> | null {
    const { tokens, clauses } = input;
    const firstToken = tokens[start];
    const firstWord = entry.words[0];
    if (firstToken === undefined || firstWord === undefined) return null;
    let quality = wordQuality(firstToken, firstWord, this.options);
    if (quality === 0) return null;
    const used = [start];
    let position = start;
    const clause = clauses[start];
    for (let w = 1; w < entry.words.length; w++) {
      const word = entry.words[w];
      if (word === undefined) return null;
      let found = -1;
      const last = Math.min(tokens.length - 1, position + 1 + this.options.maxGap);
      for (let p = position + 1; p <= last; p++) {
        if (clauses[p] !== clause) break;
        const token = tokens[p];
        if (token === undefined || scope.isTaken?.(p)) continue;
        const q = wordQuality(token, word, this.options);
        if (q > 0) {
          quality = Math.min(quality, q);
          found = p;
          break;
        }
        if (scope.gapBlocked?.(p)) break;
      }
      if (found < 0) return null;
      used.push(found);
      position = found;
    }
    return { payload: entry.payload, start, end: position + 1, tokens: used, quality, langs: entry.langs };
  }
}

/** Keeps the matches with the most words (then best quality, then tightest span) that do not overlap. */
export function selectNonOverlapping<P>(matches: readonly PhraseMatch<P>[]): PhraseMatch<P>[] {
  const ranked = [...matches].sort(
    (a, b) =>
      b.tokens.length - a.tokens.length ||
      b.quality - a.quality ||
      a.end - a.start - (b.end - b.start) ||
      a.start - b.start,
  );
  const taken: boolean[] = [];
  const chosen: PhraseMatch<P>[] = [];
  for (const match of ranked) {
    // Only the words a phrase matched are its own: a word skipped as a gap may be another phrase
    // ("мою запись сдвинуть на": the move is not part of "my appointments on").
    if (match.tokens.some((i) => taken[i])) continue;
    for (const i of match.tokens) taken[i] = true;
    chosen.push(match);
  }
  return chosen.sort((a, b) => a.start - b.start);
}
