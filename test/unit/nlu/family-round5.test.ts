/**
 * Issue 11, fifth round: the classes the tune8 blind set showed, in every language, with
 * sentences of our own and guards that must keep their old reading.
 */
import { describe, expect, it } from 'vitest';
import { toConversationEvent } from '../../../src/conversation/events.js';
import { initialContext } from '../../../statecharts/conversation.js';
import { check, checkEmergencies, checkMenuChoices, dayOf, read, slotAt, useFamilyClinic } from './family-support.js';

useFamilyClinic();

describe('fifth round: Russian typed in Latin letters is read as Russian', () => {
  check([
    { text: 'zdravstvuyte, mne nuzhen analiz krovi na chetverg', intent: 'book', service: 'blood_test', day: '2026-12-10' },
    { text: 'mozhno perenesti moyu zapis na pyatnitsu?', intent: 'reschedule', day: '2026-12-11' },
    { text: 'otmenite pozhaluista moyu zapis', intent: 'cancel' },
    { text: 'skolko stoit ekg?', intent: 'ask_service', service: 'ecg' },
  ]);
  it('answers in Russian: the language is Russian', () => {
    expect(read('otmenite pozhaluista moyu zapis').language).toBe('ru');
  });
  it('one Russian word is enough in a Russian conversation; elsewhere only a long one', () => {
    expect(read('da', 'ru').intent).toBe('confirm');
    expect(read('da').language).not.toBe('ru');
    expect(read('spasibo').intent).toBe('thanks_bye');
  });
  // guards: English, Spanish and Portuguese stay themselves; names are in no language
  check([
    { text: 'no problem, see you on Monday', intent: 'thanks_bye' },
    { text: 'necesito una limpieza el martes', intent: 'book', service: 'dental_cleaning', day: '2026-12-08' },
    { text: 'queria marcar uma vacina para sexta', intent: 'book', service: 'vaccination', day: '2026-12-11' },
  ]);
  it('"Dr. Marta Costa" names nobody\'s language', () => {
    expect(read('Dr. Marta Costa').language).not.toBe('ru');
  });
});

describe('fifth round: a weekday word with the Hebrew article is an ordinal', () => {
  const slots = [
    slotAt('a', 'costa', 'gp', '2026-12-08T09:00'),
    slotAt('b', 'lev', 'gp', '2026-12-08T11:00'),
    slotAt('c', 'costa', 'gp', '2026-12-12T10:00'),
  ];
  checkMenuChoices(slots, [
    ['סבבה, השלישי', 3],
    ['מושלם את השני', 2],
  ]);
  it('"ביום שני" and "בשני" are still Monday, and "השבת" is still Saturday', () => {
    expect(dayOf(read('אפשר תור ביום שני?'))).toBe('2026-12-14');
    expect(dayOf(read('אפשר תור בשני בבוקר?'))).toBe('2026-12-14');
    expect(dayOf(read('השבת מתאים לי'))).toBe('2026-12-12');
  });
});

describe('fifth round: in front of a menu, a yes or thanks that says which slot picks it', () => {
  const slots = [
    slotAt('a', 'santos', 'blood_test', '2026-12-08T08:30'),
    slotAt('b', 'costa', 'blood_test', '2026-12-09T16:30'),
    slotAt('c', 'santos', 'blood_test', '2026-12-12T10:00'),
  ];
  checkMenuChoices(slots, [
    ['ok, the saturday one works', 3],
    ['vale, la de las cuatro y media', 2],
    ['давайте в субботу, спасибо', 3],
    ['ótimo, a primeira tá ótima', 1],
    ['sim, o de quarta', 2],
  ]);
  it('a no to the menu that asks for a time it lacks asks for that time; a day refused is no choice', () => {
    const context = { ...initialContext(), serviceId: 'blood_test', offeredSlots: slots };
    const asksFriday = toConversationEvent(read('ninguna me va bien, ¿tenéis algo el viernes por la mañana?'), 'booking.choosingSlot', context);
    expect(asksFriday).toMatchObject({ type: 'PROVIDE', date: { local: '2026-12-11', partOfDay: 'morning' } });
    expect(toConversationEvent(read('no, not saturday'), 'booking.choosingSlot', context)).toEqual({ type: 'DENY' });
  });
  it('"that day doesn\'t suit me" to the booking being confirmed is a no', () => {
    const context = { ...initialContext(), serviceId: 'blood_test', offeredSlots: slots, selectedSlot: slots[0] ?? null };
    expect(toConversationEvent(read('não obrigado, esse dia não me dá jeito'), 'booking.confirming', context)).toEqual({ type: 'DENY' });
    expect(toConversationEvent(read('no thanks, that day doesn\'t work for me'), 'booking.confirming', context)).toEqual({ type: 'DENY' });
  });
});

describe('fifth round: "la 3" in front of a menu is no three o\'clock', () => {
  checkMenuChoices(
    [slotAt('a', 'costa', 'gp', '2026-12-14T09:15'), slotAt('b', 'lev', 'gp', '2026-12-14T13:40'), slotAt('c', 'santos', 'gp', '2026-12-15T10:45')],
    [['la 3 con el enfermero', 3]],
  );
  it('"a las 3" still is', () => {
    expect(read('a las 3 con el enfermero').entities.date).toMatchObject({ hasTime: true });
  });
});

describe('fifth round: price words ask, other ways to move, cancel and check', () => {
  check([
    { text: 'is a tooth filling expensive here?', intent: 'ask_service', service: 'filling' },
    { text: 'what do you charge for a blood test?', intent: 'ask_service', service: 'blood_test' },
    { text: '¿cuánto me cobran por la vacuna?', intent: 'ask_service', service: 'vaccination' },
    { text: 'can you bump my physio to next week?', intent: 'reschedule', service: 'physio' },
    { text: 'desmarquen la vacuna del jueves por favor', intent: 'cancel', service: 'vaccination' },
    { text: 'what do we have booked this month, me and my son?', intent: 'my_appointments' },
    { text: '¿qué citas tenemos mi mujer y yo?', intent: 'my_appointments' },
    { text: 'какие у нас записи на следующей неделе?', intent: 'my_appointments' },
    { text: 'que consultas temos marcadas em dezembro?', intent: 'my_appointments' },
    { text: 'אשתי קבעה לי משהו, אפשר לבדוק מתי?', intent: 'my_appointments' },
    { text: 'можно оплатить наличкой?', intent: 'unknown' },
  ]);
});

describe('fifth round: a wish that refuses a service books', () => {
  check([
    { text: 'preciso de ir ao dentista, não é limpeza que quero', intent: 'book', negated: ['dental_cleaning'] },
    { text: 'мне к зубному, но не на чистку', intent: 'book', negated: ['dental_cleaning'] },
    // guards: a plain no stays a no
    { text: "no, I don't want the cleaning", intent: 'deny', negated: ['dental_cleaning'] },
    { text: 'нет, не надо чистку', intent: 'deny', negated: ['dental_cleaning'] },
  ]);
});

describe('fifth round: a number after a weekday is its date when that weekday falls on it', () => {
  it('"viernes 11" is Friday the 11th, "Friday 11" too; "lunes 9" with no Monday the 9th ahead is no date', () => {
    expect(read('quiero una vacuna el viernes 11').entities.date).toMatchObject({ local: '2026-12-11', hasTime: false });
    expect(read('a blood test on friday 11 please').entities.date).toMatchObject({ local: '2026-12-11', hasTime: false });
    expect(dayOf(read('una vacuna el lunes 9'))).toBe('2026-12-14');
  });
});

describe('fifth round (tune9): a symptom story asks for nothing by itself', () => {
  check([
    { text: 'my mole changed colour, how much is the skin check?', intent: 'ask_service', service: 'skin_check' },
    { text: 'my mole changed colour, could you see me on thursday?', intent: 'book', service: 'skin_check', day: '2026-12-10' },
    { text: 'tengo un lunar que cambió de color, ¿cuánto cuesta la revisión?', intent: 'ask_service', service: 'skin_check' },
    { text: 'у меня родинка меняет цвет, можно записаться на пятницу?', intent: 'book', service: 'skin_check', day: '2026-12-11' },
  ]);
});

describe('fifth round (tune9): a service at a clock time on a day books, however it is asked', () => {
  check([
    { text: 'is it possible to do an ECG on friday at 9:30?', intent: 'book', service: 'ecg', day: '2026-12-11' },
    { text: '¿se puede ir a ponerse la vacuna el jueves a las 10?', intent: 'book', service: 'vaccination', day: '2026-12-10' },
    { text: 'подскажите, можно ли сдать анализ крови в среду в 8:30?', intent: 'book', service: 'blood_test', day: '2026-12-09' },
    // guard: a question with no clock time stays a question
    { text: 'is it possible to do an ECG here?', intent: 'ask_service', service: 'ecg' },
  ]);
});

describe('fifth round (tune9): days and parts of the day asked about or refused', () => {
  it('a part of the day in a negative question is wanted', () => {
    expect(read('¿no tenéis nada el viernes por la mañana?').entities.date).toMatchObject({ local: '2026-12-11', partOfDay: 'morning' });
    expect(read('а в четверг после обеда ничего нет?').entities.date).toMatchObject({ local: '2026-12-10', partOfDay: 'afternoon' });
  });
  it('a day refused is not the one wanted; Portuguese "no sábado" is on Saturday', () => {
    expect(dayOf(read('esta semana no puedo, ¿me la pasas al lunes que viene?'))).toBe('2026-12-14');
    expect(read('no, not saturday').entities.date).toBeUndefined();
    expect(dayOf(read('queria marcar uma vacina no sábado'))).toBe('2026-12-12');
  });
});

describe('fifth round (tune9): in front of slots, another time asked for in other words goes to the booking', () => {
  const slots = [slotAt('a', 'santos', 'blood_test', '2026-12-08T08:30'), slotAt('b', 'costa', 'blood_test', '2026-12-08T09:00')];
  const context = { ...initialContext(), serviceId: 'blood_test', offeredSlots: slots };
  it.each([
    ['ой, это рано, я не успею. а в четверг после обеда?', '2026-12-10'],
    ['nenhum me dá jeito, não há nada na sexta de manhã? tenho de ir em jejum', '2026-12-11'],
  ])('%s', (text, day) => {
    expect(toConversationEvent(read(text), 'booking.choosingSlot', context)).toMatchObject({ type: 'PROVIDE', date: { local: day } });
  });
  checkMenuChoices(slots, [
    ['too early for me, I will take the last one', 2],
    ['a primeira é cedo demais, fico com a última', 2],
    ['האחרון נראה לי', 2],
  ]);
  it('"the last time I came" picks nothing', () => {
    expect(read('the last time I came it hurt').entities.lastOption).toBeUndefined();
  });
});

describe('fifth round (tune9): more ways to ask, book, check and cancel', () => {
  check([
    { text: 'desmarca tudo o que tenho com a dra mendes, vou mudar de dentista', intent: 'cancel', doctor: 'mendes' },
    { text: 'gostaria de saber se a enfermeira também faz análises ao sangue', intent: 'ask_service', service: 'blood_test' },
    { text: 'אמא שלי שואלת אם אפשר לעשות אצלכם חיסון שפעת', intent: 'ask_service', service: 'vaccination' },
    { text: 'quiero una limpieza con la doctora Mendes, cuando tenga un hueco', intent: 'book', service: 'dental_cleaning' },
    { text: 'am I still down for the ECG on friday?', intent: 'my_appointments', service: 'ecg' },
    { text: 'a minha filha tem a vacina marcada mas não sei bem quando é, podem verificar?', intent: 'my_appointments' },
    { text: 'посмотрите, пожалуйста, что у меня стоит на декабрь', intent: 'my_appointments' },
    // guard: a move with a day named is still a move
    { text: 'cancela essa e muda-me para sexta', intent: 'reschedule' },
  ]);
});

describe('fifth round (tune10): Ukrainian words in a Russian conversation', () => {
  check([
    { text: 'Відмініть, будь ласка, запис до педіатра', intent: 'cancel', service: 'pediatrics' },
    { text: 'мені треба анализ крови, можна в четвер?', intent: 'book', service: 'blood_test', day: '2026-12-10' },
    { text: 'дякую, до побачення', intent: 'thanks_bye' },
    { text: "з'єднайте мене з кимось з рецепції", intent: 'human' },
    // guard: addressing the reception is no wish to talk to it
    { text: 'Уважаемая регистратура, прошу перенести мой приём на пятницу', intent: 'reschedule', day: '2026-12-11' },
  ]);
});

describe('fifth round (tune10): cancelling, with a new booking only promised', () => {
  check([
    { text: "we can't make the ECG on Thursday, please cancel it, we'll rebook after Christmas", intent: 'cancel', service: 'ecg' },
    { text: 'no puedo ir al electro de mañana, cancélalo y ya llamo otro día', intent: 'cancel', service: 'ecg' },
    { text: 'no hace falta la revisión con el Dr Lev, la pueden borrar', intent: 'cancel' },
  ]);
});

describe('fifth round (tune10): menus and times', () => {
  const slots = [
    slotAt('a', 'costa', 'gp', '2026-12-08T09:00'),
    slotAt('b', 'costa', 'gp', '2026-12-08T14:20'),
    slotAt('c', 'lev', 'gp', '2026-12-09T16:00'),
  ];
  checkMenuChoices(slots, [
    ['la de las 2 y 20', 2],
    ['мне удобнее всего последний вариант', 3],
    ['3 סגור', 3],
  ]);
  it('"às 9 e 40" is 09:40; "dia 9 e 10" names no minutes', () => {
    expect(read('às 9 e 40 pode ser?').entities.date).toMatchObject({ local: '2026-12-07T09:40', hasTime: true });
    expect(read('dia 9 e 10').entities.date).toMatchObject({ hasTime: false });
  });
  it('"segunda" before "opção" is no Monday', () => {
    expect(read('a segunda opção').entities.date).toBeUndefined();
  });
});

describe('fifth round (tune10): other ways to book and check', () => {
  check([
    { text: '¿me haces un hueco para sacarme sangre el lunes que viene?', intent: 'book', service: 'blood_test', day: '2026-12-14' },
    { text: '¿cuánto dura el electro? tengo la hora de almuerzo nomás', intent: 'ask_service', service: 'ecg' },
    { text: 'is my physio still on for friday?', intent: 'my_appointments', service: 'physio' },
    { text: 'יש תור פנוי לניקוי שיניים השבוע?', intent: 'book', service: 'dental_cleaning' },
    { text: 'Мама спрашивает, на какое число у неё запись к педиатру', intent: 'my_appointments' },
  ]);
});

describe('fifth round (holdout9, after its blind score): emergencies a family clinic meets', () => {
  checkEmergencies([
    ['my dad fell down the stairs and he cannot get up, I think his hip is broken', 'trauma'],
    ['mi padre se cayó por la escalera y no se puede levantar', 'trauma'],
    ['הילד התחיל לרעוד כל הגוף והעיניים שלו למעלה', 'seizure'],
  ]);
  it('blood pressure pills that do not help are no emergency', () => {
    expect(read('давление скачет уже неделю, таблетки не помогают, можно к врачу в пятницу?').intent).toBe('book');
  });
});

describe('fifth round (holdout9): choices said in passing', () => {
  const slots = [
    slotAt('a', 'costa', 'gp', '2026-12-08T09:00'),
    slotAt('b', 'costa', 'gp', '2026-12-09T13:20'),
    slotAt('c', 'lev', 'gp', '2026-12-12T10:00'),
  ];
  checkMenuChoices(slots, [
    ['последний, как раз после работы успею', 3],
    ['האחרון, אחרי הגן זה הכי נוח', 3],
    ['la ultimaa, antes no puedo', 3],
    ['в 13 20 давайте', 2],
    ['субботний вариант норм', 3],
    ['2 פליז', 2],
    ['pode ser a primeira, quanto mais cedo melhor', 1],
  ]);
  it('"first, …" opens a sentence and picks nothing by itself', () => {
    expect(read('first, how long does it take?').entities.option).toBeUndefined();
  });
  it('a "no" asked as a tag must be set apart: «а в субботу ничего нет?» asks for Saturday', () => {
    expect(read('а в субботу утром ничего нет?').intent).toBe('book');
    expect(read('анализ крови в четверг, нет?').intent).toBe('my_appointments');
  });
});

describe('fifth round (holdout9): other words for asking, checking, moving and cancelling', () => {
  check([
    { text: 'quisiera saber si hacen electrocardiogramas', intent: 'ask_service', service: 'ecg' },
    { text: '¿con quién era la fisio del jueves?', intent: 'my_appointments', service: 'physio' },
    { text: 'quais são as marcações que temos? eu e o meu marido', intent: 'my_appointments' },
    { text: 'a vacina é amanhã ou quarta? já baralhei tudo', intent: 'my_appointments', service: 'vaccination' },
    { text: 'me equivoqué al pedir la cita del electro, la quería para el miércoles', intent: 'reschedule', service: 'ecg' },
    { text: 'נפלה לי סתימה, מתי הכי קרוב שיש לכם?', intent: 'book', service: 'filling' },
    { text: 'לא נוכל להגיע לחיסון בשבת, תבטלו בבקשה', intent: 'cancel', service: 'vaccination' },
    { text: 'do you accept Multibanco or only cash?', intent: 'unknown' },
    { text: 'Bom diaa 👋', intent: 'greeting' },
  ]);
});

describe('fifth round (holdout10, after its blind score): allergies and a mental crisis in other words', () => {
  checkEmergencies([
    ['me picó una avispa y se me está hinchando la garganta', 'allergic_reaction'],
    ['comi amendoins e tenho a garganta apertada, sou alérgica', 'allergic_reaction'],
    ['já não aguento mais nada, vou tomar os comprimidos todos de uma vez', 'suicidal'],
  ]);
});

describe('fifth round (holdout10): questions after a story, thanks before a question, who it is with', () => {
  check([
    { text: 'My doctor told me to get my moles looked at every year. Do you offer that and who does it?', intent: 'ask_service', service: 'skin_check' },
    { text: '¿quién hace las revisiones de los niños en la clínica?', intent: 'ask_service', service: 'pediatrics' },
    { text: 'кто у вас проводит осмотр у стоматолога?', intent: 'ask_service', service: 'dental_checkup' },
    { text: 'can you tell me what time my son\'s vaccine is on thursday?', intent: 'my_appointments', service: 'vaccination' },
    { text: 'עם מי הפיזיו שלי ביום חמישי?', intent: 'my_appointments', service: 'physio' },
    { text: 'a minha mãe tem análises marcadas?', intent: 'my_appointments', service: 'blood_test' },
    { text: 'el electro que tengo, ¿lo puedo pasar al viernes?', intent: 'reschedule', service: 'ecg' },
    { text: 'לא מגיעה לפיזיו מחר, תמחקו אותי', intent: 'cancel', service: 'physio' },
    { text: 'יש משהו ביום שלישי אחר הצהריים לחיסון?', intent: 'book', service: 'vaccination' },
    { text: 'privet', intent: 'greeting' },
    // guard: a plain thanks still thanks
    { text: 'ok gracias, muy amable', intent: 'thanks_bye' },
  ]);
  it('"ok gracias. ¿y a niños también?" after a vaccine answer asks about the vaccine', () => {
    const context = { ...initialContext(), serviceId: 'vaccination' };
    expect(toConversationEvent(read('ok gracias. ¿y también se la ponen a niños?'), 'inquiry.answering', context)).toEqual({ type: 'ASK_SERVICE', serviceId: null });
  });
});

describe('fifth round (holdout11, after its blind score): chest pain, allergies and seizures said of someone else', () => {
  checkEmergencies([
    ['my dad has a strong pain in his chest going down his left arm', 'chest_pain'],
    ['tomei o antibiótico e estou toda empolada, sinto a garganta a apertar', 'allergic_reaction'],
    ['o meu irmão está no chão a tremer e a deitar espuma pela boca', 'seizure'],
  ]);
});

describe('fifth round (holdout11): ages in diminutives, another time while confirming, more words', () => {
  it('"2 añitos", "3 aninhos", «2 годика» are ages, not hours', () => {
    expect(read('mi nena tiene 2 añitos').entities.date).toBeUndefined();
    expect(read('o meu filho tem 3 aninhos').entities.date).toBeUndefined();
    expect(read('сыну 2 годика').entities.date).toBeUndefined();
  });
  it('a no or a can\'t-make-it with another time, while confirming, asks for that time', () => {
    const slots = [slotAt('a', 'costa', 'gp', '2026-12-08T09:00')];
    const context = { ...initialContext(), serviceId: 'gp', offeredSlots: slots, selectedSlot: slots[0] ?? null };
    expect(toConversationEvent(read('nessa hora não consigo, tem às 11h30?'), 'booking.confirming', context)).toMatchObject({ type: 'PROVIDE', date: { hasTime: true } });
    expect(toConversationEvent(read('а можно в 11:30 вместо этого? раньше никак не успеваю'), 'booking.confirming', context)).toMatchObject({ type: 'PROVIDE', date: { hasTime: true } });
  });
  check([
    { text: 'на какое время у моего сына педиатр в пятницу?', intent: 'my_appointments', service: 'pediatrics' },
    { text: 'queria saber com quem fico marcada amanhã', intent: 'my_appointments' },
    { text: '¿cuántas sesiones de fisio me quedan reservadas?', intent: 'my_appointments', service: 'physio' },
    { text: 'יש לכם מקום לבדיקה אצל רופא ילדים?', intent: 'book', service: 'pediatrics' },
    { text: 'хочу отказаться от пломбы в пятницу', intent: 'cancel', service: 'filling' },
    { text: 'is it possible to make it next monday instead?', intent: 'reschedule', day: '2026-12-14' },
    { text: 'agradecido, fique com Deus', intent: 'thanks_bye' },
    { text: 'perdón, el niño agarró el celular', intent: 'unknown' },
  ]);
});

describe('fifth round (holdout12, after its blind score)', () => {
  checkEmergencies([['зуб болит так, что на стенку лезу, ибупрофен не берет', 'severe_pain']]);
  check([
    { text: 'ваш педиатр говорит по-английски?', intent: 'ask_service', service: 'pediatrics' },
    { text: 'mne nuzhno uznat skolko stoit ekg', intent: 'ask_service', service: 'ecg' },
    { text: 'o Dr. Lev atende crianças de 3 anos?', intent: 'ask_service', doctor: 'lev' },
    { text: 'на какое время у дочки приём у доктора Лева?', intent: 'my_appointments', doctor: 'lev' },
    { text: 'la limpieza cuánto dura? solo tengo una hora para comer', intent: 'ask_service', service: 'dental_cleaning' },
    { text: 'ola keria una sita para el electro', intent: 'book', service: 'ecg' },
    { text: '¿puedo pasar el jueves a ponerme la vacuna?', intent: 'book', service: 'vaccination', day: '2026-12-10' },
    { text: 'I want talk with reception, not with machine', intent: 'human' },
    { text: 'tengo fisio el lunes y preciso mudar para el sábado', intent: 'reschedule', day: '2026-12-12' },
  ]);
  const slots = [slotAt('a', 'santos', 'blood_test', '2026-12-08T08:00'), slotAt('b', 'costa', 'blood_test', '2026-12-08T11:00')];
  checkMenuChoices(slots, [['la primera, así voy en ayunas y luego al trabajo', 1]]);
  it('a no while confirming stays a no when it mentions a child', () => {
    const context = { ...initialContext(), serviceId: 'blood_test', offeredSlots: slots, selectedSlot: slots[0] ?? null };
    expect(toConversationEvent(read('uy no, espera, a esa hora tengo que buscar a mi hijo al cole'), 'booking.confirming', context)).toEqual({ type: 'DENY' });
  });
});

describe('fifth round (holdout13, after its blind score)', () => {
  check([
    { text: 'сколько длится сеанс физиотерапии? после перелома руки врач сказал разрабатывать', intent: 'ask_service', service: 'physio' },
    { text: 'а удалить родинку у вас тоже можно?', intent: 'ask_service' },
    { text: 'я уже сделал ЭКГ в больнице, так что запись можно снять', intent: 'cancel', service: 'ecg' },
    { text: 'which doctor will I be seeing for my physio on friday?', intent: 'my_appointments', service: 'physio' },
    { text: 'אפשר להחליף תאריך לתור שלי? יותר מתאים לי ב-15', intent: 'reschedule' },
    { text: 'a minha marcação já não dá, consegue pôr pra segunda que vem?', intent: 'reschedule', day: '2026-12-14' },
    { text: 'יש מישהו בקבלה שמדבר אנגלית?', intent: 'human' },
    { text: 'ey qué onda', intent: 'greeting' },
    { text: 'is the pharmacy next door open on Sunday?', intent: 'unknown' },
    { text: 'sabe se a farmácia aqui ao lado está aberta no domingo?', intent: 'unknown' },
    { text: 'подскажите хорошего нотариуса в Лиссабоне', intent: 'unknown' },
  ]);
  it('ages listed before their unit are no hours ("de 4 y 6 años")', () => {
    expect(read('tengo dos, de 4 y 6 años').entities.date).toBeUndefined();
    expect(read('my kids are 4 and 6 years old').entities.date).toBeUndefined();
  });
  it('"anótame para el sábado" after an answer books it', () => {
    const context = { ...initialContext(), serviceId: 'pediatrics' };
    expect(toConversationEvent(read('ok dale, anótame a mi nene para el sábado a la mañana'), 'inquiry.answering', context)).toMatchObject({ type: 'BOOK' });
  });
  checkMenuChoices([slotAt('a', 'santos', 'blood_test', '2026-12-08T08:00'), slotAt('b', 'costa', 'blood_test', '2026-12-08T11:00')], [
    ["I'll take the earliest one, thank you!", 1],
  ]);
});

describe('fifth round (holdout14, after its blind score)', () => {
  checkEmergencies([
    ['после удаления зуба щёку раздуло, глаз не открывается', 'severe_swelling'],
    ['אני לא מסוגל יותר, חושב לשים לזה סוף', 'suicidal'],
    ['הבת שלי נושמת ממש קשה והשפתיים שלה כחולות', 'breathing'],
  ]);
  check([
    { text: 'יש אצלכם רופא ילדים? הבן שלי בן 4', intent: 'ask_service', service: 'pediatrics' },
    { text: 'vocês dão a vacina da gripe a idosos?', intent: 'ask_service', service: 'vaccination' },
    { text: 'do I still have the blood test on friday or was it cancelled?', intent: 'my_appointments', service: 'blood_test' },
    { text: 'ainda tenho o ECG na sexta ou foi desmarcado?', intent: 'my_appointments', service: 'ecg' },
    { text: "just checking which doctor I'm seeing on Saturday", intent: 'my_appointments', day: '2026-12-12' },
    { text: 'venho por este meio solicitar uma consulta de clínica geral para o meu pai', intent: 'book', service: 'gp' },
    { text: 'can u delete my booking, the ECG one, moving back home earlier than planned', intent: 'cancel', service: 'ecg' },
    { text: 'porfa, ¿me quitan la cita del electro?', intent: 'cancel', service: 'ecg' },
    { text: "Obrigada!! you've been very helpful", intent: 'thanks_bye' },
    { text: 'где в Лиссабоне купить гречку?', intent: 'unknown' },
  ]);
  checkMenuChoices([slotAt('a', 'costa', 'gp', '2026-12-08T09:00'), slotAt('b', 'lev', 'gp', '2026-12-08T10:00'), slotAt('c', 'costa', 'gp', '2026-12-09T11:00')], [['נלך על 3', 3]]);
});

describe('fifth round (holdout15, after its blind score)', () => {
  checkEmergencies([['הילדה נפלה מהקורקינט ויש לה דם מהפה', 'trauma']]);
  check([
    { text: 'which doctor is seeing children? my daughter is 3', intent: 'ask_service', service: 'pediatrics' },
    { text: 'la dra mendes atiende a niños también o solo a adultos?', intent: 'ask_service', doctor: 'mendes' },
    { text: 'could you tell me all appointments for me and my husband this month?', intent: 'my_appointments' },
    { text: 'la revisión de mi hijo era hoy o mañana?', intent: 'my_appointments' },
    { text: 'у меня завтра приём, можно в тот же день, но после обеда?', intent: 'reschedule' },
    { text: 'a minha mãe tem a vacina marcada, consegue passar para amanhã?', intent: 'reschedule', service: 'vaccination' },
  ]);
});

describe('fifth round: a number said with a practitioner is still counted among that practitioner\'s times', () => {
  checkMenuChoices(
    [slotAt('a', 'costa', 'blood_test', '2026-12-08T08:00'), slotAt('b', 'santos', 'blood_test', '2026-12-08T09:00'), slotAt('c', 'santos', 'blood_test', '2026-12-08T10:00')],
    [
      ['la segunda con el enfermero', 3],
      ["I'll take the second one", 2],
    ],
  );
});
