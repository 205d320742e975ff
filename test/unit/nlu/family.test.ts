/**
 * Issue 11 class by class, in every language, against the family clinic (test/fixtures/family-clinic.json)
 * on Monday 2026-12-07 09:00: what the NLU reads and the chart event the conversation turns it into.
 */
import path from 'node:path';
import { DateTime } from 'luxon';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadClinic } from '../../../src/config/clinic.js';
import type { Clinic } from '../../../src/config/catalog-schema.js';
import type { Locale } from '../../../src/core/locale.js';
import type { Intent, NluResult } from '../../../src/core/nlu.js';
import { toConversationEvent } from '../../../src/conversation/events.js';
import { createNlu, loadNluLexicons, type Nlu } from '../../../src/nlu/index.js';
import { initialContext, type ConversationContext, type ConversationEvent, type Slot } from '../../../statecharts/conversation.js';
import { LOCALES_DIR } from './support.js';

const NOW = new Date('2026-12-07T09:00:00Z');
let nlu: Nlu;
let clinic: Clinic;
beforeAll(async () => {
  clinic = await loadClinic(path.join(import.meta.dirname, '../../fixtures/family-clinic.json'));
  nlu = createNlu(clinic, await loadNluLexicons(LOCALES_DIR));
});

const read = (text: string, locale: Locale | null = null): NluResult => nlu.understand(text, { locale, now: NOW });
const local = (result: NluResult) => result.entities.date && DateTime.fromISO(result.entities.date.start, { zone: 'Europe/Lisbon' });
const dayOf = (result: NluResult) => (result.entities.date?.anyDay ? undefined : local(result)?.toFormat('yyyy-MM-dd'));

interface Case {
  text: string;
  intent: Intent;
  service?: string;
  doctor?: string;
  day?: string | null;
  negated?: string[];
}

function check(cases: readonly Case[]): void {
  it.each(cases.map((c) => [c.text, c] as const))('%s', (_text, c) => {
    const result = read(c.text);
    expect(result.intent).toBe(c.intent);
    if (c.service !== undefined) expect(result.entities.serviceId).toBe(c.service);
    if (c.doctor !== undefined) expect(result.entities.doctorId).toBe(c.doctor);
    if (c.day !== undefined) expect(dayOf(result) ?? null).toBe(c.day);
    if (c.negated !== undefined) expect([...result.negated.serviceIds, ...result.negated.doctorIds].sort()).toEqual(c.negated);
  });
}

describe('class 1: follow-up questions stay on the service just answered', () => {
  const after = (serviceId: string): ConversationContext => ({ ...initialContext(), serviceId });
  it.each([
    ['and how long does it take?', 'en'],
    ['do I have to bring anything?', 'en'],
    ['¿y cuánto tarda?', 'es'],
    ['¿y hay que ir en ayunas?', 'es'],
    ['а по времени?', 'ru'],
    ['а результаты когда будут?', 'ru'],
    ['וכמה זמן זה לוקח?', 'he'],
    ['ומי עושה את זה?', 'he'],
    ['e quanto tempo demora?', 'pt'],
    ['e os resultados demoram quanto?', 'pt'],
  ] as const)('%s (%s)', (text, locale) => {
    const event = toConversationEvent(read(text, locale), 'inquiry.answering', after('blood_test'));
    expect(event).toEqual({ type: 'ASK_SERVICE', serviceId: null });
  });

  it('"ok, and how many minutes is it?" asks; a plain "ok" books', () => {
    expect(toConversationEvent(read('ok, and how many minutes is it?'), 'inquiry.answering', after('ecg')).type).toBe('ASK_SERVICE');
    expect(toConversationEvent(read('ок, а сколько минут это занимает?'), 'inquiry.answering', after('ecg')).type).toBe('ASK_SERVICE');
    expect(toConversationEvent(read('ok'), 'inquiry.answering', after('ecg')).type).toBe('CONFIRM');
  });
});

describe('class 2: everyday reschedule and "my appointments" phrasings', () => {
  check([
    { text: 'something came up, can I move my visit to Thursday?', intent: 'reschedule', day: '2026-12-10' },
    { text: 'when is my next visit?', intent: 'my_appointments' },
    { text: 'do I have anything booked?', intent: 'my_appointments' },
    { text: 'me ha surgido algo, ¿puedo pasar mi cita al jueves?', intent: 'reschedule', day: '2026-12-10' },
    { text: '¿tengo algo reservado?', intent: 'my_appointments' },
    { text: 'у меня изменились планы, можно перенести визит на четверг?', intent: 'reschedule', day: '2026-12-10' },
    { text: 'когда мой следующий визит?', intent: 'my_appointments' },
    { text: 'у меня что-то записано?', intent: 'my_appointments' },
    { text: 'אפשר להעביר את התור ליום חמישי?', intent: 'reschedule', day: '2026-12-10' },
    { text: 'יש לי משהו קבוע?', intent: 'my_appointments' },
    { text: 'surgiu-me um imprevisto, posso passar a consulta para quinta?', intent: 'reschedule', day: '2026-12-10' },
    { text: 'tenho alguma coisa marcada?', intent: 'my_appointments' },
    // a question about "my" service is about the appointment
    { text: 'remind me when my ECG is', intent: 'my_appointments', service: 'ecg' },
    { text: 'quando é a minha vacina?', intent: 'my_appointments', service: 'vaccination' },
    { text: 'מתי בדיקת הדם שלי?', intent: 'my_appointments', service: 'blood_test' },
    // "my GP" in a story is no question about an appointment
    { text: "I've been meaning to get my cholesterol checked, my GP back home always nagged me. Would Wednesday morning work?", intent: 'book', service: 'blood_test' },
    // "I can't make it today": today is the day being left, not the one wanted.
    { text: 'no puedo ir el viernes, ¿se puede cambiar a otro día?', intent: 'reschedule', day: null },
    { text: 'אני לא אספיק להגיע היום, אפשר לקבוע מחדש?', intent: 'reschedule', day: null },
  ]);
});

describe('class 3: a question is not a booking', () => {
  check([
    { text: 'do I need to fast before the blood test?', intent: 'ask_service', service: 'blood_test' },
    { text: 'just to know before I book, how much is the ECG', intent: 'ask_service', service: 'ecg' },
    { text: 'Does Dr Mendes do fillings or only check-ups?', intent: 'ask_service', service: 'filling', doctor: 'mendes' },
    { text: 'antes de pedir cita, ¿cuánto es la revisión del dentista?', intent: 'ask_service', service: 'dental_checkup' },
    { text: 'нужно ли приходить натощак на анализ крови?', intent: 'ask_service', service: 'blood_test' },
    { text: 'צריך לבוא בצום לבדיקת דם?', intent: 'ask_service', service: 'blood_test' },
    { text: 'tenho de ir em jejum para as análises?', intent: 'ask_service', service: 'blood_test' },
    { text: 'how long is a filling appointment?', intent: 'ask_service', service: 'filling' },
  ]);
});

describe('class 4: names in the catalog win over lexicon words, and lookalikes need a title', () => {
  check([
    { text: '¿me das hora con la doctora Costa el viernes a las 4?', intent: 'book', doctor: 'costa', day: '2026-12-11' },
    { text: 'запишите меня к доктору Косте в пятницу', intent: 'book', doctor: 'costa' },
    { text: 'quero marcar com a Dra. Costa amanhã', intent: 'book', doctor: 'costa' },
    { text: 'Запишите дочку на осмотр к доктору Льву', intent: 'book', doctor: 'lev', service: 'pediatrics' },
    { text: 'תור אצל ד"ר לב מחר', intent: 'book', doctor: 'lev' },
    // ordinary words that look like names: no practitioner
    { text: '¿cuánto cuesta un análisis?', intent: 'ask_service', service: 'blood_test' },
    { text: 'quanto custa a vacina?', intent: 'ask_service', service: 'vaccination' },
    { text: 'tenho dores nas costas, queria fisioterapia', intent: 'book', service: 'physio' },
    { text: "I'm on the costa del sol until wednesday, could I see a GP on thursday?", intent: 'book', service: 'gp', day: '2026-12-10' },
    // a typo only counts after a title; "marca" is no "Marta", "brazo" is no "Bravo"
    { text: 'marca-me com a Ana Bravo quinta à tarde', intent: 'book', doctor: 'bravo', service: 'physio' },
  ]);

  it('"brazo" is no "Bravo" without a title', () => {
    expect(read('me duele el brazo izquierdo').entities.doctorId).toBeUndefined();
    expect(read('con la fisio Bravo').entities.doctorId).toBe('bravo');
  });

  it('a practitioner doing one thing names it; a title alone names the one who carries it', () => {
    expect(read('¿Me apuntas con Ana Bravo el jueves?').entities.serviceId).toBe('physio');
    expect(read('can the nurse do my blood test on tuesday?').entities.doctorId).toBe('santos');
    expect(read('не к Косте, а к медбрату').entities.doctorId).toBe('santos');
    expect(read('prefiero el enfermero').entities.doctorId).toBe('santos');
  });
});

describe('class 5: durations and past days are not dates', () => {
  check([
    { text: 'it has been sensitive for a few weeks, can I get a dental check-up?', intent: 'book', day: null },
    { text: 'my back has been killing me for two weeks now, can I see the physio?', intent: 'book', service: 'physio', day: null },
    { text: 'tengo la espalda fatal desde hace dos semanas, necesito fisio', intent: 'book', service: 'physio', day: null },
    { text: 'спина болит две недели, можно к физиотерапевту?', intent: 'book', service: 'physio', day: null },
    { text: 'הברך כואבת כבר שבועיים, צריך פיזיו', intent: 'book', service: 'physio', day: null },
    { text: 'está com febre desde sábado, queria consulta de pediatria', intent: 'book', service: 'pediatrics', day: null },
    { text: 'stepped on a rusty nail yesterday, I need a tetanus shot', intent: 'book', service: 'vaccination', day: null },
  ]);
});

describe('class 6: an allergic reaction after a jab or a pill', () => {
  it.each([
    'my face is swelling up and my throat feels tight after the vaccine this morning',
    'trouble swallowing since I took the amoxicillin, lips are huge',
    'se me está hinchando la cara después de la inyección y me cuesta tragar',
    'после укола отекает лицо и трудно глотать',
    'выпила таблетку от давления и распух язык, тяжело дышать',
    'אחרי הזריקה הפנים שלי מתנפחות וקשה לי לבלוע',
    'depois da vacina começou a inchar-me a garganta e custa-me engolir',
  ])('%s', (text) => {
    const result = read(text);
    expect(result.intent).toBe('emergency');
    expect(result.emergencyKind).toBe('allergic_reaction');
  });

  it('a swollen face from an abscess, with no trigger, stays a severe swelling', () => {
    expect(read('my jaw is massively swollen from an abscess, can barely open my mouth').emergencyKind).toBe('severe_swelling');
  });
});

describe('class 8: smaller ones', () => {
  check([
    { text: 'quiero pedir cita para sacarme sangre mañana', intent: 'book', service: 'blood_test', day: '2026-12-08' },
    { text: '¿cuánto cuesta sacarse sangre?', intent: 'ask_service', service: 'blood_test' },
    { text: '¿me pasas con una persona?', intent: 'human' },
    { text: 'can you put me through to someone?', intent: 'human' },
    { text: 'pode passar-me a alguém?', intent: 'human' },
    { text: 'пусть мне кто-нибудь перезвонит', intent: 'human' },
    { text: 'I don\'t need the blood test any more', intent: 'cancel', negated: ['blood_test'] },
    { text: 'мне больше не нужен анализ крови', intent: 'cancel', negated: ['blood_test'] },
    // dropping one request for another
    { text: 'забудьте про чистку, хочу пломбу', intent: 'book', service: 'filling', negated: ['dental_cleaning'] },
    { text: 'чистка уже не нужна, давайте пломбу', intent: 'book', service: 'filling', negated: ['dental_cleaning'] },
    { text: 'вместо чистки пломбу', intent: 'book', service: 'filling', negated: ['dental_cleaning'] },
    { text: 'forget the cleaning, I need a filling', intent: 'book', service: 'filling', negated: ['dental_cleaning'] },
    { text: 'no es para la limpieza, es para un empaste', intent: 'book', service: 'filling', negated: ['dental_cleaning'] },
    { text: 'לא ניקוי, סתימה', intent: 'book', service: 'filling', negated: ['dental_cleaning'] },
    { text: 'esquece a limpeza, quero uma restauração', intent: 'book', service: 'filling', negated: ['dental_cleaning'] },
  ]);

  it('tolerates a typo in a longer intent word, and reads a week as any day in it', () => {
    expect(read('i need to reshedule my apointment').intent).toBe('reschedule');
    expect(read('cancell my appt').intent).toBe('cancel');
    const nextWeek = read('quiero cita la semana que viene').entities.date;
    expect(nextWeek).toMatchObject({ anyDay: true, local: '2026-12-14', hasTime: false });
    expect(read('תור לסתימה בשבוע הבא').entities.date).toMatchObject({ anyDay: true, local: '2026-12-14' });
  });

  it('digits and symbols name no language', () => {
    for (const text of ['???', '12345', '10am', '15h', ':)']) expect(read(text).language, text).toBeNull();
  });
});

describe('class 7 and 8: a menu answered with words', () => {
  const menu: Slot[] = [
    { doctorId: 'costa', startsAt: '2026-12-08T10:30:00.000Z', local: '2026-12-08T10:30' },
    { doctorId: 'santos', startsAt: '2026-12-08T11:00:00.000Z', local: '2026-12-08T11:00' },
    { doctorId: 'costa', startsAt: '2026-12-11T17:15:00.000Z', local: '2026-12-11T17:15' },
    { doctorId: 'costa', startsAt: '2026-12-15T18:00:00.000Z', local: '2026-12-15T18:00' },
  ].map((s) => ({ ...s, id: `${s.doctorId}@${s.startsAt}`, serviceId: 'blood_test', endsAt: s.startsAt }));
  const choosing: ConversationContext = { ...initialContext(), serviceId: 'blood_test', offeredSlots: menu };
  const choice = (text: string): ConversationEvent => toConversationEvent(read(text), 'booking.choosingSlot', choosing);

  it.each([
    ['the 10:30 one', 1],
    ['the one with the nurse pls', 2],
    ['friday evening works best', 3],
    ['tuesday at 6', 4],
    ['last one', 4],
    ['la de las 10:30', 1],
    ['la última', 4],
    ['тот что в 10:30', 1],
    ['к медбрату', 2],
    ['пятница вечер', 3],
    ['последний', 4],
    ['זה של 10:30', 1],
    ['עם האח', 2],
    ['שישי בערב', 3],
    ['האחרון', 4],
    ['a das 10h30', 1],
    ['com o enfermeiro', 2],
    ['sexta ao fim do dia', 3],
    ['a última', 4],
  ] as const)('%s → option %i', (text, option) => {
    expect(choice(text)).toEqual({ type: 'CHOOSE', option });
  });

  it('words that fit no offered time ask for a new search', () => {
    expect(choice('wednesday at 9')).toMatchObject({ type: 'PROVIDE' });
  });
});
