/**
 * Issue 11, sixth round: the classes the blind holdout16 showed after it was scored, in every
 * language, with sentences of our own and guards that must keep their old reading.
 */
import { describe, expect, it } from 'vitest';
import { toConversationEvent } from '../../../src/conversation/events.js';
import { initialContext } from '../../../statecharts/conversation.js';
import { check, checkEmergencies, read, slotAt, useFamilyClinic } from './family-support.js';

useFamilyClinic();

const localOf = (text: string, locale: Parameters<typeof read>[1] = null) => read(text, locale).entities.date?.local;

describe('sixth round: unbearable pain told far from the word "pain" is an emergency', () => {
  checkEmergencies([
    ['me duele la muela desde ayer y ni con ibuprofeno se calma, es insoportable', 'severe_pain'],
    ['tengo un dolor en la barriga que ya es insoportable', 'severe_pain'],
    ['estou com uma dor nas costas insuportável, nem consigo ficar em pé', 'severe_pain'],
    ['болит живот, невыносимо уже', 'severe_pain'],
    ['כואבת לי הבטן בצורה בלתי נסבלת, לא מסוגלת לעמוד', 'severe_pain'],
  ]);
  // guards: pain that is bearable, or denied, books
  check([
    { text: 'no es insoportable, pero quiero una revisión dental', intent: 'book', service: 'dental_checkup' },
    { text: 'не невыносимо, но хочу записаться на осмотр зубов', intent: 'book', service: 'dental_checkup' },
  ]);
});

describe('sixth round: asking when an appointment of one\'s own or one\'s family is', () => {
  check([
    { text: 'can you tell me the date and time of my daughter\'s vaccination?', intent: 'my_appointments', service: 'vaccination' },
    { text: 'I lost the appointment card, when was the ECG?', intent: 'my_appointments', service: 'ecg' },
    { text: 'mi marido tenía un análisis de sangre, ¿para cuándo quedó?', intent: 'my_appointments', service: 'blood_test' },
    { text: 'на когда анализ крови у мужа? не помню', intent: 'my_appointments', service: 'blood_test' },
    { text: 'perdi o cartão, quando é a vacina do meu filho?', intent: 'my_appointments', service: 'vaccination' },
    // a check tag that closes a question before the message goes on
    { text: 'la vacuna es el viernes, ¿verdad? es que no me acuerdo bien', intent: 'my_appointments', service: 'vaccination', day: '2026-12-11' },
    { text: 'the ECG is on Friday, right? just making sure', intent: 'my_appointments', service: 'ecg', day: '2026-12-11' },
  ]);
  // guards: asking when one can come books
  check([
    { text: 'на когда можно записаться на чистку?', intent: 'book', service: 'dental_cleaning' },
    { text: 'I would like a blood test on Friday, what times do you have?', intent: 'book', service: 'blood_test', day: '2026-12-11' },
  ]);
});

describe('sixth round: a question about a service is no booking', () => {
  check([
    { text: 'I would like to know if the nurse also does vaccines for babies', intent: 'ask_service', service: 'vaccination' },
    { text: 'вы ставите прививки от гриппа взрослым?', intent: 'ask_service', service: 'vaccination' },
    { text: 'לפני בדיקת דם צריך משהו מיוחד?', intent: 'ask_service', service: 'blood_test' },
  ]);
  check([{ text: 'I would like to know if I can book a filling on Friday', intent: 'book', service: 'filling', day: '2026-12-11' }]);
});

describe('sixth round: running late is a move, "see you Thursday" a goodbye, a staff member a person', () => {
  check([
    { text: "I'm running late, could I come at 11 instead?", intent: 'reschedule' },
    { text: 'my old GP was always running late, how long is your GP consultation?', intent: 'ask_service', service: 'gp' },
    { text: 'estoy en un atasco, ¿puedo ir a las 11?', intent: 'reschedule' },
    { text: 'estou no trânsito, dá para ir às 11?', intent: 'reschedule' },
    { text: 'застряла в пробке, можно к 11?', intent: 'reschedule' },
    { text: 'אני תקוע בפקק, אפשר ב11?', intent: 'reschedule' },
    { text: 'great, thanks, see you on Friday', intent: 'thanks_bye', day: null },
    { text: 'gracias por todo, hasta el jueves', intent: 'thanks_bye', day: null },
    { text: 'obrigada, até sexta!', intent: 'thanks_bye', day: null },
    { text: 'спасибо большое, до четверга', intent: 'thanks_bye', day: null },
    { text: 'תודה רבה, נתראה בחמישי', intent: 'thanks_bye', day: null },
    { text: 'há algum funcionário que me possa atender?', intent: 'human' },
  ]);
});

describe('sixth round: messages not for the clinic', () => {
  check([
    { text: 'vendo sofá em bom estado, preço negociável', intent: 'unknown' },
    { text: '¿el Benfica ganó ayer?', intent: 'unknown' },
    { text: 'does the tram 28 run today?', intent: 'unknown' },
    { text: 'מישהו יודע אם הטראם עובד?', intent: 'unknown' },
    { text: 'сорри, это было для семейной группы… а вы с финансами помогаете? мне для финансов надо', intent: 'unknown' },
  ]);
});

describe('sixth round: dates and times', () => {
  it('"היום ב16:30" is today at 16:30: a letter written onto a number is no weekday', () => {
    expect(localOf('היום ב16:30')).toBe('2026-12-07T16:30');
    expect(localOf('אפשר היום ב-4 וחצי?')).toBe('2026-12-07T16:30');
    expect(localOf('ביום ב׳ ב-10')).toBe('2026-12-14T10:00');
  });
  it('Russian months after a number make a date, not an hour', () => {
    expect(read('можно перенести на 17 декабря?').entities.date).toMatchObject({ local: '2026-12-17', hasTime: false });
    expect(read('запишите на 5 января').entities.date).toMatchObject({ local: '2027-01-05', hasTime: false });
  });
  it('a month name tells the language: "17 de dezembro" is Portuguese and a date', () => {
    const result = read('pode ser a 17 de dezembro?');
    expect(result.language).toBe('pt');
    expect(result.entities.date).toMatchObject({ local: '2026-12-17' });
  });
  it('"a la mañana" is the morning, not tomorrow', () => {
    expect(read('para el viernes a la mañana').entities.date).toMatchObject({ local: '2026-12-11', partOfDay: 'morning' });
    expect(read('mañana a la tarde').entities.date).toMatchObject({ local: '2026-12-08', partOfDay: 'afternoon' });
  });
  it('minutes said before the hour or as a quarter to it', () => {
    expect(localOf('tomorrow at half past 10')).toBe('2026-12-08T10:30');
    expect(localOf('Tuesday at half 5')).toBe('2026-12-08T17:30');
    expect(localOf('quarter past 3 on Friday')).toBe('2026-12-11T15:15');
    expect(localOf('tomorrow at a quarter to 4')).toBe('2026-12-08T15:45');
    expect(localOf('mañana a las 5 menos cuarto')).toBe('2026-12-08T16:45');
    expect(localOf('amanhã às 4 menos um quarto')).toBe('2026-12-08T15:45');
    expect(localOf('завтра без четверти 4')).toBe('2026-12-08T15:45');
    expect(localOf('מחר ברבע ל5')).toBe('2026-12-08T16:45');
    // guard: half an hour is a length
    expect(read('the cleaning takes half an hour?').entities.date).toBeUndefined();
  });
  it('"dps das 17h" is after five', () => {
    expect(read('vacina pf, dps das 17h').entities.date).toMatchObject({ local: '2026-12-07T17:00', timeRelation: 'after' });
  });
  it('a day given up for one part of it keeps the other part asked for', () => {
    expect(read("I can't make it tomorrow morning, could we do the evening?").entities.date).toMatchObject({ local: '2026-12-08', partOfDay: 'evening' });
    expect(read('no puedo el viernes por la mañana, ¿por la tarde?').entities.date).toMatchObject({ local: '2026-12-11', partOfDay: 'afternoon' });
    expect(read('não consigo amanhã de manhã, pode ser à tarde?').entities.date).toMatchObject({ local: '2026-12-08', partOfDay: 'afternoon' });
    expect(read('не успеваю завтра утром, можно вечером?').entities.date).toMatchObject({ local: '2026-12-08', partOfDay: 'evening' });
    expect(read('מחר בבוקר אני לא יכולה, אפשר בערב?').entities.date).toMatchObject({ local: '2026-12-08', partOfDay: 'evening' });
    // guards: a whole day refused, or another day named
    expect(read('no, not saturday').entities.date).toBeUndefined();
    expect(read('mañana por la mañana no, mejor el viernes por la tarde').entities.date).toMatchObject({ local: '2026-12-11', partOfDay: 'afternoon' });
  });
});

describe('sixth round: a service named by words several share', () => {
  check([
    { text: 'a check-up with Dr Mendes on Wednesday', intent: 'book', service: 'dental_checkup', doctor: 'mendes' },
    { text: 'queria um check-up com a dentista', intent: 'book', service: 'dental_checkup' },
    { text: 'o check-up dos dentes quanto custa?', intent: 'ask_service', service: 'dental_checkup' },
    // guards: the general check-up stays general; a children's one with the dentist stays the children's
    { text: 'I need a general check-up with Dr Costa', intent: 'book', service: 'gp', doctor: 'costa' },
    { text: 'quero um check-up, tenho tosse', intent: 'book', service: 'gp' },
  ]);
});

describe('sixth round: in front of slots', () => {
  const slots = [slotAt('a', 'bravo', 'physio', '2026-12-07T16:30'), slotAt('b', 'bravo', 'physio', '2026-12-08T11:15')];
  const context = { ...initialContext(), serviceId: 'physio', offeredSlots: slots };
  it('"today at half past four" picks today\'s 16:30', () => {
    expect(toConversationEvent(read('היום ב4 וחצי מעולה'), 'booking.choosingSlot', context)).toEqual({ type: 'CHOOSE', option: 1 });
    expect(toConversationEvent(read('today at half past 4 is great'), 'booking.choosingSlot', context)).toEqual({ type: 'CHOOSE', option: 1 });
  });
});
