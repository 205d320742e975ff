import { beforeAll, describe } from 'vitest';
import type { Nlu } from '../../../src/nlu/index.js';
import { anyDayAt, at, day, demoNlu, runCases, weekday, type Case } from './support.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await demoNlu();
});

const cases: Case[] = [
  {
    text: 'Здравствуйте, хочу записаться на чистку к доктору Дану завтра в 10',
    intent: 'book',
    language: 'ru',
    entities: { serviceId: 'cleaning', doctorId: 'dr-dan', date: at('2026-11-24T10:00') },
  },
  {
    text: 'запишите к Ивану Петрову на 28 числа в 9',
    intent: 'book',
    language: 'ru',
    entities: { doctorId: 'dr-ivan', date: at('2026-11-28T09:00') },
  },
  { text: 'можно запломбировать зуб в среду в 3?', intent: 'book', language: 'ru', entities: { serviceId: 'filling', date: at('2026-11-25T15:00', { byWeekday: true }) } },
  { text: 'завтра в 10', intent: 'book', language: 'ru', entities: { date: at('2026-11-24T10:00') } },
  { text: 'в понедельник утром', intent: 'book', language: 'ru', entities: { date: weekday('2026-11-30', 'morning') } },
  { text: 'послезавтра', intent: 'book', language: 'ru', entities: { date: day('2026-11-25') } },
  { text: 'в пятницу к 9', intent: 'book', language: 'ru', entities: { date: at('2026-11-27T09:00', { byWeekday: true }) } },
  { text: 'в 3 часа дня', intent: 'book', language: 'ru', entities: { date: anyDayAt('2026-11-23T15:00') } },
  { text: '1 декабря в 11:30', intent: 'book', language: 'ru', entities: { date: at('2026-12-01T11:30') } },
  { text: 'через 2 дня', intent: 'book', language: 'ru', entities: { date: day('2026-11-25') } },
  // the canonical relevance cases
  { text: 'Хочу узнать про виниры', intent: 'ask_service', language: 'ru', entities: { serviceId: 'veneers' } },
  { text: 'Мне не нужен Дан с пломбой', intent: 'deny', language: 'ru', negatedServices: ['filling'], negatedDoctors: ['dr-dan'] },
  // inflections and typos
  { text: 'виниры', intent: 'ask_service', language: 'ru', entities: { serviceId: 'veneers' } },
  { text: 'расскажите о винирах', intent: 'ask_service', language: 'ru', entities: { serviceId: 'veneers' } },
  { text: 'вениры', intent: 'ask_service', language: 'ru', entities: { serviceId: 'veneers' } },
  { text: 'сколько стоит отбеливание?', intent: 'ask_service', language: 'ru', entities: { serviceId: 'whitening' } },
  { text: 'нужна пломба у Коэна', intent: 'book', language: 'ru', entities: { serviceId: 'filling', doctorId: 'dr-dan' } },
  { text: 'перенесите мою запись на пятницу', intent: 'reschedule', language: 'ru', entities: { date: weekday('2026-11-27') } },
  { text: 'отмените запись', intent: 'cancel', language: 'ru' },
  { text: 'когда у меня запись?', intent: 'my_appointments', language: 'ru' },
  { text: 'второй', intent: 'choose_option', language: 'ru', entities: { option: 2 } },
  { text: 'давайте третий вариант', intent: 'choose_option', language: 'ru', entities: { option: 3, yesNo: 'yes' } },
  { text: 'да', intent: 'confirm', language: 'ru', entities: { yesNo: 'yes' } },
  { text: 'нет', intent: 'deny', language: 'ru', entities: { yesNo: 'no' } },
  { text: 'у меня сильное кровотечение', intent: 'emergency', language: 'ru', emergencyKind: 'bleeding' },
  { text: 'не могу дышать', intent: 'emergency', language: 'ru', emergencyKind: 'breathing' },
  { text: 'болит в груди', intent: 'emergency', language: 'ru', emergencyKind: 'chest_pain' },
  { text: 'кровотечения нет', intent: 'deny', language: 'ru' },
  { text: 'нет боли', intent: 'deny', language: 'ru', entities: { yesNo: 'no' } },
  { text: 'боли в груди нет, просто хочу чистку', intent: 'book', language: 'ru', entities: { serviceId: 'cleaning' } },
  { text: 'позовите администратора', intent: 'human', language: 'ru' },
  { text: 'добрый день', intent: 'greeting', language: 'ru' },
  { text: 'спасибо, до свидания', intent: 'thanks_bye', language: 'ru' },
];

describe('offline NLU — Russian', () => {
  runCases(() => nlu, cases);
});
