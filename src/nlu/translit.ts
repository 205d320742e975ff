/**
 * Russian typed in Latin letters ("perenesite moyu zapis na subbotu", "mozhno v sredu?"), as
 * people do on a phone without a Cyrillic keyboard. Such a message is spelled back in Cyrillic
 * the way it is usually typed (zh → ж, ya → я, y after a vowel → й …) and read as Russian when
 * its Russian words outnumber its English, Spanish and Portuguese ones two to one (in a Russian
 * conversation, when they simply outnumber them).
 */
import type { Locale } from '../core/locale.js';
import { tokenize, type Token } from './normalize.js';

/** Longest first: "shch" before "sh", "zh" before "z". */
const SPELLINGS: readonly (readonly [string, string])[] = [
  ['shch', 'щ'], ['sch', 'щ'], ['zh', 'ж'], ['kh', 'х'], ['ch', 'ч'], ['sh', 'ш'], ['ts', 'ц'],
  ['yu', 'ю'], ['ju', 'ю'], ['ya', 'я'], ['ja', 'я'], ['yo', 'ё'], ['jo', 'ё'], ['ye', 'е'], ['je', 'е'],
  ['a', 'а'], ['b', 'б'], ['v', 'в'], ['g', 'г'], ['d', 'д'], ['e', 'е'], ['z', 'з'], ['i', 'и'],
  ['j', 'й'], ['k', 'к'], ['l', 'л'], ['m', 'м'], ['n', 'н'], ['o', 'о'], ['p', 'п'], ['r', 'р'],
  ['s', 'с'], ['t', 'т'], ['u', 'у'], ['f', 'ф'], ['h', 'х'], ['c', 'ц'], ['w', 'в'], ['x', 'х'],
  ['q', 'к'], ["'", 'ь'],
];
const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);
/** Fewest Russian words a message needs before it is read as Russian. */
const MIN_RUSSIAN_WORDS = 2;
/** A word this long alone may be Russian outside a Russian conversation. */
const LONG_WORD = 5;

/** One Latin word spelled in Cyrillic; "y" is й after a vowel and ы elsewhere. */
export function toCyrillic(word: string): string {
  const lower = word.toLowerCase();
  let out = '';
  for (let i = 0; i < lower.length; ) {
    if (lower[i] === 'y' && !['a', 'u', 'o', 'e'].includes(lower[i + 1] ?? '')) {
      out += i > 0 && VOWELS.has(lower[i - 1] ?? '') ? 'й' : 'ы';
      i += 1;
      continue;
    }
    const spelling = SPELLINGS.find(([latin]) => lower.startsWith(latin, i));
    if (spelling) {
      out += spelling[1];
      i += spelling[0].length;
    } else {
      out += lower[i];
      i += 1;
    }
  }
  return out;
}

export interface TranslitVocabulary {
  /** Normalized Russian words and stems of the lexicon and the catalog, without soft or hard signs. */
  readonly russian: ReadonlySet<string>;
  /** The same words without their signs → as the lexicon spells them ("сколко" → "сколько"). */
  readonly spellings: ReadonlyMap<string, string>;
  /** Is this Latin token a word of English, Spanish or Portuguese? */
  isLatinWord(token: Token): boolean;
}

function isRussianWord(token: Token, vocabulary: TranslitVocabulary): boolean {
  return token.norm.length >= 2 && [token.norm, token.stem].some((form) => vocabulary.russian.has(withoutSigns(form)));
}

/**
 * A Latin word in Cyrillic as the lexicon spells it when it knows the word: the soft sign put
 * back ("skolko" → "сколько") and an opening "e" read as "э" where that makes a word ("ekg" → "экг").
 */
function spellBack(latin: string, vocabulary: TranslitVocabulary): string {
  const plain = toCyrillic(latin);
  const candidates = plain.startsWith('е') ? [plain, `э${plain.slice(1)}`] : [plain];
  for (const candidate of candidates) {
    const known = vocabulary.spellings.get(withoutSigns(candidate.replace(/ё/g, 'е')));
    if (known !== undefined) return known;
  }
  return plain;
}

/** Soft and hard signs are mostly left out in Latin letters ("zapis", "bolshoe"). */
export function withoutSigns(word: string): string {
  return word.replace(/[ьъ]/g, '');
}

/** Words only in Latin letters (digits and signs aside). */
export function isLatinOnly(tokens: readonly Token[]): boolean {
  const words = tokens.filter((token) => token.kind === 'word');
  return words.length > 0 && words.every((token) => token.script === 'latin');
}

/** The message with every Latin word spelled in Cyrillic. */
export function spellInCyrillic(text: string, tokens: readonly Token[], vocabulary: TranslitVocabulary): string {
  let cyrillic = '';
  let at = 0;
  for (const token of tokens.filter((t) => t.kind === 'word')) {
    cyrillic += text.slice(at, token.start) + spellBack(text.slice(token.start, token.end), vocabulary);
    at = token.end;
  }
  return cyrillic + text.slice(at);
}

/**
 * The message in Cyrillic, with its tokens, when it is Russian written in Latin letters, else
 * null. In a Russian conversation the Russian words need only outnumber the Latin languages'
 * words; otherwise two to one ("no problem" stays English).
 */
export function russianFromLatin(
  text: string,
  tokens: readonly Token[],
  vocabulary: TranslitVocabulary,
  hint: Locale | null,
): { text: string; tokens: Token[] } | null {
  const words = tokens.filter((token) => token.kind === 'word');
  // In a Russian conversation one word will do ("spasibo"); elsewhere it takes two, or one long one ("privet").
  const needed = hint === 'ru' || (words.length === 1 && (words[0]?.norm.length ?? 0) >= LONG_WORD) ? 1 : MIN_RUSSIAN_WORDS;
  if (words.length < needed || !isLatinOnly(tokens)) return null;
  // One-letter words ("a", "i", "u", "y") are as Russian as they are Spanish, English or Portuguese.
  const latinWords = words.filter((token) => token.norm.length > 1 && vocabulary.isLatinWord(token)).length;
  const russianNeeded = Math.max(needed, hint === 'ru' ? latinWords + 1 : 2 * latinWords);
  // Every word spells back as one word: a message mostly of English, Spanish or Portuguese words is never spelled.
  if (words.length < russianNeeded) return null;
  const cyrillic = spellInCyrillic(text, tokens, vocabulary);
  const spelled = tokenize(cyrillic);
  const russianWords = spelled.filter((token) => isRussianWord(token, vocabulary)).length;
  const outnumbers = russianWords >= russianNeeded && (hint === 'ru' || russianWords > words.length / 3);
  return outnumbers ? { text: cyrillic, tokens: spelled } : null;
}
