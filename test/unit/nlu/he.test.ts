import { beforeAll, describe } from 'vitest';
import type { Nlu } from '../../../src/nlu/index.js';
import { anyDayAt, at, day, demoNlu, runCases, weekday, type Case } from './support.js';

let nlu: Nlu;
beforeAll(async () => {
  nlu = await demoNlu();
});

const cases: Case[] = [
  {
    text: 'שלום, אני רוצה לקבוע תור לניקוי שיניים מחר ב-10',
    intent: 'book',
    language: 'he',
    entities: { serviceId: 'cleaning', date: at('2026-11-24T10:00') },
  },
  {
    text: 'אפשר תור לסתימה אצל ד״ר כהן ביום רביעי בשעה 14:30?',
    intent: 'book',
    language: 'he',
    entities: { serviceId: 'filling', doctorId: 'dr-dan', date: at('2026-11-25T14:30', { byWeekday: true }) },
  },
  { text: 'מחר בשעה 10:30', intent: 'book', language: 'he', entities: { date: at('2026-11-24T10:30') } },
  { text: 'ביום שני בעשר', intent: 'book', language: 'he', entities: { date: at('2026-11-30T10:00', { byWeekday: true }) } },
  { text: 'מחרתיים בבוקר', intent: 'book', language: 'he', entities: { date: day('2026-11-25', 'morning') } },
  { text: 'בשעה 3', intent: 'book', language: 'he', entities: { date: anyDayAt('2026-11-23T15:00') } },
  { text: 'היום בעשר וחצי', intent: 'book', language: 'he', entities: { date: at('2026-11-23T10:30') } },
  { text: 'ב-25/11 ב-9', intent: 'book', language: 'he', entities: { date: at('2026-11-25T09:00') } },
  { text: 'בשבת', intent: 'book', language: 'he', entities: { date: weekday('2026-11-28') } },
  { text: 'עם אנה', intent: 'book', language: 'he', entities: { doctorId: 'dr-ana' } },
  { text: 'כמה עולה הלבנה?', intent: 'ask_service', language: 'he', entities: { serviceId: 'whitening' } },
  { text: 'סתימות', intent: 'ask_service', language: 'he', entities: { serviceId: 'filling' } },
  { text: 'מה זה ציפויים?', intent: 'ask_service', language: 'he', entities: { serviceId: 'veneers' } },
  { text: 'אני רוצה לבטל את התור', intent: 'cancel', language: 'he' },
  { text: 'אפשר להזיז את התור ליום חמישי?', intent: 'reschedule', language: 'he', entities: { date: weekday('2026-11-26') } },
  { text: 'מתי התור שלי?', intent: 'my_appointments', language: 'he' },
  { text: 'השני', intent: 'choose_option', language: 'he', entities: { option: 2 } },
  { text: 'אפשרות 3', intent: 'choose_option', language: 'he', entities: { option: 3 } },
  { text: 'כן', intent: 'confirm', language: 'he', entities: { yesNo: 'yes' } },
  { text: 'לא', intent: 'deny', language: 'he', entities: { yesNo: 'no' } },
  { text: 'לא צריך סתימה', intent: 'deny', language: 'he', negatedServices: ['filling'] },
  { text: 'אני לא צריך את דן', intent: 'deny', language: 'he', negatedDoctors: ['dr-dan'] },
  { text: 'כאב בחזה', intent: 'emergency', language: 'he', emergencyKind: 'chest_pain' },
  { text: 'הוא לא נושם', intent: 'emergency', language: 'he', emergencyKind: 'breathing' },
  { text: 'יש לי דימום חזק', intent: 'emergency', language: 'he', emergencyKind: 'bleeding' },
  { text: 'אין כאב בחזה', intent: 'deny', language: 'he' },
  { text: 'אין כאב בחזה, רק ניקוי', intent: 'ask_service', language: 'he', entities: { serviceId: 'cleaning' } },
  { text: 'אני רוצה לדבר עם נציג', intent: 'human', language: 'he' },
  { text: 'בוקר טוב', intent: 'greeting', language: 'he' },
  { text: 'תודה רבה', intent: 'thanks_bye', language: 'he' },
];

describe('offline NLU — Hebrew', () => {
  runCases(() => nlu, cases);
});
