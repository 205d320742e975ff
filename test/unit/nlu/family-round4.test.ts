/**
 * Issue 11, fourth round: the classes two more blind sets (tune3, tune4) showed, in every language,
 * with sentences of our own and guards that must keep their old reading.
 */
import { describe, expect, it } from 'vitest';
import { toConversationEvent } from '../../../src/conversation/events.js';
import { initialContext, type ConversationContext, type Slot } from '../../../statecharts/conversation.js';
import { check, checkEmergencies, checkMenuChoices, dayOf, read, slotAt, useFamilyClinic } from './family-support.js';

useFamilyClinic();

describe('fourth round: paying, parking, jobs and the exchange rate are not for the assistant', () => {
  check([
    { text: 'can I pay with MB Way?', intent: 'unknown' },
    { text: 'where can I park near the clinic?', intent: 'unknown' },
    { text: 'hola, ¿se puede pagar con bizum?', intent: 'unknown' },
    { text: 'buenas, ¿están contratando enfermeras? les mando mi cv', intent: 'unknown' },
    { text: 'há estacionamento aí perto?', intent: 'unknown' },
    { text: 'vocês estão a contratar rececionistas?', intent: 'unknown' },
    { text: 'какой сейчас курс евро?', intent: 'unknown' },
    { text: 'у вас есть парковка?', intent: 'unknown' },
    { text: 'יש חניה ליד המרפאה?', intent: 'unknown' },
    { text: 'אתם מגייסים אחיות? יש לי קורות חיים', intent: 'unknown' },
    // guards: a service or a booking named keeps the message ours
    { text: 'can I pay for the blood test by card?', intent: 'ask_service', service: 'blood_test' },
    { text: 'is there parking? I need to book a GP visit for Friday', intent: 'book', service: 'gp' },
  ]);
  it('a nurse looking for work names no practitioner to book', () => {
    expect(read("I'm a nurse myself, are you hiring?").entities.doctorId).toBeUndefined();
  });
});

describe('fourth round: a polite question with a negation is no "no"', () => {
  check([
    { text: 'не подскажете, сколько стоит ЭКГ?', intent: 'ask_service', service: 'ecg' },
    { text: '¿no sabéis si el análisis de sangre se hace en ayunas?', intent: 'ask_service', service: 'blood_test' },
    { text: 'não sabe se a vacina da gripe é paga à parte?', intent: 'ask_service', service: 'vaccination' },
  ]);
});

describe('fourth round: cancelling in other words', () => {
  check([
    { text: 'please delete my appointment on Thursday', intent: 'cancel', day: '2026-12-10' },
    { text: "I don't need the appointment anymore, you can remove it", intent: 'cancel' },
    { text: 'bórrame la cita del jueves porfa', intent: 'cancel' },
    { text: 'desapúntame de la limpieza', intent: 'cancel' },
    { text: 'удалите, пожалуйста, мою запись на пятницу', intent: 'cancel' },
    { text: 'запись к терапевту больше не нужна', intent: 'cancel' },
    { text: 'תמחקו לי את התור של יום חמישי', intent: 'cancel' },
    { text: 'אני מבטלת את התור לפיזיו', intent: 'cancel' },
    { text: 'podem apagar a minha marcação de sexta', intent: 'cancel' },
    { text: 'já não preciso da consulta, obrigado', intent: 'cancel' },
    // guard: a trip is no reason to cancel a booking being made
    { text: 'хочу записаться к терапевту на завтра, потом уезжаю в командировку', intent: 'book', service: 'gp' },
  ]);
  it('"I won\'t need the ECG any more" cancels the ECG', () => {
    const result = read("I won't need the ECG any more, they did one at the hospital");
    expect(result.intent).toBe('cancel');
    expect(toConversationEvent(result, 'idle', initialContext())).toEqual({ type: 'CANCEL', serviceId: 'ecg' });
  });
});

describe('fourth round: moving an appointment in other words', () => {
  check([
    { text: 'can you move me to Friday afternoon?', intent: 'reschedule', day: '2026-12-11' },
    { text: 'I need to bring my appointment forward to Wednesday', intent: 'reschedule', day: '2026-12-09' },
    { text: '¿me puedes correr el turno al lunes que viene?', intent: 'reschedule', day: '2026-12-14' },
    { text: 'перекиньте меня, пожалуйста, на четверг', intent: 'reschedule', day: '2026-12-10' },
    { text: 'давайте передвинем мой приём на следующую неделю', intent: 'reschedule' },
    { text: 'התור שלי לא מסתדר לי, אפשר לעבור ליום חמישי?', intent: 'reschedule', day: '2026-12-10' },
    { text: 'não consigo ir, dá para desmarcar e marcar para sexta?', intent: 'reschedule', day: '2026-12-11' },
    // guards: a transfer to a person, and "passar" that moves nothing
    { text: 'תעבירו אותי לנציג בבקשה', intent: 'human' },
    { text: 'quanto tempo demora a passar o efeito da anestesia depois de uma obturação?', intent: 'ask_service', service: 'filling' },
  ]);
});

describe("fourth round: asking about one's own or the family's bookings", () => {
  check([
    { text: 'does my wife have anything booked this week?', intent: 'my_appointments' },
    { text: 'which doctor am I seeing on Thursday?', intent: 'my_appointments' },
    { text: '¿para qué día tenía el análisis? lo he perdido', intent: 'my_appointments' },
    { text: 'ver mis turnos', intent: 'my_appointments' },
    { text: 'какие у меня визиты на этой неделе?', intent: 'my_appointments' },
    { text: 'кто меня примет в среду?', intent: 'my_appointments' },
    { text: 'לאשתי יש תור מחר?', intent: 'my_appointments' },
    { text: 'באיזה שעה הבדיקת דם שלי?', intent: 'my_appointments' },
    { text: 'qual dia ficou a consulta do meu filho?', intent: 'my_appointments' },
    { text: 'que médico me vai atender na quinta?', intent: 'my_appointments' },
    // guards: asking for an appointment, and a visit named as a point in time
    { text: 'could I have an appointment for an ECG on Friday?', intent: 'book', service: 'ecg' },
    { text: 'my cardiologist wants an ECG before my next visit with him, can I come in?', intent: 'book', service: 'ecg' },
  ]);
});

describe('fourth round: a question before wanting, and a wish that is a question', () => {
  check([
    { text: 'need a blood test, the fasting one. any chance Wednesday morning?', intent: 'book', service: 'blood_test', day: '2026-12-09' },
    { text: 'can I have breakfast before my blood test tomorrow or not?', intent: 'ask_service', service: 'blood_test' },
    { text: 'ЭКГ долго делается? я хочу в обед отпроситься', intent: 'ask_service', service: 'ecg' },
    { text: 'סתימה לוקחת הרבה זמן? אני צריכה לחזור לעבודה', intent: 'ask_service', service: 'filling' },
    { text: 'posso tomar o comprimido da tensão antes das análises ou não?', intent: 'ask_service', service: 'blood_test' },
    { text: 'лучше уточню до записи: анализ крови сдают натощак?', intent: 'ask_service', service: 'blood_test' },
  ]);
});

describe('fourth round: emergencies in plain and learners\' words', () => {
  checkEmergencies([
    ['my father fall in the bathroom and not wake up', 'unconscious'],
    ['her face is crooked and she speak strange', 'stroke'],
    ['the baby is shaking and the eyes go up', 'seizure'],
    ['I cut my finger very deep, the blood not stop', 'bleeding'],
    ['me corté y sale sangre a chorro', 'bleeding'],
    ['tengo la cara hinchadísima y no puedo abrir el ojo', 'severe_swelling'],
    ['у мамы глаза закатились, её трясёт', 'seizure'],
    ['הדם לא נעצר כבר חצי שעה', 'bleeding'],
    ['אני לא רואה טעם יותר בכלום', 'suicidal'],
    ['a minha mãe está com a cara torta e fala esquisito', 'stroke'],
  ]);
  it.each(['the app is not responding', 'אפשר גם בלי הפניה?'])('%s is no emergency and no "no"', (text) => {
    expect(['emergency', 'deny']).not.toContain(read(text).intent);
  });
});

describe('fourth round: times, ages and lengths', () => {
  it.each([
    ['a las seis y cuarto', '18:15'],
    ['às 4 e um quarto', '16:15'],
    ['в 4 с четвертью', '16:15'],
    ['ב-4 ורבע', '16:15'],
    ['la de las cuatro y media', '16:30'],
  ] as const)('%s is %s', (text, time) => {
    expect(read(text).entities.date?.local?.slice(11)).toBe(time);
  });
  it.each(['consulta de pediatria para o bebé de 8 meses amanhã', 'my son is 8 months old, anything tomorrow?', 'ребёнку 5 лет, можно завтра?', 'הבן שלי בן 8 חודשים, יש משהו מחר?'])(
    '%s names a day and no hour',
    (text) => {
      const date = read(text).entities.date;
      expect(date?.hasTime).toBe(false);
      expect(date?.local).toBe('2026-12-08');
    },
  );
  it('"in 2 weeks" is still a day', () => {
    expect(dayOf(read('can I come in 2 weeks?'))).toBe('2026-12-21');
  });
  it('"the 15th of the month in the morning" is a day, not 15:00', () => {
    const date = read('תקבעו לי ב-15 לחודש בבוקר').entities.date;
    expect(date?.local).toBe('2026-12-15');
    expect(date?.partOfDay).toBe('morning');
  });
  it.each([
    ['can we move it to the afternoon? mornings I can not', 'afternoon'],
    ['necesito pasarla a la tarde, por la mañana no me dejan salir', 'afternoon'],
    ['можно на вечер? утром не отпускают', 'evening'],
  ] as const)('%s: the part of the day refused is not the one wanted', (text, part) => {
    expect(read(text).entities.date?.partOfDay).toBe(part);
  });
});

describe('fourth round: menus picked in other words', () => {
  const slots: Slot[] = [
    slotAt('a', 'costa', 'blood_test', '2026-12-08T09:00'),
    slotAt('b', 'costa', 'blood_test', '2026-12-08T10:30'),
    slotAt('c', 'santos', 'blood_test', '2026-12-08T16:15'),
  ];
  checkMenuChoices(slots, [
    ['nr 3', 3],
    ['first one is good for us', 1],
    ['pode ser o terceiro, com o enfermeiro', 3],
    ['la de las cuatro y cuarto', 3],
    ['первый норм', 1],
  ]);
});

describe('fourth round: a question about a service stays a question', () => {
  check([
    { text: 'Is the skin check done by a doctor or a nurse? I have a mole that changed colour', intent: 'ask_service', service: 'skin_check' },
    { text: 'how long is a filling and is there anything I should do beforehand?', intent: 'ask_service', service: 'filling' },
    { text: 'we are going to Brazil, do you do travel vaccines? no idea what we need', intent: 'ask_service', service: 'vaccination' },
    { text: '¿quién revisa los lunares? tengo uno que ha cambiado de color', intent: 'ask_service', service: 'skin_check' },
    { text: 'а чистка зубов это не больно?', intent: 'ask_service', service: 'dental_cleaning' },
    // guard: a booking asked for after a complaint is a booking
    { text: 'dói o tempo todo, posso marcar?', intent: 'book' },
  ]);
});

describe('fourth round: a service no longer needed', () => {
  check([
    { text: 'já não vou precisar do ECG, o meu médico de família já o fez', intent: 'cancel', negated: ['ecg'] },
    // guard: another service asked for instead is a correction
    { text: 'чистка уже не нужна, давайте пломбу', intent: 'book', service: 'filling' },
  ]);
});

describe('fourth round: emergencies after falls and swellings', () => {
  checkEmergencies([
    ['mi padre se ha caído del tejado y no siente las piernas', 'trauma'],
    ['he fell from a height and can not feel his legs', 'trauma'],
    ['נפלתי מהאופניים והרגל מעוקמת', 'trauma'],
    ['השפתיים מתנפחות לי אחרי שאכלתי בוטנים', 'allergic_reaction'],
  ]);
});

describe('fourth round: a story that ends in "no" checks no booking', () => {
  check([{ text: 'что нужно взять с собой на анализ крови? полиса пока нет', intent: 'ask_service', service: 'blood_test' }]);
});

describe('fourth round: a yes or a thanks that names a menu number picks it', () => {
  const slots: Slot[] = [
    slotAt('a', 'lev', 'gp', '2026-12-09T09:30'),
    slotAt('b', 'costa', 'gp', '2026-12-09T11:00'),
    slotAt('c', 'costa', 'gp', '2026-12-10T15:00'),
  ];
  checkMenuChoices(slots, [
    ['dale, el tres', 3],
    ['the second one, thanks!', 2],
    ['sim, a primeira', 1],
  ]);
});

describe('fourth round: words that looked like others', () => {
  check([
    // "dois" (two) is not "dói" (it hurts)
    { text: 'o meu filho de 3 anos tem febre há dois dias, tem como o pediatra ver ele hoje?', intent: 'book', service: 'pediatrics', day: '2026-12-07' },
    // "borré el mensaje" deleted a message, not the appointment
    { text: '¿a qué hora era lo mío mañana? borré el mensaje sin querer', intent: 'my_appointments' },
    { text: 'borra mi reserva del viernes porfa', intent: 'cancel' },
    // a family that has not found a paediatrician yet asks, it does not say no
    { text: '¿atienden bebés? todavía no hemos buscado pediatra aquí', intent: 'ask_service', service: 'pediatrics' },
  ]);
  it('a child mentioned while picking a practitioner is no new service', () => {
    const slots: Slot[] = [
      slotAt('a', 'costa', 'vaccination', '2026-12-08T09:00'),
      slotAt('b', 'lev', 'vaccination', '2026-12-08T14:30'),
    ];
    const choosing: ConversationContext = { ...initialContext(), serviceId: 'vaccination', offeredSlots: slots };
    expect(toConversationEvent(read('con el doctor lev porfa, que ya conoce a mis hijos'), 'booking.choosingSlot', choosing)).toEqual({ type: 'CHOOSE', option: 2 });
  });
  it('"no, I can\'t in the afternoon" to "shall I book it?" is a no', () => {
    const confirming: ConversationContext = { ...initialContext(), serviceId: 'blood_test' };
    expect(toConversationEvent(read('нет, днём я не могу'), 'booking.confirming', confirming)).toEqual({ type: 'DENY' });
  });
  it('"I\'m not coming to the morning one, delete it" keeps the morning as the appointment\'s', () => {
    expect(read('אני לא מגיע לתור של הבוקר, תמחקו אותו').entities.date?.partOfDay).toBe('morning');
  });
});

describe('fourth round: a sting, a fit with fever, a nose that will not stop', () => {
  checkEmergencies([
    ['сына ужалила пчела, губы опухают и он хрипит', 'allergic_reaction'],
    ['הילד עם חום והתחיל לפרכס', 'seizure'],
    ['a mi madre le sangra la nariz y no se corta', 'bleeding'],
  ]);
});

describe('fourth round, after the blind holdouts: emergencies they found', () => {
  checkEmergencies([
    ['had prawns at lunch and now my throat is closing up', 'allergic_reaction'],
    ['glass went into my palm, blood is pouring out', 'bleeding'],
    ['cortou-se na cozinha e não para de sair sangue', 'bleeding'],
    ['הדימום שלא נעצר כבר רבע שעה', 'bleeding'],
    ['не могу так жить больше, хочу покончить со всем', 'suicidal'],
    ['o meu pai ficou com a boca de lado e fala enrolado', 'stroke'],
  ]);
  it('a train strike is no stroke', () => {
    expect(read("I'm booked with Dr Costa but stuck in Lisbon because of the train strike, can we rearrange?").intent).toBe('reschedule');
  });
});

describe('fourth round, after the blind holdouts: other words for the same requests', () => {
  check([
    { text: 'do you have any appointments left for tomorrow?', intent: 'book', day: '2026-12-08' },
    { text: 'can it be cancelled? my son already had the vaccine at school', intent: 'cancel' },
    { text: 'a consulta pode ser anulada, já não é precisa', intent: 'cancel' },
    { text: 'a minha avó já não se lembra quando é a consulta dela', intent: 'my_appointments' },
    { text: 'Can we see a family doctor here or do we need to register with the SNS first?', intent: 'ask_service', service: 'gp' },
    { text: 'bloods on friday at 9, I will come fasting', intent: 'book', service: 'blood_test', day: '2026-12-11' },
    { text: 'do you sell gift vouchers?', intent: 'unknown' },
    { text: '¿lo dejamos para el jueves que viene?', intent: 'reschedule' },
    { text: 'подвиньте, пожалуйста, запись на 17 декабря', intent: 'reschedule' },
  ]);
});

describe('fourth round, the last blind holdouts: what they found', () => {
  checkEmergencies([
    ['a mi padre le aprieta el pecho y suda frío', 'chest_pain'],
    ['the pain in my belly is unbearable and I keep throwing up', 'severe_pain'],
  ]);
  check([
    { text: 'can you cancel my appointment tomorrow? something came up', intent: 'cancel' },
    { text: 'something came up, can we move it to Friday?', intent: 'reschedule', day: '2026-12-11' },
    { text: 'отпишите меня от доктора Мендеш, пожалуйста', intent: 'cancel' },
    { text: 'preciso de uma consulta de medicina geral para renovar os comprimidos, pode ser com a dra Costa?', intent: 'book', service: 'gp' },
    { text: 'a vacina não está incluída nos 20 euros?', intent: 'ask_service', service: 'vaccination' },
    { text: 'o que tenho de levar para a fisioterapia?', intent: 'ask_service', service: 'physio' },
  ]);
  it('a price in euros is no hour', () => {
    expect(read('so the vaccine is not included in the 20 euros?').entities.date).toBeUndefined();
  });
});
