import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_LOCALES, type Locale } from '../../../src/core/locale.js';
import { createTranslator, type Translator } from '../../../src/i18n/i18n.js';
import { defaultLocalesDir } from '../../../src/i18n/locales-dir.js';
import { createRenderer, type Renderer } from '../../../src/i18n/render.js';
import { SAMPLE_PARAMS, testClinic } from './fixtures.js';

let translator: Translator;
let renderer: Renderer;

beforeAll(async () => {
  translator = await createTranslator(defaultLocalesDir());
  renderer = createRenderer(translator, testClinic());
});

const say = (locale: Locale, key: string, params: Record<string, string | number> = {}): string =>
  renderer.render([{ key, params }], locale)[0]?.text ?? '';

describe('plural forms', () => {
  it('Russian minutes: one, few, many (1, 2, 5, 21)', () => {
    expect(translator.t('ru', 'time.minutes', { count: 1 })).toBe('1 минута');
    expect(translator.t('ru', 'time.minutes', { count: 2 })).toBe('2 минуты');
    expect(translator.t('ru', 'time.minutes', { count: 5 })).toBe('5 минут');
    expect(translator.t('ru', 'time.minutes', { count: 21 })).toBe('21 минута');
  });

  it('Russian waits through the renderer, in minutes and in hours', () => {
    expect(say('ru', 'escalation.ack', { waitMinutes: 21 })).toContain('21 минута.');
    expect(say('ru', 'escalation.ack', { waitMinutes: 2 })).toContain('2 минуты.');
    expect(say('ru', 'escalation.ack', { waitMinutes: 5 })).toContain('5 минут.');
    expect(say('ru', 'escalation.ack', { waitMinutes: 60 })).toContain('1 час.');
    expect(say('ru', 'escalation.ack', { waitMinutes: 90 })).toContain('1,5 часа.');
    expect(say('ru', 'escalation.ack', { waitMinutes: 300 })).toContain('5 часов.');
  });

  it('Hebrew minutes and hours: one, two, other (1, 2, 3)', () => {
    expect(translator.t('he', 'time.minutes', { count: 1 })).toBe('דקה אחת');
    expect(translator.t('he', 'time.minutes', { count: 2 })).toBe('שתי דקות');
    expect(translator.t('he', 'time.minutes', { count: 3 })).toBe('3 דקות');
    expect(say('he', 'escalation.ack', { waitMinutes: 120 })).toContain('תוך שעתיים');
    expect(say('he', 'escalation.ack', { waitMinutes: 60 })).toContain('תוך שעה');
    expect(say('he', 'escalation.ack', { waitMinutes: 15 })).toContain('תוך 15 דקות');
  });

  it('Spanish and Portuguese: one and other (1, 2), decimals as the language writes them', () => {
    expect(translator.t('es', 'time.minutes', { count: 1 })).toBe('1 minuto');
    expect(translator.t('es', 'time.minutes', { count: 2 })).toBe('2 minutos');
    expect(translator.t('pt', 'time.minutes', { count: 1 })).toBe('1 minuto');
    expect(translator.t('pt', 'time.minutes', { count: 2 })).toBe('2 minutos');
    expect(say('es', 'escalation.ack', { waitMinutes: 90 })).toContain('1,5 horas');
  });

  it('Russian options menu counts', () => {
    expect(say('ru', 'booking.offer_slots', { serviceId: 'cleaning', count: 3 })).toContain('3 свободных окна');
    expect(say('ru', 'booking.offer_slots', { serviceId: 'cleaning', count: 5 })).toContain('5 свободных окон');
    expect(say('ru', 'booking.offer_slots', { serviceId: 'cleaning', count: 1 })).toContain('1 свободное окно');
  });
});

describe('direction', () => {
  it('Hebrew is right-to-left, the others left-to-right', () => {
    expect(translator.dir('he')).toBe('rtl');
    for (const locale of ['en', 'es', 'ru', 'pt'] as const) expect(translator.dir(locale)).toBe('ltr');
  });
});

/** Each bot.json key once, plural groups by their base key. */
async function botKeys(): Promise<{ plain: string[]; plural: string[] }> {
  const text = await readFile(path.join(defaultLocalesDir(), 'en', 'bot.json'), 'utf8');
  const keys = Object.keys(translatorStrings(JSON.parse(text) as Record<string, unknown>));
  const plural = new Set<string>();
  const plain: string[] = [];
  for (const key of keys) {
    const match = /^(.+)_(one|other)$/.exec(key);
    if (match?.[1]) plural.add(match[1]);
    else plain.push(key);
  }
  return { plain, plural: [...plural] };
}

function translatorStrings(tree: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${name}` : name;
    if (typeof value === 'string') out[key] = value;
    else if (value && typeof value === 'object') Object.assign(out, translatorStrings(value as Record<string, unknown>, key));
  }
  return out;
}

/** A count for each plural category of the language, so every form gets rendered. */
function countsFor(locale: Locale): number[] {
  const rules = new Intl.PluralRules(locale);
  const byCategory = new Map<string, number>();
  for (const n of [1, 2, 3, 5, 21, 1_000_000, 1.5]) {
    const category = rules.select(n);
    if (!byCategory.has(category)) byCategory.set(category, n);
  }
  return [...byCategory.values()];
}

/** Words that only English would put in a reply. */
const ENGLISH_WORDS = /\b(the|you|your|please|with|appointments?|sorry|which|would|here|there|available|booked?|reply|hello|help|message|staff|minutes?|hours?|upcoming|service)\b/i;

describe('every bot message in every language', () => {
  for (const locale of SUPPORTED_LOCALES) {
    it(`renders completely in ${locale}`, async () => {
      const { plain, plural } = await botKeys();
      const cases: { key: string; params: Record<string, string | number> }[] = [
        ...plain.map((key) => ({ key, params: SAMPLE_PARAMS })),
        ...plural.flatMap((key) =>
          countsFor(locale).map((count) => ({
            key,
            // as the renderer passes it for time.hours
            params: { ...SAMPLE_PARAMS, count, formattedCount: new Intl.NumberFormat(locale).format(count) },
          })),
        ),
      ];
      expect(cases.length).toBeGreaterThan(50);
      for (const { key, params } of cases) {
        const text = say(locale, key, params);
        const label = `${locale} ${key} (count ${String(params.count ?? '-')}): ${text}`;
        expect(text.trim(), label).not.toBe('');
        expect(text, label).not.toContain('{{');
        expect(text, label).not.toContain('}}');
        expect(text, label).not.toBe(key);
        expect(text, label).not.toMatch(/undefined|null|NaN|\[object/);
        if (locale === 'en') continue;
        expect(text, label).not.toBe(say('en', key, params));
        if (locale === 'ru') {
          expect(text, label).toMatch(/\p{Script=Cyrillic}/u);
          expect(text, label).not.toMatch(/[A-Za-z]/);
        } else if (locale === 'he') {
          expect(text, label).toMatch(/\p{Script=Hebrew}/u);
          expect(text, label).not.toMatch(/[A-Za-z]/);
        } else {
          expect(text, label).not.toMatch(ENGLISH_WORDS);
        }
      }
    });
  }

  it('keeps every interpolated value: the service, doctor and time reach the Russian confirmation', () => {
    const text = say('ru', 'booking.confirm', SAMPLE_PARAMS);
    expect(text).toContain('«Чистка зубов»');
    expect(text).toContain('Доктор Ана Руис');
    expect(text).toMatch(/вт, 3 мар\.?, 10:00/);
  });
});

describe('wording by the clinic kind (catalog "kind")', () => {
  const DENTIST: Record<Locale, RegExp> = { en: /dentist/i, es: /dentista/i, ru: /стоматолог/i, he: /שיניים/, pt: /dentista/i };
  const urgentCare = (kind: 'dental' | 'medical' | 'mixed', locale: Locale): string =>
    createRenderer(translator, { ...testClinic(), kind }).render([{ key: 'escalation.urgent_care' }], locale)[0]?.text ?? '';

  it.each(SUPPORTED_LOCALES.map((locale) => [locale] as const))('%s: only a dental clinic sends urgent cases to "a dentist"', (locale) => {
    expect(urgentCare('dental', locale)).toMatch(DENTIST[locale]);
    expect(urgentCare('medical', locale)).not.toMatch(DENTIST[locale]);
    expect(urgentCare('mixed', locale)).not.toMatch(DENTIST[locale]);
    expect(urgentCare('medical', locale)).not.toBe(urgentCare('mixed', locale));
    // The rest of the advice is the same whatever the kind.
    expect(urgentCare('mixed', locale)).toContain('112');
  });
});
