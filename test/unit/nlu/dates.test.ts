import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locale } from '../../../src/core/locale.js';
import type { DateEntity } from '../../../src/core/nlu.js';
import type { Nlu } from '../../../src/nlu/index.js';
import { anyDayAt, at, day, demoNlu, NOW, weekday, ZONE } from './support.js';

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
      expect(dateOf(text), text).toEqual(weekday('2026-11-30'));
    }
    for (const text of ['friday', 'el viernes', 'sexta', 'в пятницу', 'ביום שישי']) expect(dateOf(text), text).toEqual(weekday('2026-11-27'));
    expect(dateOf('שישי בערב')).toEqual(weekday('2026-11-27', 'evening'));
    expect(dateOf('sunday')).toEqual(weekday('2026-11-29'));
    expect(dateOf('יום ראשון')).toEqual(weekday('2026-11-29'));
  });

  it('takes hours 1–7 without am/pm as afternoon hours', () => {
    expect(dateOf('tomorrow at 3')).toEqual(at('2026-11-24T15:00'));
    expect(dateOf('mañana a las 7')).toEqual(at('2026-11-24T19:00'));
    expect(dateOf('tomorrow at 8')).toEqual(at('2026-11-24T08:00'));
    expect(dateOf('tomorrow at 3am')).toEqual(at('2026-11-24T03:00'));
    expect(dateOf('завтра в 7 утра')).toEqual(at('2026-11-24T07:00'));
    expect(dateOf('tomorrow at 12')).toEqual(at('2026-11-24T12:00'));
  });

  it('reads bare hours after a preposition in every language; with no day named any day will do', () => {
    expect(dateOf('at 10')).toEqual(anyDayAt('2026-11-23T10:00'));
    expect(dateOf('a las 10')).toEqual(anyDayAt('2026-11-23T10:00'));
    expect(dateOf('às 10h')).toEqual(anyDayAt('2026-11-23T10:00'));
    expect(dateOf('в 10')).toEqual(anyDayAt('2026-11-23T10:00'));
    expect(dateOf('ב-10')).toEqual(anyDayAt('2026-11-23T10:00'));
    expect(dateOf('בשעה 10:30')).toEqual(anyDayAt('2026-11-23T10:30'));
    expect(dateOf('בעשר')).toEqual(anyDayAt('2026-11-23T10:00'));
    expect(dateOf('at ten thirty')).toEqual(anyDayAt('2026-11-23T10:30'));
  });

  it('moves a time that has already passed today to tomorrow', () => {
    expect(dateOf('at 8')).toEqual(anyDayAt('2026-11-24T08:00'));
  });

  it('reads a day already past as background, never as the day wanted', () => {
    expect(dateOf('yesterday')).toBeUndefined();
    expect(dateOf('вчера в 10')).toBeUndefined();
    expect(dateOf('20/11')).toBeUndefined();
    expect(dateOf('stepped on a nail yesterday, can I come tomorrow?')).toEqual(day('2026-11-24'));
  });

  it('reads a bound ("after 5", "antes de las 10", "после 17", "אחרי 4", "depois das 16h")', () => {
    expect(dateOf('anytime after 5')).toEqual(anyDayAt('2026-11-23T17:00', { timeRelation: 'after' }));
    expect(dateOf('el lunes antes de las 10')).toEqual(at('2026-11-30T10:00', { byWeekday: true, timeRelation: 'before' }));
    expect(dateOf('желательно после 17')).toEqual(anyDayAt('2026-11-23T17:00', { timeRelation: 'after' }));
    expect(dateOf('מחר אחרי 4')).toEqual(at('2026-11-24T16:00', { timeRelation: 'after' }));
    expect(dateOf('amanhã depois das 16h')).toEqual(at('2026-11-24T16:00', { timeRelation: 'after' }));
  });

  it('reads a part of the day alone as any day at that time of day, but not in a greeting', () => {
    expect(dateOf('afternoon pls')).toEqual(day('2026-11-23', 'afternoon', { anyDay: true }));
    expect(dateOf('por la tarde mejor')).toEqual(day('2026-11-23', 'afternoon', { anyDay: true }));
    expect(dateOf('good afternoon')).toBeUndefined();
    expect(dateOf('Buenas tardes, el lunes')).toEqual(weekday('2026-11-30'));
    expect(dateOf('this afternoon')).toEqual(day('2026-11-23', 'afternoon'));
  });

  it('takes no length of time for a day, and the last day named as the one wanted', () => {
    expect(dateOf('my back has been killing me for two weeks now')).toBeUndefined();
    expect(dateOf('tengo fiebre desde el sábado')).toBeUndefined();
    expect(dateOf('booked for tomorrow')).toEqual(day('2026-11-24'));
    expect(dateOf("I'm away until wednesday, can I come on thursday?")).toEqual(weekday('2026-11-26'));
    expect(dateOf('del martes al miércoles')).toEqual(weekday('2026-11-25'));
    expect(dateOf('с завтра на пятницу')).toEqual(weekday('2026-11-27'));
  });

  it('reads a bare number as the day of the month when another time is named ("ב-17 בעשר בבוקר")', () => {
    expect(dateOf('ב-27 בעשר בבוקר')).toEqual(at('2026-11-27T10:00'));
    expect(dateOf('יש תור ב-28 בנובמבר?')).toEqual(day('2026-11-28'));
  });

  it('reads calendar dates with chrono where it supports the language', () => {
    expect(dateOf('Nov 28 at 10:30')).toEqual(at('2026-11-28T10:30'));
    expect(dateOf('el 28 de noviembre')).toEqual(day('2026-11-28'));
    expect(dateOf('28 de novembro às 9')).toEqual(at('2026-11-28T09:00'));
    expect(dateOf('28 ноября в 10:30')).toEqual(at('2026-11-28T10:30'));
    expect(dateOf('через неделю')).toEqual(day('2026-11-30'));
    expect(dateOf('next week')).toEqual(day('2026-11-30', undefined, { anyDay: true }));
    for (const text of ['la semana que viene', 'на следующей неделе', 'בשבוע הבא', 'a próxima semana']) {
      expect(dateOf(text), text).toEqual(day('2026-11-30', undefined, { anyDay: true }));
    }
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
    expect(dateOf('amanhã às 10', summer)).toEqual({ start: lisbon('2026-07-17T10:00'), hasTime: true, local: '2026-07-17T10:00' });
    expect(dateOf('tomorrow', summer)).toEqual({ start: lisbon('2026-07-17T00:00'), hasTime: false, local: '2026-07-17' });
    expect(dateOf('July 20 at 9', summer)).toEqual({ start: '2026-07-20T08:00:00.000Z', hasTime: true, local: '2026-07-20T09:00' });
    expect(dateOf('מחר ב-10', summer)).toEqual({ start: '2026-07-17T09:00:00.000Z', hasTime: true, local: '2026-07-17T10:00' });
  });

  it('reads a number after a weekday, a late bare hour after a preposition and a suffixed number as the day of the month', () => {
    // Monday 23 Nov: Monday the 30th, Thursday the 26th.
    expect(dateOf('el lunes 30 a primera hora')).toEqual(day('2026-11-30', 'morning'));
    expect(dateOf('quinta 26')).toEqual(day('2026-11-26'));
    for (const text of ['podemos pasarlo al 28?', 'перенесите на 28', 'להעביר ל28', 'passar para o 28', 'на 28-е', 'к Мендес 28-го']) {
      expect(dateOf(text), text).toEqual(day('2026-11-28'));
    }
    // An hour still reads as one: a preposition, an hour word or a small number after the weekday.
    expect(dateOf('во вторник в 18')).toEqual(at('2026-11-24T18:00', { byWeekday: true }));
    expect(dateOf('a las 12 el miércoles')).toMatchObject({ hasTime: true, local: '2026-11-25T12:00' });
    expect(dateOf('terça às 18h')).toMatchObject({ hasTime: true, local: '2026-11-24T18:00' });
  });

  it('uses the conversation language to pick the date parser when the text cannot tell', () => {
    expect(dateOf('28 nov 10h', NOW, 'pt')).toEqual(at('2026-11-28T10:00'));
    expect(dateOf('28 nov', NOW, 'es')).toEqual(day('2026-11-28'));
    expect(dateOf('28/11 10:30', NOW, 'ru')).toEqual(at('2026-11-28T10:30'));
  });
});
