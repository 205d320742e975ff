import { beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../../src/core/locale.js';
import type { Nlu } from '../../../src/nlu/index.js';
import { demoNlu, NOW } from './support.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await demoNlu();
});

const detected: [string, Locale | null][] = [
  ['I want to book a cleaning', 'en'],
  ["what's the price?", 'en'],
  ['veneers?', 'en'],
  ['Quiero una cita, por favor', 'es'],
  ['necesito un empaste', 'es'],
  ['gracias', 'es'],
  ['¿mañana?', 'es'],
  ['Quero marcar uma consulta', 'pt'],
  ['não', 'pt'],
  ['obrigado', 'pt'],
  ['limpezas', 'pt'],
  ['preciso de obturação', 'pt'],
  ['Хочу записаться', 'ru'],
  ['да', 'ru'],
  ['Hi, хочу записаться к Дану', 'ru'],
  ['שלום', 'he'],
  ['אני רוצה תור', 'he'],
  ['כֵּן', 'he'],
  // cannot tell
  ['2', null],
  ['ok', null],
  ['no', null],
  ['Dan', null],
  ['Dr. Ana Silva', null],
  ['10:30', null],
  ['👍', null],
  ['', null],
  // digits and symbols, letters glued to numbers, single letters: the conversation's language stays
  ['10am', null],
  ['15h', null],
  ['2x', null],
  ['k', null],
  ['???', null],
  ['12345', null],
  ['+351 912 345 678', null],
];

describe('language detection', () => {
  it.each(detected)('%j → %s', (text, language) => {
    expect(nlu.detectLanguage(text)).toBe(language);
    expect(nlu.understand(text, { locale: null, now: NOW }).language).toBe(language);
  });

  it('does not take the conversation language as the detected one', () => {
    expect(nlu.understand('2', { locale: 'ru', now: NOW }).language).toBeNull();
    expect(nlu.understand('gracias', { locale: 'en', now: NOW }).language).toBe('es');
  });

  it('tolerates case, accents and niqqud', () => {
    expect(nlu.understand('CARILLAS', { locale: null, now: NOW }).entities.serviceId).toBe('veneers');
    expect(nlu.understand('obturacao', { locale: null, now: NOW }).entities.serviceId).toBe('filling');
    expect(nlu.understand('סְתִימָה', { locale: null, now: NOW }).entities.serviceId).toBe('filling');
    expect(nlu.understand('Отбеливание', { locale: null, now: NOW }).entities.serviceId).toBe('whitening');
  });

  it('reads a patient who mixes languages', () => {
    const result = nlu.understand('Hola, I want to book carillas with Dr. Ana', { locale: null, now: NOW });
    expect(result.intent).toBe('book');
    expect(result.entities).toEqual({ serviceId: 'veneers', doctorId: 'dr-ana' });
  });
});
