import { describe, expect, it } from 'vitest';
import { withinOneEdit } from '../../../src/nlu/fuzzy.js';
import { normalizeWord, tokenize } from '../../../src/nlu/normalize.js';
import { heAltForms, stemWord } from '../../../src/nlu/stem.js';

describe('normalizeWord', () => {
  it.each([
    ['Obturação', 'obturacao'],
    ['CARILLAS', 'carillas'],
    ['mañana', 'manana'],
    ['Отбеливание', 'отбеливание'],
    ['ещё', 'еще'],
    ['סְתִימָה', 'סתימה'],
    ['ד״ר', 'דר'],
    ["don't", 'dont'],
  ])('%s → %s', (word, normalized) => {
    expect(normalizeWord(word)).toBe(normalized);
  });
});

describe('tokenize', () => {
  it('splits letters from digits and keeps clock times and day/month dates whole', () => {
    expect(tokenize('ב-10 at 10:30, 25/11, 10h30, 2nd').map((t) => [t.norm, t.kind])).toEqual([
      ['ב', 'word'],
      ['10', 'number'],
      ['at', 'word'],
      ['10:30', 'clock'],
      ['25/11', 'numericDate'],
      ['10', 'number'],
      ['h', 'word'],
      ['30', 'number'],
      ['2', 'number'],
      ['nd', 'word'],
    ]);
  });
});

describe('stemWord', () => {
  it.each([
    [['виниры', 'винирах', 'виниров', 'винирами'], 'cyrillic'],
    [['пломба', 'пломбу', 'пломбой'], 'cyrillic'],
    [['кровотечение', 'кровотечения', 'кровотечением'], 'cyrillic'],
    [['дан', 'дана', 'дану', 'даном'], 'cyrillic'],
    [['limpeza', 'limpezas'], 'latin'],
    [['empaste', 'empastes'], 'latin'],
    [['obturacao', 'obturacoes'], 'latin'],
    [['cavity', 'cavities'], 'latin'],
    [['סתימה', 'סתימות'], 'hebrew'],
  ] as const)('%j share a stem', (words, script) => {
    const stems = new Set(words.map((w) => stemWord(normalizeWord(w), script)));
    expect(stems.size).toBe(1);
  });

  it('takes Hebrew prefixes off as alternatives', () => {
    expect(heAltForms('בסתימה').map((a) => a.norm)).toContain('סתימה');
    expect(heAltForms('ובשבת').map((a) => a.norm)).toEqual(['בשבת', 'שבת']);
    expect(heAltForms('לא')).toEqual([]);
  });
});

describe('withinOneEdit (Damerau–Levenshtein ≤ 1)', () => {
  it.each([
    ['fillng', 'filling', true],
    ['filling', 'filling', true],
    ['flling', 'filling', true],
    ['fililng', 'filling', true],
    ['vneeers', 'veneers', true],
    ['вениры', 'виниры', true],
    ['cleanign', 'cleaning', true],
    ['fllng', 'filling', false],
    ['cleaning', 'clean', false],
    ['whitening', 'whitenign2', false],
  ])('%s ~ %s → %s', (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
    expect(withinOneEdit(b, a)).toBe(expected);
  });
});
