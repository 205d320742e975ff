/**
 * The one-word lists the date reader consults (`dates.minuteJoiners`, `dates.listJoiners`,
 * `dates.onBeforeDay`, `options.articles`) come from the locale files: each shipped word changes
 * the reading, and a word a translator adds is read the same way.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadClinic } from '../../../src/config/clinic.js';
import type { Clinic } from '../../../src/config/catalog-schema.js';
import type { Locale } from '../../../src/core/locale.js';
import { createNlu, loadNluLexicons, type Nlu, type NluLexicons } from '../../../src/nlu/index.js';
import { LOCALES_DIR } from './support.js';

const NOW = new Date('2026-12-07T09:00:00Z');
let clinic: Clinic;
let shipped: NluLexicons;

beforeAll(async () => {
  clinic = await loadClinic(path.join(import.meta.dirname, '../../fixtures/family-clinic.json'));
  shipped = await loadNluLexicons(LOCALES_DIR);
});

type SmallList = 'minuteJoiners' | 'listJoiners' | 'onBeforeDay' | 'articles';

/** The shipped lexicons with one language's list replaced. */
function withList(locale: Locale, list: SmallList, words: string[]): Nlu {
  const lexicons = structuredClone(shipped);
  const lexicon = lexicons[locale];
  if (list === 'articles') lexicon.options.articles = words;
  else lexicon.dates[list] = words;
  return createNlu(clinic, lexicons);
}

const read = (nlu: Nlu, text: string) => nlu.understand(text, { locale: null, now: NOW });

describe('small word lists from the locale files', () => {
  it('minute joiners: "às 9 e 40" is 09:40, and without "e" on the list only the hour is read', () => {
    const text = 'às 9 e 40 pode ser?';
    expect(read(createNlu(clinic, shipped), text).entities.date).toMatchObject({ local: '2026-12-07T09:40', hasTime: true });
    expect(read(withList('pt', 'minuteJoiners', []), text).entities.date).toMatchObject({ local: '2026-12-08T09:00' });
  });

  it('a minute joiner a translator adds ("and" in English) joins minutes to the hour', () => {
    const text = 'can I come at 2 and 20?';
    expect(read(createNlu(clinic, shipped), text).entities.date?.local).not.toMatch(/T14:20$/);
    expect(read(withList('en', 'minuteJoiners', ['and']), text).entities.date).toMatchObject({ local: '2026-12-07T14:20', hasTime: true });
  });

  it('list joiners: in "de 4 y 6 años" both numbers are ages, no four o\'clock', () => {
    const text = 'tengo dos, de 4 y 6 años';
    expect(read(createNlu(clinic, shipped), text).entities.date).toBeUndefined();
    expect(read(withList('es', 'listJoiners', []), text).entities.date).toMatchObject({ hasTime: true, local: '2026-12-07T16:00' });
  });

  it('"on" before a day: Portuguese "no sábado" books Saturday rather than refusing it', () => {
    const text = 'no sábado pode ser';
    const result = read(createNlu(clinic, shipped), text);
    expect(result.intent).toBe('book');
    expect(result.entities.date).toMatchObject({ local: '2026-12-12', byWeekday: true });
    expect(read(withList('pt', 'onBeforeDay', []), text).entities.date).toBeUndefined();
  });

  it('articles: "la 3 con el enfermero" is the third of something, not three o\'clock', () => {
    const text = 'la 3 con el enfermero';
    expect(read(createNlu(clinic, shipped), text).entities.date).toBeUndefined();
    expect(read(withList('es', 'articles', []), text).entities.date).toMatchObject({ local: '2026-12-07T15:00', hasTime: true });
  });
});
