/**
 * Text normalization and tokenization for the offline NLU.
 * Everything the matchers compare goes through `normalizeWord`, so lexicon phrases and patient
 * messages meet in one form: lowercase, no diacritics (NFKD + combining marks removed, which also
 * drops Hebrew niqqud and turns ё→е, й→и, ñ→n, ç→c), no apostrophes or gershayim, no stretched letters.
 */
import { heAltForms, latinAltForms, stemWord } from './stem.js';

export type Script = 'latin' | 'cyrillic' | 'hebrew' | 'digit' | 'other';

/**
 * Another reading of a token: a Hebrew word with a one- or two-letter prefix (ב, ה, ו, ל, מ, ש, כ)
 * taken off, or a Spanish/Portuguese verb without its attached pronouns ("sacarme" → "sacar",
 * "marcá-la" → "marcar"; `prefix` is empty then).
 */
export interface AltForm {
  readonly prefix: string;
  readonly norm: string;
  readonly stem: string;
}

export type TokenKind = 'word' | 'number' | 'clock' | 'numericDate';

export interface Token {
  readonly index: number;
  readonly norm: string;
  readonly stem: string;
  readonly alts: readonly AltForm[];
  readonly script: Script;
  readonly kind: TokenKind;
  /** Offsets in the original text. */
  readonly start: number;
  readonly end: number;
  /** Set for `number` tokens. */
  readonly value?: number;
}

const COMBINING_MARKS = /\p{M}/gu;
/** A Portuguese pronoun hyphenated to its verb: "marcá-la", "marcar-me", "inchar-me". */
const HYPHEN_CLITIC = /^-(me|te|se|lo|la|los|las|lhe|lhes|nos|vos)(?![\p{L}])/u;
const JOINERS = /['’`׳״"]/g;
// clock "10:30" | numeric date "25/11", "25.11.2026" | digits | a word (letters, inner apostrophes/gershayim)
const TOKEN_RE = /\d{1,2}:\d{2}|\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?|\d+|[\p{L}\p{M}]+(?:['’`׳״"][\p{L}\p{M}]+)*/gu;

/** A letter written three or more times running is stretched for tone ("holaaa", "hiii", "приветттт"), never spelling. */
const STRETCHED = /(\p{L})\1{2,}/gu;

/** A word ending in "aa" or «аа» is stretched too ("diaa", "ultimaa", «даа»): no word of ours ends so. */
const STRETCHED_END = /([aа])\1$/u;

export function normalizeWord(word: string): string {
  const plain = word.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().replace(JOINERS, '');
  // "kkkkk" (a laugh) is no "k" (ok): a word of one letter repeated stays as written.
  const unstretched = plain.replace(STRETCHED, '$1').replace(STRETCHED_END, '$1');
  return unstretched.length > 1 ? unstretched : plain;
}

export function scriptOf(word: string): Script {
  const first = word.codePointAt(0);
  if (first === undefined) return 'other';
  if (first >= 0x30 && first <= 0x39) return 'digit';
  if (first >= 0x0590 && first <= 0x05ff) return 'hebrew';
  if (first >= 0x0400 && first <= 0x04ff) return 'cyrillic';
  if ((first >= 0x61 && first <= 0x7a) || (first >= 0xc0 && first <= 0x24f)) return 'latin';
  return 'other';
}

function kindOf(raw: string): TokenKind {
  if (/^\d+$/.test(raw)) return 'number';
  if (/^\d{1,2}:\d{2}$/.test(raw)) return 'clock';
  if (/^\d/.test(raw)) return 'numericDate';
  return 'word';
}

/** Splits a text into tokens; letters and digits never share a token ("10h" → "10", "h"). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN_RE)) {
    const raw = match[0];
    const start = match.index;
    const norm = normalizeWord(raw);
    if (norm.length === 0) continue;
    const script = scriptOf(norm);
    const kind = kindOf(raw);
    const stem = kind === 'word' ? stemWord(norm, script) : norm;
    const alts = script === 'hebrew' ? heAltForms(norm) : script === 'latin' && kind === 'word' ? latinAltForms(norm, HYPHEN_CLITIC.test(text.slice(start + raw.length, start + raw.length + 6))) : [];
    const base = { index: tokens.length, norm, stem, alts, script, kind, start, end: start + raw.length };
    tokens.push(kind === 'number' ? { ...base, value: Number(raw) } : base);
  }
  return tokens;
}

/** Lexicon words only need their normalized form and stem (no prefix variants). */
export interface LexWord {
  readonly norm: string;
  readonly stem: string;
}

export function lexWords(phrase: string): LexWord[] {
  return tokenize(phrase).map((token) => ({ norm: token.norm, stem: token.stem }));
}
