/**
 * Issue 11, seventh round: the classes the blind holdout17 showed after it was scored, in every
 * language, with sentences of our own and guards that must keep their old reading.
 */
import { describe, expect, it } from 'vitest';
import { check, checkEmergencies, read, useFamilyClinic } from './family-support.js';

useFamilyClinic();

describe('seventh round: emergencies told in everyday words', () => {
  checkEmergencies([
    // a febrile seizure described, not named
    ['my baby has a temperature and just went stiff with her eyes rolled up', 'seizure'],
    ['el niño se quedó rígido con los ojos para arriba', 'seizure'],
    ['o meu filho ficou todo rígido e com os olhos para cima', 'seizure'],
    // a child breathing badly with blue or purple lips
    ['my daughter is breathing very badly and her lips are turning blue', 'breathing'],
    ['mi hijo respira muy mal, tiene los labios azules', 'breathing'],
    ['o bebé está a respirar muito mal e tem os lábios azuis', 'breathing'],
    ['дочка очень плохо дышит, губы посинели', 'breathing'],
    ['הבת שלי נושמת ממש רע', 'breathing'],
    // pills in front of one, all of them
    ["I've got a box of pills here and I'm thinking about taking them all", 'suicidal'],
    ['tengo el bote de pastillas y estoy pensando en tomármelas todas de golpe', 'suicidal'],
    ['estou a pensar tomá-los todos de uma vez', 'suicidal'],
    ['думаю выпить все таблетки сразу', 'suicidal'],
    ['אני חושב לבלוע את כל הכדורים', 'suicidal'],
  ]);
  // guards: pills asked about for a visit, a stiff neck from sleeping
  check([
    { text: 'should I bring all the pills I take to the GP appointment?', intent: 'ask_service', service: 'gp' },
    { text: '¿puedo tomarme las pastillas antes del análisis de sangre?', intent: 'ask_service', service: 'blood_test' },
  ]);
});

describe('seventh round: moving, checking, people and things not for the clinic', () => {
  check([
    { text: 'me quedé dormida y se me pasó la hora, ¿me la pueden pasar al jueves?', intent: 'reschedule', day: '2026-12-10' },
    { text: '¿se podrá recorrer mi cita para el viernes?', intent: 'reschedule', day: '2026-12-11' },
    { text: 'у дочки приём в среду, а в этот день у неё экзамен. можно на пятницу?', intent: 'reschedule', day: '2026-12-11' },
    { text: 'surgiu uma reunião, dá pa passar para sexta?', intent: 'reschedule', day: '2026-12-11' },
    { text: '¿cuándo es el control de mi hija con el Dr Lev? se me borró del calendario', intent: 'my_appointments', doctor: 'lev' },
    { text: 'а сына записали к педиатру? проверьте пожалуйста', intent: 'my_appointments' },
    { text: 'הניקוי זה בשלישי או ברביעי? אני מתבלבלת', intent: 'my_appointments' },
    { text: 'я пожилой человек, хочу записаться на анализ крови', intent: 'book', service: 'blood_test' },
    { text: 'мне нужен человек, а не бот', intent: 'human' },
    { text: 'не присылайте напоминания больше, спасибо', intent: 'stop_reminders' },
    { text: 'good morning, how are you doing today?', intent: 'greeting', day: null },
    { text: 'продаю детскую кроватку, недорого', intent: 'unknown' },
    { text: 'cariño, compra pan al volver', intent: 'unknown' },
    { text: 'איפה אפשר לאכול פה טוב?', intent: 'unknown' },
  ]);
});

describe('seventh round: Russian in Latin letters with one-letter words', () => {
  it('"a", "i", "u" count for no language: the message is read as Russian', () => {
    const result = read('a skolko stoit seans u fizioterapevta? i skolko dlitsya');
    expect(result.language).toBe('ru');
    expect(result.intent).toBe('ask_service');
    expect(result.entities.serviceId).toBe('physio');
  });
  check([
    { text: 'a consulta de pediatria é a que preço?', intent: 'ask_service', service: 'pediatrics' },
    { text: 'i need a blood test on Friday', intent: 'book', service: 'blood_test', day: '2026-12-11' },
  ]);
  it('those stay in their own language', () => {
    expect(read('a consulta de pediatria é a que preço?').language).toBe('pt');
    expect(read('i need a blood test on Friday').language).toBe('en');
  });
});
