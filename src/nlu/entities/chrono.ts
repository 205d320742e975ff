/**
 * chrono-node for the languages it supports (en, es, pt, ru): calendar dates ("28 de noviembre",
 * "Nov 28", "1 декабря"), relative ones ("in 3 days", "через 2 дня", "next week") and times it
 * reads well. Words our own lexicon handles are masked out of the text before chrono sees it.
 *
 * chrono's reference `timezone` accepts an abbreviation or an offset in minutes, not an IANA name,
 * so the caller passes the clinic zone's current offset; only chrono's wall-clock components are
 * read here, and the caller turns them into an instant in the IANA zone with luxon.
 */
// One module per language rather than the package's index, which loads every language chrono
// knows (some 20 MB of memory for the dozen we never use).
import type { Chrono } from 'chrono-node';
import { casual as english } from 'chrono-node/en';
import { casual as spanish } from 'chrono-node/es';
import { casual as portuguese } from 'chrono-node/pt';
import { casual as russian } from 'chrono-node/ru';

export type ChronoLocale = 'en' | 'es' | 'pt' | 'ru';

const PARSERS: Readonly<Record<ChronoLocale, Chrono>> = {
  en: english,
  es: spanish,
  pt: portuguese,
  ru: russian,
};

export function isChronoLocale(locale: string | null): locale is ChronoLocale {
  return locale === 'en' || locale === 'es' || locale === 'pt' || locale === 'ru';
}

export interface CalendarDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface ClockTime {
  readonly hour: number;
  readonly minute: number;
  /** True when am/pm was stated ("3pm", "в 8 вечера"), so no clinic-hours guess is needed. */
  readonly meridiemKnown: boolean;
}

/** One date or time chrono read, with where it stands in the text it was given. */
export interface ChronoReading {
  readonly day: CalendarDay | null;
  /** ISO weekday (1 = Monday) when only a weekday was named. */
  readonly weekday: number | null;
  readonly time: ClockTime | null;
  /** Character range chrono used, so no other extractor reads it again. */
  readonly span: readonly [number, number];
}

/** Results this short and without digits are usually words, not dates ("sat", "mar", "sun"). */
const MIN_WORD_RESULT = 4;

/** Every day, weekday or time chrono finds, in text order; "now" is never a time someone asks for. */
export function parseWithChrono(text: string, locale: ChronoLocale, now: Date, offsetMinutes: number): ChronoReading[] {
  const readings: ChronoReading[] = [];
  for (const result of PARSERS[locale].parse(text, { instant: now, timezone: offsetMinutes })) {
    const found = result.text.trim();
    if (found.length < MIN_WORD_RESULT && !/\d/.test(found)) continue;
    if (result.tags().has('casualReference/now')) continue;
    const start = result.start;
    let day: CalendarDay | null = null;
    let weekday: number | null = null;
    if (start.isCertain('day')) {
      const year = start.get('year');
      const month = start.get('month');
      const date = start.get('day');
      if (year !== null && month !== null && date !== null) day = { year, month, day: date };
    } else if (start.isCertain('weekday')) {
      const value = start.get('weekday');
      if (value !== null) weekday = value === 0 ? 7 : value;
    }
    const hour = start.isCertain('hour') ? start.get('hour') : null;
    const time = hour === null ? null : { hour, minute: start.get('minute') ?? 0, meridiemKnown: start.isCertain('meridiem') };
    if (day === null && weekday === null && time === null) continue;
    readings.push({ day, weekday, time, span: [result.index, result.index + result.text.length] });
  }
  return readings;
}
