/**
 * A deliberately light stemmer: it only has to make inflected forms of the same word meet
 * (виниры/винирах/виниров, пломбу/пломбой, limpeza/limpezas, empaste/empastes, סתימה/סתימות).
 * It works on normalized words (see normalize.ts), so й is already и and ё is е.
 */
import type { AltForm, Script } from './normalize.js';

const RU_ENDINGS = [
  'иями', 'ться',
  'ями', 'ами', 'ого', 'его', 'ому', 'ему', 'ыми', 'ими', 'ием', 'иеи', 'иях', 'иям', 'тся',
  'ах', 'ях', 'ов', 'ев', 'ом', 'ем', 'ам', 'ям', 'ои', 'еи', 'ыи', 'ии', 'ая', 'яя', 'ое', 'ее',
  'ую', 'юю', 'ые', 'ие', 'ых', 'их', 'ым', 'им', 'ью', 'ья', 'ье', 'ия', 'ию', 'ть',
  'а', 'я', 'о', 'е', 'ы', 'и', 'у', 'ю', 'ь',
].sort((a, b) => b.length - a.length);

const RU_MIN_STEM = 2;
/** After a longer ending the stem keeps three letters: "приём" is "при", never "пр" like "про" and "при". */
const RU_MIN_STEM_LONG_ENDING = 3;

function stemRussian(word: string): string {
  for (const ending of RU_ENDINGS) {
    const min = ending.length > 1 ? RU_MIN_STEM_LONG_ENDING : RU_MIN_STEM;
    if (word.length - ending.length >= min && word.endsWith(ending)) {
      return word.slice(0, -ending.length);
    }
  }
  return word;
}

/** English, Spanish and Portuguese: plural -s/-es/-ões/-ies, then a final gender/theme vowel. */
function stemLatin(word: string): string {
  if (word.length <= 3) return word;
  let stem = word;
  if (stem.endsWith('oes')) stem = `${stem.slice(0, -3)}ao`;
  // Portuguese -ais/-eis plurals of -al/-el: "sinais" → "sinal", "papeis" → "papel".
  else if (/[ae]is$/.test(stem) && stem.length > 4) stem = `${stem.slice(0, -2)}l`;
  else if (stem.endsWith('ies') && stem.length > 4) stem = `${stem.slice(0, -3)}y`;
  else if (stem.endsWith('s') && !stem.endsWith('ss')) stem = stem.slice(0, -1);
  if (stem.length > 4 && /[aeo]$/.test(stem)) stem = stem.slice(0, -1);
  return stem;
}

function stemHebrew(word: string): string {
  if (word.length >= 4 && (word.endsWith('ים') || word.endsWith('ות'))) return word.slice(0, -2);
  if (word.length >= 3 && word.endsWith('ה')) return word.slice(0, -1);
  return word;
}

export function stemWord(norm: string, script: Script): string {
  switch (script) {
    case 'cyrillic':
      return stemRussian(norm);
    case 'latin':
      return stemLatin(norm);
    case 'hebrew':
      return stemHebrew(norm);
    default:
      return norm;
  }
}

/** Pronouns Spanish writes onto a verb: "sacarme", "cámbiame", "anuladla", "dármela". */
const CLITICS = ['nos', 'los', 'las', 'les', 'me', 'te', 'se', 'lo', 'la', 'le', 'os'];
const MIN_VERB = 4;

/**
 * The verb without the pronouns written onto it, and its infinitive where the ending shows it:
 * "sacarme" → sacar; "cambiame" → cambia, cambiar; "anuladla" → anulad, anular; "cancelenla" →
 * cancelen, cancelar. A Portuguese verb
 * before a hyphenated pronoun ("marcá-la" → "marca") gets its infinitive back too.
 */
export function latinAltForms(norm: string, hyphenClitic: boolean): AltForm[] {
  let base = norm;
  let changed = hyphenClitic;
  for (let round = 0; round < 2; round++) {
    const clitic = CLITICS.find((c) => base.endsWith(c) && base.length - c.length >= MIN_VERB && /[aeiordn]$/.test(base.slice(0, -c.length)));
    if (clitic === undefined) break;
    base = base.slice(0, -clitic.length);
    changed = true;
  }
  if (!changed) return [];
  const forms = base === norm ? [] : [base];
  if (base.endsWith('d')) forms.push(`${base.slice(0, -1)}r`);
  // "cancelenla", "llámenme", "cámbienmela": the polite plural of an -ar verb.
  else if (base.endsWith('en')) forms.push(`${base.slice(0, -2)}ar`);
  else if (/[aei]$/.test(base)) forms.push(`${base}r`);
  return forms.map((form) => ({ prefix: '', norm: form, stem: stemLatin(form) }));
}

const HE_PREFIXES = 'ובהלמשכ';
const HE_MIN_REST = 2;

/** "בסתימה" → {ב, סתימה}; "ובשבת" → {ו, בשבת}, {וב, שבת}. */
export function heAltForms(norm: string): AltForm[] {
  const alts: AltForm[] = [];
  const first = norm.charAt(0);
  if (!HE_PREFIXES.includes(first) || norm.length - 1 < HE_MIN_REST) return alts;
  const one = norm.slice(1);
  alts.push({ prefix: first, norm: one, stem: stemHebrew(one) });
  const second = norm.charAt(1);
  if (HE_PREFIXES.includes(second) && norm.length - 2 >= HE_MIN_REST) {
    const two = norm.slice(2);
    alts.push({ prefix: norm.slice(0, 2), norm: two, stem: stemHebrew(two) });
  }
  return alts;
}
