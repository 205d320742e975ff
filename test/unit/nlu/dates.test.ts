import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../../src/core/locale.js';
import type { DateEntity } from '../../../src/core/nlu.js';
import type { Nlu } from '../../../src/nlu/index.js';
import { at, day, demoNlu, NOW, ZONE } from './support.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await demoNlu();
});

function dateOf(text: string, now: Date = NOW, locale: Locale | null = null): DateEntity | undefined {
  return nlu.understand(text, { locale, now }).entities.date;
}

describe('dates (clinic time zone Europe/Lisbon, now = Monday 2026-11-23 09:00)', () => {
  it('resolves relative days in every language', () => {
    for (const text of ['tomorrow', 'mañana', 'amanhã', 'завтра', 'מחר']) expect(dateOf(text), text).toEqual(day('2026-11-24'));
    for (const text of ['the day after tomorrow', 'pasado mañana', 'depois de amanhã', 'послезавтра', 'מחרתיים']) {
      expect(dateOf(text), text).toEqual(day('2026-11-25'));
    }
    for (const text of ['today', 'hoy', 'hoje', 'сегодня', 'היום']) expect(dateOf(text), text).toEqual(day('2026-11-23'));
  });

  it('reads a weekday as the next such day, never today', () => {
    for (const text of ['monday', 'el lunes', 'na segunda-feira', 'в понедельник', 'ביום שני']) {
      expect(dateOf(text), text).toEqual(day('2026-11-30'));
    }
    for (const text of ['friday', 'el viernes', 'sexta', 'в пятницу', 'ביום שישי']) expect(dateOf(text), text).toEqual(day('2026-11-27'));
    expect(dateOf('sunday')).toEqual(day('2026-11-29'));
    expect(dateOf('יום ראשון')).toEqual(day('2026-11-29'));
  });

  it('takes hours 1–7 without am/pm as afternoon hours', () => {
    expect(dateOf('tomorrow at 3')).toEqual(at('2026-11-24T15:00'));
    expect(dateOf('mañana a las 7')).toEqual(at('2026-11-24T19:00'));
    expect(dateOf('tomorrow at 8')).toEqual(at('2026-11-24T08:00'));
    expect(dateOf('tomorrow at 3am')).toEqual(at('2026-11-24T03:00'));
    expect(dateOf('завтра в 7 утра')).toEqual(at('2026-11-24T07:00'));
    expect(dateOf('tomorrow at 12')).toEqual(at('2026-11-24T12:00'));
  });

  it('reads bare hours after a preposition in every language', () => {
    expect(dateOf('at 10')).toEqual(at('2026-11-23T10:00'));
    expect(dateOf('a las 10')).toEqual(at('2026-11-23T10:00'));
    expect(dateOf('às 10h')).toEqual(at('2026-11-23T10:00'));
    expect(dateOf('в 10')).toEqual(at('2026-11-23T10:00'));
    expect(dateOf('ב-10')).toEqual(at('2026-11-23T10:00'));
    expect(dateOf('בשעה 10:30')).toEqual(at('2026-11-23T10:30'));
    expect(dateOf('בעשר')).toEqual(at('2026-11-23T10:00'));
    expect(dateOf('at ten thirty')).toEqual(at('2026-11-23T10:30'));
  });

  it('moves a time that has already passed today to tomorrow', () => {
    expect(dateOf('at 8')).toEqual(at('2026-11-24T08:00'));
  });

  it('returns past expressions as given', () => {
    expect(dateOf('yesterday')).toEqual(day('2026-11-22'));
    expect(dateOf('вчера в 10')).toEqual(at('2026-11-22T10:00'));
    expect(dateOf('20/11')).toEqual(day('2026-11-20'));
  });

  it('reads calendar dates with chrono where it supports the language', () => {
    expect(dateOf('Nov 28 at 10:30')).toEqual(at('2026-11-28T10:30'));
    expect(dateOf('el 28 de noviembre')).toEqual(day('2026-11-28'));
    expect(dateOf('28 de novembro às 9')).toEqual(at('2026-11-28T09:00'));
    expect(dateOf('28 ноября в 10:30')).toEqual(at('2026-11-28T10:30'));
    expect(dateOf('через неделю')).toEqual(day('2026-11-30'));
    expect(dateOf('next week')).toEqual(day('2026-11-30'));
  });

  it('reads day-month numbers day first', () => {
    expect(dateOf('5/12 at 10')).toEqual(at('2026-12-05T10:00'));
    expect(dateOf('05.12.2026 в 10')).toEqual(at('2026-12-05T10:00'));
  });

  it('does not read numbers that are not times', () => {
    expect(dateOf('I have 2 cavities')).toBeUndefined();
    expect(dateOf('через 2 дня')).toEqual(day('2026-11-25'));
    expect(dateOf('option 3')).toBeUndefined();
  });

  it('uses the clinic zone, not the server zone, across summer time', () => {
    // 23:30 UTC on 15 July is already 16 July, 00:30 in Lisbon (UTC+1).
    const summer = new Date('2026-07-15T23:30:00Z');
    const lisbon = (local: string): string => DateTime.fromISO(local, { zone: ZONE }).toUTC().toISO() ?? '';
    expect(dateOf('amanhã às 10', summer)).toEqual({ start: lisbon('2026-07-17T10:00'), hasTime: true });
    expect(dateOf('tomorrow', summer)).toEqual({ start: lisbon('2026-07-17T00:00'), hasTime: false });
    expect(dateOf('July 20 at 9', summer)).toEqual({ start: '2026-07-20T08:00:00.000Z', hasTime: true });
    expect(dateOf('מחר ב-10', summer)).toEqual({ start: '2026-07-17T09:00:00.000Z', hasTime: true });
  });

  it('uses the conversation language to pick the date parser when the text cannot tell', () => {
    expect(dateOf('28 nov 10h', NOW, 'pt')).toEqual(at('2026-11-28T10:00'));
    expect(dateOf('28 nov', NOW, 'es')).toEqual(day('2026-11-28'));
    expect(dateOf('28/11 10:30', NOW, 'ru')).toEqual(at('2026-11-28T10:30'));
  });
});
