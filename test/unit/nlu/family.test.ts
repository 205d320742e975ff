/**
 * Issue 11 class by class, in every language, against the family clinic (test/fixtures/family-clinic.json)
 * on Monday 2026-12-07 09:00: what the NLU reads and the chart event the conversation turns it into.
 */
import { describe, expect, it } from 'vitest';
import { toConversationEvent } from '../../../src/conversation/events.js';
import { initialContext, type ConversationContext, type ConversationEvent, type Slot } from '../../../statecharts/conversation.js';
import { check, checkMenuChoices, read, useFamilyClinic } from './family-support.js';

useFamilyClinic();

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

describe('issue 11, second round: patients as they really write (sentences no evaluation set holds)', () => {
  describe("questions about one's own bookings (\"who am I seeing on the 15th?\", «к кому мне завтра идти?», \"con quién me toca\")", () => {
    check([
      { text: "do i have anything booked next week?", intent: 'my_appointments' },
      { text: "what time is my ecg again", intent: 'my_appointments' },
      { text: "can you check if i have an appointment with dr costa", intent: 'my_appointments' },
      { text: "i think i have something on thursday, can you confirm?", intent: 'my_appointments' },
      { text: "which doctor am i seeing tomorrow?", intent: 'my_appointments' },
      { text: "tengo algo reservado para la semana que viene?", intent: 'my_appointments' },
      { text: "a q hora era lo del electro?", intent: 'my_appointments' },
      { text: "me puedes mirar si tengo cita con la dra costa", intent: 'my_appointments' },
      { text: "con quién me toca mañana?", intent: 'my_appointments' },
      { text: "creo que tenía algo el jueves, me lo confirmas?", intent: 'my_appointments' },
      { text: "у меня что-нибудь есть на следующей неделе?", intent: 'my_appointments' },
      { text: "во сколько у меня экг, напомните", intent: 'my_appointments' },
      { text: "посмотрите, пожалуйста, записан ли я к доктору Косте", intent: 'my_appointments' },
      { text: "к кому мне завтра идти?", intent: 'my_appointments' },
      { text: "кажется, у меня что-то было в четверг, можете проверить?", intent: 'my_appointments' },
      { text: "יש לי משהו בשבוע הבא?", intent: 'my_appointments' },
      { text: "באיזו שעה האקג שלי?", intent: 'my_appointments' },
      { text: "אפשר לבדוק אם יש לי תור אצל ד\"ר קוסטה", intent: 'my_appointments' },
      { text: "אצל מי אני מחר?", intent: 'my_appointments' },
      { text: "נראה לי שהיה לי משהו ביום חמישי, אפשר לוודא?", intent: 'my_appointments' },
      { text: "tenho alguma coisa para a semana que vem?", intent: 'my_appointments' },
      { text: "a que horas era o ECG?", intent: 'my_appointments' },
      { text: "pode ver se tenho consulta com a dra costa?", intent: 'my_appointments' },
      { text: "com quem é que eu tenho amanhã?", intent: 'my_appointments' },
      { text: "acho que tinha qualquer coisa na quinta, confirma-me?", intent: 'my_appointments' },
      { text: "wen is my apointment", intent: 'my_appointments' },
      { text: "do i still have the cleaning on tues?", intent: 'my_appointments' },
      { text: "whats booked for me", intent: 'my_appointments' },
      { text: "cuando es mi sita", intent: 'my_appointments' },
      { text: "sigo teniendo la limpieza el martes?", intent: 'my_appointments' },
      { text: "q tengo reservado", intent: 'my_appointments' },
      { text: "кагда моя запись", intent: 'my_appointments' },
      { text: "у меня всё ещё чистка во вторник?", intent: 'my_appointments' },
      { text: "на что я записан", intent: 'my_appointments' },
      { text: "מתי התור שלי", intent: 'my_appointments' },
      { text: "עדיין יש לי ניקוי ביום שלישי?", intent: 'my_appointments' },
      { text: "למה אני רשומה", intent: 'my_appointments' },
      { text: "qd é a minha consulta", intent: 'my_appointments' },
      { text: "ainda tenho a limpeza na terça?", intent: 'my_appointments' },
      { text: "o que tenho marcado", intent: 'my_appointments' },
    ]);
  });
  describe("questions that are not bookings: preparation, medication, \"or do I need … first\", referrals", () => {
    check([
      { text: "is it ok to drink water before the blood test?", intent: 'ask_service' },
      { text: "should I stop my medication before the ECG?", intent: 'ask_service' },
      { text: "can physio help with a frozen shoulder or should i see a gp first?", intent: 'ask_service' },
      { text: "do i need a referral for the skin check?", intent: 'ask_service' },
      { text: "puedo beber agua antes del análisis?", intent: 'ask_service' },
      { text: "tengo que dejar la medicación antes del electro?", intent: 'ask_service' },
      { text: "la fisio me puede ayudar con el hombro o mejor voy antes al médico de cabecera?", intent: 'ask_service' },
      { text: "necesito volante para la revisión de lunares?", intent: 'ask_service' },
      { text: "можно пить воду перед анализом крови?", intent: 'ask_service' },
      { text: "нужно ли отменять лекарства перед экг?", intent: 'ask_service' },
      { text: "физиотерапия поможет с плечом или лучше сначала к терапевту?", intent: 'ask_service' },
      { text: "нужно ли направление на проверку родинок?", intent: 'ask_service' },
      { text: "מותר לשתות מים לפני בדיקת דם?", intent: 'ask_service' },
      { text: "צריך להפסיק תרופות לפני אקג?", intent: 'ask_service' },
      { text: "פיזיותרפיה תעזור לכתף או שעדיף קודם ללכת לרופא משפחה?", intent: 'ask_service' },
      { text: "צריך הפניה לבדיקת שומות?", intent: 'ask_service' },
      { text: "posso beber água antes da análise?", intent: 'ask_service' },
      { text: "tenho de parar a medicação antes do ECG?", intent: 'ask_service' },
      { text: "a fisioterapia ajuda no ombro ou é melhor ir primeiro ao médico de família?", intent: 'ask_service' },
      { text: "preciso de credencial para a consulta de sinais?", intent: 'ask_service' },
      { text: "r u open on sat? how much is a checkup", intent: 'ask_service' },
      { text: "does the vaccine hurt much for kids", intent: 'ask_service' },
      { text: "is the skin check covered by my insurance", intent: 'ask_service' },
      { text: "abris el sabado? cuanto cuesta la revision", intent: 'ask_service' },
      { text: "la vacuna les duele mucho a los niños?", intent: 'ask_service' },
      { text: "el seguro cubre la revision de lunares?", intent: 'ask_service' },
      { text: "вы в субботу работаете? сколько стоит осмотр", intent: 'ask_service' },
      { text: "детям прививка больно?", intent: 'ask_service' },
      { text: "страховка покрывает проверку родинок?", intent: 'ask_service' },
      { text: "אתם פתוחים בשבת? כמה עולה בדיקה", intent: 'ask_service' },
      { text: "החיסון כואב לילדים?", intent: 'ask_service' },
      { text: "הביטוח מכסה בדיקת שומות?", intent: 'ask_service' },
      { text: "estão abertos ao sábado? quanto custa a consulta de rotina", intent: 'ask_service' },
      { text: "a vacina dói muito às crianças?", intent: 'ask_service' },
      { text: "o seguro cobre a consulta de sinais?", intent: 'ask_service' },
    ]);
  });
  describe("can't come, another day; moving in everyday words", () => {
    check([
      { text: "i can't make my appointment tomorrow, can we do another day?", intent: 'reschedule' },
      { text: "something's come up, any chance to move my cleaning to next week?", intent: 'reschedule' },
      { text: "mañana no puedo ir a la cita, la podemos cambiar a otro día?", intent: 'reschedule' },
      { text: "me ha surgido un imprevisto, se puede mover la limpieza a la semana que viene?", intent: 'reschedule' },
      { text: "завтра не смогу прийти на приём, можно на другой день?", intent: 'reschedule' },
      { text: "у меня изменились планы, можно чистку перенести на следующую неделю?", intent: 'reschedule' },
      { text: "מחר אני לא יכולה להגיע לתור, אפשר להעביר ליום אחר?", intent: 'reschedule' },
      { text: "צץ לי משהו, אפשר להזיז את הניקוי לשבוע הבא?", intent: 'reschedule' },
      { text: "amanhã não consigo ir à consulta, dá para mudar para outro dia?", intent: 'reschedule' },
      { text: "tive um imprevisto, pode passar a limpeza para a semana que vem?", intent: 'reschedule' },
      { text: "cant come tmrw sorry can we move it", intent: 'reschedule' },
      { text: "need to push my appt back a week", intent: 'reschedule' },
      { text: "mañana no puedo lo siento, se puede cambiar?", intent: 'reschedule' },
      { text: "necesito retrasar mi cita una semana", intent: 'reschedule' },
      { text: "завтра не могу, извините, можно поменять?", intent: 'reschedule' },
      { text: "мне нужно сдвинуть запись на неделю", intent: 'reschedule' },
      { text: "מחר אני לא יכול סליחה, אפשר לשנות?", intent: 'reschedule' },
      { text: "אני צריכה לדחות את התור בשבוע", intent: 'reschedule' },
      { text: "amanhã não posso desculpe, dá para mudar?", intent: 'reschedule' },
      { text: "preciso de adiar a minha consulta uma semana", intent: 'reschedule' },
    ]);
  });
  describe("cancelling with a pronoun written onto the verb", () => {
    check([
      { text: "cancel my physio on friday please", intent: 'cancel' },
      { text: "anula mi fisio del viernes porfa", intent: 'cancel' },
      { text: "отмените мою физиотерапию в пятницу", intent: 'cancel' },
      { text: "תבטלו לי את הפיזיו ביום שישי", intent: 'cancel' },
      { text: "desmarca a minha fisio de sexta por favor", intent: 'cancel' },
      { text: "pls cancel tmrw, im sick", intent: 'cancel' },
      { text: "i wont be coming on friday, just cancel it", intent: 'cancel' },
      { text: "cancela lo de mañana porfa, estoy malo", intent: 'cancel' },
      { text: "el viernes no voy a ir, cancélala", intent: 'cancel' },
      { text: "отмените завтрашнюю пожалуйста, я заболел", intent: 'cancel' },
      { text: "в пятницу не приду, отменяйте", intent: 'cancel' },
      { text: "תבטלו את של מחר בבקשה, אני חולה", intent: 'cancel' },
      { text: "ביום שישי לא אגיע, תבטלו", intent: 'cancel' },
      { text: "cancela a de amanhã por favor, estou doente", intent: 'cancel' },
      { text: "na sexta não vou, desmarque por favor", intent: 'cancel' },
    ]);
  });
  describe("emergencies in everyday words: fits, broken teeth after a fall, pain that stops one moving, inhalers that fail", () => {
    check([
      { text: "my daughter is having a seizure", intent: 'emergency' },
      { text: "my husband collapsed and isn't waking up", intent: 'emergency' },
      { text: "he fell off the swing and broke his front tooth, theres blood", intent: 'emergency' },
      { text: "i'm wheezing and my inhaler does nothing", intent: 'emergency' },
      { text: "mi hija está convulsionando", intent: 'emergency' },
      { text: "mi marido se ha desmayado y no responde", intent: 'emergency' },
      { text: "se cayó del columpio y se le ha partido un diente, sangra", intent: 'emergency' },
      { text: "me cuesta muchísimo respirar y el inhalador no me hace efecto", intent: 'emergency' },
      { text: "у дочки судороги", intent: 'emergency' },
      { text: "муж потерял сознание и не приходит в себя", intent: 'emergency' },
      { text: "сын упал с качелей и сломал передний зуб, идёт кровь", intent: 'emergency' },
      { text: "очень тяжело дышать, ингалятор не помогает", intent: 'emergency' },
      { text: "הבת שלי מפרכסת", intent: 'emergency' },
      { text: "בעלי התעלף ולא מגיב", intent: 'emergency' },
      { text: "הילד נפל מהנדנדה ושבר שן קדמית, יש דם", intent: 'emergency' },
      { text: "קשה לי מאוד לנשום והמשאף לא עוזר", intent: 'emergency' },
      { text: "a minha filha está a ter uma convulsão", intent: 'emergency' },
      { text: "o meu marido desmaiou e não responde", intent: 'emergency' },
      { text: "caiu do baloiço e partiu um dente, está a sangrar", intent: 'emergency' },
      { text: "custa-me imenso respirar e a bomba não faz nada", intent: 'emergency' },
      { text: "my baby has a high fever and is having convulsions", intent: 'emergency' },
      { text: "severe chest pain radiating to my jaw", intent: 'emergency' },
      { text: "he's choking on something", intent: 'emergency' },
      { text: "mi bebé tiene mucha fiebre y le dan convulsiones", intent: 'emergency' },
      { text: "dolor fuerte en el pecho que me sube a la mandíbula", intent: 'emergency' },
      { text: "se está atragantando con algo", intent: 'emergency' },
      { text: "у малыша высокая температура и судороги", intent: 'emergency' },
      { text: "сильная боль в груди отдаёт в челюсть", intent: 'emergency' },
      { text: "он подавился чем-то", intent: 'emergency' },
      { text: "לתינוק יש חום גבוה והוא מפרכס", intent: 'emergency' },
      { text: "כאב חזק בחזה שמקרין ללסת", intent: 'emergency' },
      { text: "הוא נחנק ממשהו", intent: 'emergency' },
      { text: "o meu bebé tem febre alta e está com convulsões", intent: 'emergency' },
      { text: "dor forte no peito que vai até ao maxilar", intent: 'emergency' },
      { text: "está a engasgar-se com qualquer coisa", intent: 'emergency' },
    ]);
  });
  describe("asking to be called back", () => {
    check([
      { text: "can a real person call me back please", intent: 'human' },
      { text: "i'd rather speak to someone at reception", intent: 'human' },
      { text: "puede llamarme una persona por favor?", intent: 'human' },
      { text: "prefiero hablar con alguien de recepción", intent: 'human' },
      { text: "можно, чтобы мне позвонил живой человек?", intent: 'human' },
      { text: "хочу поговорить с кем-нибудь из регистратуры", intent: 'human' },
      { text: "אפשר שמישהו אמיתי יתקשר אליי?", intent: 'human' },
      { text: "אני מעדיפה לדבר עם מישהו מהקבלה", intent: 'human' },
      { text: "pode ligar-me alguém por favor?", intent: 'human' },
      { text: "prefiro falar com alguém da receção", intent: 'human' },
      { text: "let me talk to an actual human", intent: 'human' },
      { text: "can i speak to the receptionist pls", intent: 'human' },
      { text: "quiero hablar con un humano de verdad", intent: 'human' },
      { text: "me pasas con recepción porfa", intent: 'human' },
      { text: "хочу поговорить с живым человеком", intent: 'human' },
      { text: "соедините с регистратурой пожалуйста", intent: 'human' },
      { text: "אני רוצה לדבר עם בן אדם אמיתי", intent: 'human' },
      { text: "תעבירו אותי לקבלה בבקשה", intent: 'human' },
      { text: "quero falar com um humano a sério", intent: 'human' },
      { text: "pode passar-me à receção por favor", intent: 'human' },
    ]);
  });
  describe("goodbyes after an ok", () => {
    check([
      { text: "thanks for your help, have a good day", intent: 'thanks_bye' },
      { text: "cool thanks bye", intent: 'thanks_bye' },
      { text: "gracias por todo, que vaya bien", intent: 'thanks_bye' },
      { text: "vale gracias, adiós", intent: 'thanks_bye' },
      { text: "спасибо за помощь, хорошего дня", intent: 'thanks_bye' },
      { text: "ок спасибо, до свидания", intent: 'thanks_bye' },
      { text: "תודה על הכל, המשך יום נעים", intent: 'thanks_bye' },
      { text: "אוקיי תודה, ביי", intent: 'thanks_bye' },
      { text: "obrigada por tudo, bom dia", intent: 'thanks_bye' },
      { text: "ok obrigado, adeus", intent: 'thanks_bye' },
      { text: "ty so much", intent: 'thanks_bye' },
      { text: "mil gracias!!", intent: 'thanks_bye' },
      { text: "спасибо огромное!!", intent: 'thanks_bye' },
      { text: "תודה רבה!!", intent: 'thanks_bye' },
      { text: "muito obrigada!!", intent: 'thanks_bye' },
    ]);
  });
  describe("bookings stay bookings", () => {
    check([
      { text: "i need to book a blood test for friday morning", intent: 'book' },
      { text: "can i get my son vaccinated this week?", intent: 'book' },
      { text: "quiero pedir un análisis de sangre para el viernes por la mañana", intent: 'book' },
      { text: "puedo vacunar al niño esta semana?", intent: 'book' },
      { text: "хочу сдать кровь в пятницу утром", intent: 'book' },
      { text: "можно сделать прививку ребёнку на этой неделе?", intent: 'book' },
      { text: "רוצה לקבוע בדיקת דם ליום שישי בבוקר", intent: 'book' },
      { text: "אפשר לחסן את הילד השבוע?", intent: 'book' },
      { text: "queria marcar análises ao sangue para sexta de manhã", intent: 'book' },
      { text: "posso vacinar o miúdo esta semana?", intent: 'book' },
      { text: "need a filling asap", intent: 'book' },
      { text: "could dr mendes see me thursday afternoon for a cleaning", intent: 'book' },
      { text: "book my son in with dr lev next week", intent: 'book' },
      { text: "necesito un empaste cuanto antes", intent: 'book' },
      { text: "me puede ver la dra mendes el jueves por la tarde para una limpieza", intent: 'book' },
      { text: "quiero apuntar a mi hijo con el dr lev la semana que viene", intent: 'book' },
      { text: "нужна пломба как можно скорее", intent: 'book' },
      { text: "может ли доктор Мендес принять меня в четверг после обеда на чистку", intent: 'book' },
      { text: "хочу записать сына к доктору Леву на следующей неделе", intent: 'book' },
      { text: "צריכה סתימה בהקדם", intent: 'book' },
      { text: "ד\"ר מנדס יכולה לראות אותי ביום חמישי אחה\"צ לניקוי", intent: 'book' },
      { text: "רוצה לקבוע לבן שלי אצל ד\"ר לב בשבוע הבא", intent: 'book' },
      { text: "preciso de uma obturação o mais rápido possível", intent: 'book' },
      { text: "a dra mendes pode atender-me quinta à tarde para uma limpeza", intent: 'book' },
      { text: "queria marcar o meu filho com o dr lev para a semana", intent: 'book' },
    ]);
  });
  describe('Spanish polite plural with a pronoun', () => {
    check([{ text: 'no voy a poder ir el viernes, cancelenla por favor', intent: 'cancel', day: '2026-12-11' }]);
  });
});

describe('issue 11, second round: practitioners asked about, moving someone else\'s appointment, asking for a doctor', () => {
  check([
    { text: 'does dr lev see newborns?', intent: 'ask_service', doctor: 'lev' },
    { text: 'el dr lev ve recién nacidos?', intent: 'ask_service', doctor: 'lev' },
    { text: 'o dr lev vê recém-nascidos?', intent: 'ask_service', doctor: 'lev' },
    { text: 'my kid is sick, can we move his vaccine to next week', intent: 'reschedule', service: 'vaccination' },
    { text: 'o miúdo está doente, podemos passar a vacina para a próxima semana', intent: 'reschedule', service: 'vaccination' },
    { text: 'i want to speak to a doctor directly', intent: 'human' },
    { text: 'quiero hablar directamente con un médico', intent: 'human' },
    { text: 'quero falar diretamente com um médico', intent: 'human' },
    { text: 'התור לאקג נקבע בסוף?', intent: 'my_appointments' },
    { text: 'a marcação do ECG ficou feita?', intent: 'my_appointments' },
    { text: 'le sangra muchísimo la boca después de la extracción y no para', intent: 'emergency' },
    { text: 'после удаления зуба сильно идёт кровь изо рта и не останавливается', intent: 'emergency' },
    { text: 'после антибиотика отекает лицо и сжимает горло', intent: 'emergency' },
  ]);

  it('a practitioner asked about in front of a menu still chooses', () => {
    const slots: Slot[] = [
      { id: 'a', doctorId: 'costa', serviceId: 'vaccination', startsAt: '2026-12-08T10:30:00Z', endsAt: '2026-12-08T10:45:00Z', local: '2026-12-08T10:30' },
      { id: 'b', doctorId: 'santos', serviceId: 'vaccination', startsAt: '2026-12-09T15:00:00Z', endsAt: '2026-12-09T15:15:00Z', local: '2026-12-09T15:00' },
    ];
    const choosing: ConversationContext = { ...initialContext(), serviceId: 'vaccination', offeredSlots: slots };
    expect(toConversationEvent(read('with the nurse?'), 'booking.choosingSlot', choosing)).toEqual({ type: 'CHOOSE', option: 2 });
    expect(toConversationEvent(read('con el enfermero?'), 'booking.choosingSlot', choosing)).toEqual({ type: 'CHOOSE', option: 2 });
  });

  it('an ordinal used as an adverb is no choice', () => {
    const confirming: ConversationContext = { ...initialContext(), serviceId: 'gp', offeredSlots: [] };
    expect(read('actually let me check my diary first').entities.option).toBeUndefined();
    expect(toConversationEvent(read('actually let me check my diary first'), 'booking.confirming', confirming)).toEqual({ type: 'DENY' });
    expect(read("I'll take the first one tomorrow").entities.option).toBe(1);
    expect(read('давайте первый').entities.option).toBe(1);
  });
});

describe('issue 11, second round: thanks with a "great" thank, and still answer a question yes', () => {
  const confirming: ConversationContext = { ...initialContext(), serviceId: 'gp', offeredSlots: [] };
  it.each(['genial, gracias!', 'супер, спасибо!', 'ótimo, obrigada!', 'great, thanks', 'מעולה, תודה!'])('%s', (text) => {
    expect(read(text).intent).toBe('thanks_bye');
    expect(toConversationEvent(read(text), 'idle', initialContext())).toEqual({ type: 'THANKS' });
    expect(toConversationEvent(read(text), 'booking.confirming', confirming)).toEqual({ type: 'CONFIRM' });
  });
});

describe('issue 11, second round: a symptom the patient has is no appointment they have', () => {
  check([
    { text: 'tengo caries, cuándo me podéis hacer un empaste?', intent: 'ask_service', service: 'filling' },
    { text: 'у меня кариес, когда вы принимаете?', intent: 'ask_service', service: 'filling' },
    { text: 'when could I have a filling?', intent: 'book', service: 'filling' },
    { text: 'на какое число у меня пломба?', intent: 'my_appointments', service: 'filling' },
    { text: 'do i still have the cleaning on tues?', intent: 'my_appointments', service: 'dental_cleaning' },
  ]);
});

describe('issue 11, second round: an appointment one has, then another day asked for, moves it', () => {
  check([
    { text: 'У меня приём у терапевта в четверг, но я застряла на работе, есть что-то в пятницу?', intent: 'reschedule', day: '2026-12-11' },
    { text: 'יש לי תור לרופא משפחה ביום חמישי אבל אני תקועה בעבודה, יש משהו ביום שישי?', intent: 'reschedule', day: '2026-12-11' },
    { text: 'Tenho consulta de clínica geral na quinta mas fico presa no trabalho, há alguma coisa na sexta?', intent: 'reschedule', day: '2026-12-11' },
    { text: 'when is my appointment? is it thursday?', intent: 'my_appointments' },
  ]);
});

describe('issue 11, second round: a day named in a message about something else is no request', () => {
  it.each(["what's the weather like in porto this week", 'sabes si hay huelga de metro hoy?'])('%s', (text) => {
    expect(read(text).intent).toBe('unknown');
    expect(toConversationEvent(read(text), 'idle', initialContext())).toEqual({ type: 'UNKNOWN' });
  });

  it('a day alone is still a request, and answers a booking that asked for one', () => {
    expect(read('friday at 10?').intent).toBe('book');
    expect(read('what about thursday?').intent).toBe('book');
    const awaiting: ConversationContext = { ...initialContext(), serviceId: 'gp' };
    expect(toConversationEvent(read('tomorrow morning would suit me best'), 'booking.awaitingDate', awaiting)).toMatchObject({ type: 'PROVIDE' });
  });
});

describe('issue 11, second round: choices in front of a menu, afternoons that reach into the evening, the nth of a day', () => {
  const slots: Slot[] = [
    { id: 'a', doctorId: 'costa', serviceId: 'blood_test', startsAt: '2026-12-08T09:00:00Z', endsAt: '2026-12-08T09:15:00Z', local: '2026-12-08T09:00' },
    { id: 'b', doctorId: 'santos', serviceId: 'blood_test', startsAt: '2026-12-08T14:30:00Z', endsAt: '2026-12-08T14:45:00Z', local: '2026-12-08T14:30' },
    { id: 'c', doctorId: 'costa', serviceId: 'blood_test', startsAt: '2026-12-10T11:00:00Z', endsAt: '2026-12-10T11:15:00Z', local: '2026-12-10T11:00' },
    { id: 'd', doctorId: 'santos', serviceId: 'blood_test', startsAt: '2026-12-11T17:00:00Z', endsAt: '2026-12-11T17:15:00Z', local: '2026-12-11T17:00' },
  ];
  checkMenuChoices(slots, [
    ['el viernes por la tarde', 4],
    ['sexta à tarde', 4],
    ['la segunda del martes', 2],
    ['the nurse on friday', 4],
    ['в четверг в 11', 3],
    ['שלישי אחר הצהריים', 2],
    // "Dra." is carried by two practitioners; on this menu only Dr. Costa has times.
    ['con la dra el jueves', 3],
    // "doctora" spells out "Dra.": the first time with one who carries it.
    ['con la doctora', 1],
    ['com a doutora na quinta', 3],
  ]);
});

describe('issue 11, second round: weighing two services is a question', () => {
  check([
    { text: 'should i book a gp visit or physio for my knee?', intent: 'ask_service' },
    { text: 'pido cita con el médico de cabecera o con fisio para la rodilla?', intent: 'ask_service' },
    { text: 'мне записаться к терапевту или к физиотерапевту с коленом?', intent: 'ask_service' },
    { text: 'לקבוע לרופא משפחה או לפיזיותרפיה בשביל הברך?', intent: 'ask_service' },
    { text: 'marco médico de família ou fisioterapia para o joelho?', intent: 'ask_service' },
    { text: 'a gp visit or physio on friday?', intent: 'book' },
  ]);
});

describe('issue 11, second round: emergencies told the way patients tell them', () => {
  check([
    { text: "my chest feels really heavy and my left arm is numb", intent: 'emergency' },
    { text: "she can't catch her breath and is wheezing", intent: 'emergency' },
    { text: "my dad fainted in the bathroom and hit his head", intent: 'emergency' },
    { text: "his face is drooping on one side and he can't talk properly", intent: 'emergency' },
    { text: "my son swallowed something and is choking", intent: 'emergency' },
    { text: "after the filling my lips and tongue swelled up and I feel dizzy", intent: 'emergency' },
    { text: "I don't want to be here anymore", intent: 'emergency' },
    { text: "my gum won't stop bleeding since the extraction yesterday", intent: 'emergency' },
    { text: "toothache is so bad i can't sleep and paracetamol does nothing", intent: 'emergency' },
    { text: "my jaw is swollen and i have a fever", intent: 'emergency' },
    { text: "siento una presión muy fuerte en el pecho y se me duerme el brazo izquierdo", intent: 'emergency' },
    { text: "no puede recuperar el aliento y le silba el pecho", intent: 'emergency' },
    { text: "mi padre se ha desmayado en el baño y se ha dado en la cabeza", intent: 'emergency' },
    { text: "se le ha torcido la boca y no puede hablar bien", intent: 'emergency' },
    { text: "mi hijo se ha tragado algo y se está ahogando", intent: 'emergency' },
    { text: "después del empaste se me hincharon los labios y la lengua y estoy mareada", intent: 'emergency' },
    { text: "ya no quiero seguir viviendo", intent: 'emergency' },
    { text: "desde la extracción de ayer no me para de sangrar la encía", intent: 'emergency' },
    { text: "me duele tanto la muela que no puedo dormir y el paracetamol no hace nada", intent: 'emergency' },
    { text: "tengo la mandíbula hinchada y fiebre", intent: 'emergency' },
    { text: "очень давит в груди и немеет левая рука", intent: 'emergency' },
    { text: "она не может отдышаться и хрипит", intent: 'emergency' },
    { text: "папа упал в обморок в ванной и ударился головой", intent: 'emergency' },
    { text: "у него перекосило лицо и он не может нормально говорить", intent: 'emergency' },
    { text: "сын что-то проглотил и задыхается", intent: 'emergency' },
    { text: "после пломбы распухли губы и язык, кружится голова", intent: 'emergency' },
    { text: "я больше не хочу жить", intent: 'emergency' },
    { text: "после вчерашнего удаления десна не перестаёт кровить", intent: 'emergency' },
    { text: "так болит зуб, что не могу спать, парацетамол не помогает", intent: 'emergency' },
    { text: "у меня опухла челюсть и температура", intent: 'emergency' },
    { text: "יש לי לחץ חזק בחזה והיד השמאלית נרדמת", intent: 'emergency' },
    { text: "היא לא מצליחה לתפוס אוויר ויש לה צפצופים", intent: 'emergency' },
    { text: "אבא שלי התעלף באמבטיה וקיבל מכה בראש", intent: 'emergency' },
    { text: "הפנים שלו נפלו בצד אחד והוא לא מצליח לדבר כמו שצריך", intent: 'emergency' },
    { text: "הבן שלי בלע משהו והוא נחנק", intent: 'emergency' },
    { text: "אחרי הסתימה השפתיים והלשון התנפחו ואני מסוחררת", intent: 'emergency' },
    { text: "אני לא רוצה לחיות יותר", intent: 'emergency' },
    { text: "מאז העקירה אתמול החניכיים לא מפסיקות לדמם", intent: 'emergency' },
    { text: "השן כואבת כל כך שאני לא יכולה לישון ואקמול לא עוזר", intent: 'emergency' },
    { text: "הלסת שלי נפוחה ויש לי חום", intent: 'emergency' },
    { text: "sinto um aperto muito forte no peito e o braço esquerdo dormente", intent: 'emergency' },
    { text: "ela não consegue recuperar o fôlego e está com pieira", intent: 'emergency' },
    { text: "o meu pai desmaiou na casa de banho e bateu com a cabeça", intent: 'emergency' },
    { text: "está com a boca ao lado e não consegue falar bem", intent: 'emergency' },
    { text: "o meu filho engoliu uma coisa e está a sufocar", intent: 'emergency' },
    { text: "depois da obturação os lábios e a língua incharam e estou tonta", intent: 'emergency' },
    { text: "já não quero viver", intent: 'emergency' },
    { text: "desde a extração de ontem a gengiva não para de sangrar", intent: 'emergency' },
    { text: "dói-me tanto o dente que não consigo dormir e o paracetamol não faz nada", intent: 'emergency' },
    { text: "tenho o maxilar inchado e febre", intent: 'emergency' },
  ]);
  check([{ text: "I can't go on Friday", intent: 'reschedule' }]);
});

/**
 * Emergencies a family clinic meets that a dental lexicon never named: broken limbs and falls,
 * hives after a sting, a face swelling shut, thoughts of ending one's life said indirectly. The
 * kind matters: it picks the advice and the urgency. The last cases must stay non-emergencies.
 */
describe('family-clinic emergencies in indirect words, five languages', () => {
  const kinds: ReadonlyArray<[string, string]> = [
    ['honestly there is no point in living any more', 'suicidal'],
    ['sometimes I wish I were dead', 'suicidal'],
    ['ya no vale la pena vivir', 'suicidal'],
    ['já não vale a pena viver, não vejo sentido na vida', 'suicidal'],
    ['жить незачем, хочу уйти из жизни', 'suicidal'],
    ['אין טעם לחיות יותר', 'suicidal'],
    ['a bee stung me and now I am covered in hives', 'allergic_reaction'],
    ['me picó una avispa y estoy llena de ronchas', 'allergic_reaction'],
    ['fui picada por uma abelha e estou cheia de borbulhas', 'allergic_reaction'],
    ['укусила оса, весь в сыпи', 'allergic_reaction'],
    ['דבורה עקצה אותי ואני מלא פריחה', 'allergic_reaction'],
    ['half my face is swollen and my eye is closing', 'severe_swelling'],
    ['se me hinchó la cara y casi no puedo abrir la boca', 'severe_swelling'],
    ['a bochecha inchou e mal consigo abrir a boca', 'severe_swelling'],
    ['пол-лица опухло, глаз почти не открывается', 'severe_swelling'],
    ['הלסת התנפחה ואני בקושי פותחת את הפה', 'severe_swelling'],
    ['my son fell off a ladder and his arm is bent the wrong way', 'trauma'],
    ['mi padre se cayó por las escaleras y tiene la pierna rota', 'trauma'],
    ['o meu pai caiu das escadas e partiu a perna', 'trauma'],
    ['сын сломал руку, открытый перелом', 'trauma'],
    ['נפלתי במדרגות ויש לי רגל שבורה', 'trauma'],
    ['my neck is swollen and it is getting hard to swallow', 'severe_swelling'],
    ['me comí una gamba sin querer y se me está cerrando la garganta', 'allergic_reaction'],
    ['comi amendoim sem querer e a garganta está a fechar', 'allergic_reaction'],
    ['съел орехи, горло закрывается', 'allergic_reaction'],
    ['אכלתי בוטנים בלי כוונה והגרון נסגר לי', 'allergic_reaction'],
    ['дочь упала с горки, рука неестественно согнута', 'trauma'],
    ['he fell and his wrist is at a weird angle', 'trauma'],
  ];
  it.each(kinds)('%s → %s', (text, kind) => {
    const result = read(text);
    expect(result.intent).toBe('emergency');
    expect(result.emergencyKind).toBe(kind);
  });

  it.each([
    'I broke my arm last year, can I book physio for it?',
    'я сломал ногу два года назад, нужна консультация терапевта',
    'quiero cambiar la cita para no despertar al bebé',
    'не вижу смысла переносить, оставьте как есть',
  ])('%s is no emergency', (text) => {
    expect(read(text).intent).not.toBe('emergency');
  });
});

/**
 * Issue 11, third round: the holdout's misses by class, with sentences of our own (no evaluation set
 * holds them), and guards that must read as before.
 */
describe('issue 11, third round: checking a booking one believes one has', () => {
  check([
    { text: "could you check whether my son's check-up on Friday is booked?", intent: 'my_appointments', day: '2026-12-11' },
    { text: 'the blood test is on Tuesday, right?', intent: 'my_appointments', service: 'blood_test', day: '2026-12-08' },
    { text: 'I never got a text, is my appointment actually booked?', intent: 'my_appointments' },
    { text: '¿me puedes mirar si tengo hora con la enfermera el lunes?', intent: 'my_appointments', doctor: 'santos' },
    { text: 'el análisis es el martes, ¿verdad?', intent: 'my_appointments', service: 'blood_test', day: '2026-12-08' },
    { text: '¿cuándo le toca la revisión a mi hija?', intent: 'my_appointments' },
    { text: 'no me llegó el sms, ¿quedó la cita?', intent: 'my_appointments' },
    { text: 'проверьте, пожалуйста, я точно записана к Лев на пятницу?', intent: 'my_appointments', day: '2026-12-11' },
    { text: 'анализ крови во вторник, верно?', intent: 'my_appointments', service: 'blood_test', day: '2026-12-08' },
    { text: 'не пришла смс, меня записали?', intent: 'my_appointments' },
    { text: 'תבדקו לי אם יש לי תור לבדיקת דם ביום שלישי', intent: 'my_appointments', service: 'blood_test' },
    { text: 'בדיקת הדם ביום שלישי, נכון?', intent: 'my_appointments', service: 'blood_test', day: '2026-12-08' },
    { text: 'לא קיבלתי הודעה, התור נקבע?', intent: 'my_appointments' },
    { text: 'pode verificar se tenho a vacina na sexta?', intent: 'my_appointments', service: 'vaccination' },
    { text: 'as análises são na terça, certo?', intent: 'my_appointments', service: 'blood_test', day: '2026-12-08' },
    { text: 'não recebi sms nenhum, ficou marcada a consulta?', intent: 'my_appointments' },
    // guards: a request stays a request
    { text: 'can I book a blood test on Tuesday?', intent: 'book', service: 'blood_test' },
    { text: '¿tenéis hueco el martes para un análisis?', intent: 'book', service: 'blood_test' },
    { text: 'нужно ли приходить натощак на анализ крови?', intent: 'ask_service', service: 'blood_test' },
  ]);
});

describe('issue 11, third round: cancelling everything, moving away, "cancel it, I\'ll rebook"', () => {
  check([
    { text: "please cancel all my appointments, we're moving to Lisbon", intent: 'cancel' },
    { text: "can't do Tuesday anymore, cancel it please, I'll book again later", intent: 'cancel' },
    { text: 'anulad todas mis citas, me mudo a Madrid', intent: 'cancel' },
    { text: 'no puedo ir el martes, cancélala y ya pediré otra cuando vuelva', intent: 'cancel' },
    { text: 'отмените все мои записи, мы переезжаем в другой город', intent: 'cancel' },
    { text: 'не получится во вторник, отмените, запишусь потом сама', intent: 'cancel' },
    { text: 'תבטלו את כל התורים שלי, אנחנו עוברים דירה לחיפה', intent: 'cancel' },
    { text: 'לא אוכל להגיע ביום שלישי, תבטלו ואקבע שוב בהמשך', intent: 'cancel' },
    { text: 'desmarquem todas as minhas consultas, vou-me mudar para o Porto', intent: 'cancel' },
    { text: 'vamos mudar de casa, podem cancelar tudo?', intent: 'cancel' },
    // guards: a real move still moves
    { text: 'can I move my appointment to Friday?', intent: 'reschedule', day: '2026-12-11' },
    { text: 'quero mudar a consulta para sexta', intent: 'reschedule', day: '2026-12-11' },
    { text: 'перенесите запись на пятницу', intent: 'reschedule', day: '2026-12-11' },
    { text: '¿me la podéis cambiar al jueves?', intent: 'reschedule', day: '2026-12-10' },
    { text: 'אפשר להזיז את התור ליום רביעי?', intent: 'reschedule', day: '2026-12-09' },
  ]);
});

describe('issue 11, third round: a negation inside a story is no "no"', () => {
  check([
    { text: "I haven't been to a GP in ages, my wife keeps nagging me. could I come in on Thursday?", intent: 'book', service: 'gp', day: '2026-12-10' },
    { text: "the cough won't go away, can I see a GP tomorrow?", intent: 'book', service: 'gp', day: '2026-12-08' },
    { text: 'hace siglos que no voy al dentista, ¿me podéis ver esta semana?', intent: 'book' },
    { text: 'la tos no se me quita, ¿me podéis dar hora para el médico de cabecera?', intent: 'book', service: 'gp' },
    { text: 'кашель не проходит уже неделю, можно к терапевту завтра?', intent: 'book', service: 'gp', day: '2026-12-08' },
    { text: 'הרבה זמן לא הייתי אצל רופא משפחה, אפשר תור ליום חמישי?', intent: 'book', service: 'gp', day: '2026-12-10' },
    { text: 'השיעול לא עובר כבר שבוע, אפשר לקבוע לרופא משפחה מחר?', intent: 'book', service: 'gp', day: '2026-12-08' },
    { text: 'há anos que não vou ao dentista, queria marcar uma consulta', intent: 'book' },
    { text: 'a tosse não passa há uma semana, consigo médico de família amanhã?', intent: 'book', service: 'gp', day: '2026-12-08' },
    // an emoji ends the story's clause: the "no" in it reaches no service after it
    { text: 'הבן שלי לא מפסיק לבכות 😩 אפשר תור לרופא ילדים מחר?', intent: 'book', negated: [] },
    // guards: a plain no, and denied symptoms, stay so
    { text: 'no, gracias', intent: 'deny' },
    { text: 'нет', intent: 'deny' },
    { text: 'לא', intent: 'deny' },
    { text: "I don't need the blood test", intent: 'deny' },
  ]);
  it.each(['у меня не было аллергической реакции', 'no chest pain, just a cough'])('%s is no emergency', (text) => {
    expect(read(text).intent).not.toBe('emergency');
  });
});

describe('issue 11, third round: asking for a person in other words', () => {
  check([
    { text: "can someone help me please, this bot doesn't get it", intent: 'human' },
    { text: '¿me puede atender alguien de la clínica? el bot no me entiende', intent: 'human' },
    { text: 'alguém me pode atender? não percebo nada disto', intent: 'human' },
    { text: 'дайте живого человека, бот ничего не понимает', intent: 'human' },
    { text: 'מישהו יכול לעזור לי? הבוט לא מבין אותי', intent: 'human' },
    // guard: a greeting that checks someone is there stays a greeting
    { text: 'hello? anyone there?', intent: 'greeting' },
  ]);
});

describe('issue 11, third round: messages not for the clinic', () => {
  check([
    { text: 'will it snow in Porto on Friday?', intent: 'unknown' },
    { text: 'sorry, wrong chat', intent: 'unknown' },
    { text: 'perdón, me he equivocado de chat', intent: 'unknown' },
    { text: 'vendo bicicleta en buen estado', intent: 'unknown' },
    { text: 'продаю диван, недорого', intent: 'unknown' },
    { text: 'ошиблась номером, извините', intent: 'unknown' },
    { text: 'סליחה, טעות במספר', intent: 'unknown' },
    { text: 'מה מזג האוויר מחר?', intent: 'unknown' },
    { text: 'desculpe, enganei-me na conversa', intent: 'unknown' },
    { text: 'onde posso renovar a carta de condução?', intent: 'unknown' },
    // guards: the clinic named keeps it ours
    { text: "it's going to rain on Friday, can I move my appointment?", intent: 'reschedule' },
    { text: 'dói o tempo todo, posso marcar?', intent: 'book' },
  ]);
  it('an off-topic "great" answers no question', () => {
    expect(read('selling my sofa, great condition').entities.yesNo).toBeUndefined();
  });
});

describe('issue 11, third round: menus, confirmations, greetings and sign-offs', () => {
  const slots: Slot[] = [
    { id: 'a', doctorId: 'lev', serviceId: 'gp', startsAt: '2026-12-09T09:30:00Z', endsAt: '2026-12-09T09:45:00Z', local: '2026-12-09T09:30' },
    { id: 'b', doctorId: 'costa', serviceId: 'gp', startsAt: '2026-12-09T11:00:00Z', endsAt: '2026-12-09T11:15:00Z', local: '2026-12-09T11:00' },
  ];
  checkMenuChoices(slots, [
    ['11 works', 2],
    ['11 me viene bien', 2],
    ['11 подходит', 2],
    ['11 מתאים לי', 2],
    ['11 serve', 2],
    ['אצל לב בבקשה', 1],
    ['2 works', 2],
  ]);
  it('a number alone is not read as an hour (it may be a day)', () => {
    expect(read('15').entities.date).toBeUndefined();
  });
  it.each(['vale, resérvamelo', 'ok, book that one', 'sim, marca-ma', 'да, беру', 'כן, תקבע את זה'])('%s confirms', (text) => {
    expect(toConversationEvent(read(text), 'booking.confirming', { ...initialContext(), serviceId: 'gp' })).toEqual({ type: 'CONFIRM' });
  });
  check([
    { text: 'genial, un abrazo', intent: 'thanks_bye' },
    { text: 'ok, kind regards', intent: 'thanks_bye' },
    { text: 'perfeito, um abraço', intent: 'thanks_bye' },
    { text: 'отлично, всех благ', intent: 'thanks_bye' },
    { text: 'מעולה, כל טוב', intent: 'thanks_bye' },
    { text: 'boas, tudo bem?', intent: 'greeting' },
    { text: 'wenas', intent: 'greeting' },
  ]);
});

describe('issue 11, third round: more everyday forms of the same classes', () => {
  check([
    { text: 'no podré ir mañana, anúlala, ya buscaré otro día', intent: 'cancel' },
    { text: "can't make it tomorrow, pls cancel, I'll sort another one later", intent: 'cancel' },
    { text: 'quita todo lo que tengo reservado', intent: 'cancel' },
    { text: 'i need to talk to an actual person not a machine', intent: 'human' },
    { text: 'תני לי לדבר עם בנאדם', intent: 'human' },
    { text: 'qual é o número de telefone?', intent: 'human' },
    { text: 'desde el lunes con fiebre y tos, ¿me veis mañana?', intent: 'book' },
    { text: 'holaaa', intent: 'greeting' },
    { text: 'bom diaaa', intent: 'greeting' },
    { text: 'приветттт', intent: 'greeting' },
    { text: 'kkkkk', intent: 'unknown' },
    { text: 'нужен электрик завтра', intent: 'unknown' },
    { text: 'צריך חשמלאי מחר', intent: 'unknown' },
    { text: '¿a qué hora cierra el supermercado hoy?', intent: 'unknown' },
    // guards: a wish for a day alone still books
    { text: 'хочу на завтра', intent: 'book', day: '2026-12-08' },
    { text: 'queria para amanhã de manhã', intent: 'book', day: '2026-12-08' },
  ]);
});

describe('issue 11, third round: wanting to confirm the time one has', () => {
  check([
    { text: 'solo quería confirmar la hora de mañana', intent: 'my_appointments' },
    { text: 'queria só confirmar a hora da consulta de amanhã', intent: 'my_appointments' },
    { text: 'хотела уточнить, во сколько завтра приём', intent: 'my_appointments' },
    { text: 'just confirming my appointment time tomorrow', intent: 'my_appointments' },
    { text: 'רציתי לוודא באיזו שעה התור מחר', intent: 'my_appointments' },
    // guards: "confirm" alone still confirms; a condition about a visit is no check of one
    { text: 'sí, confirmar', intent: 'confirm' },
    { text: 'se a consulta é cara, prefiro não marcar', intent: 'deny' },
  ]);
});

describe('issue 11, third round: "not urgent", "not sure who to see" are part of the request', () => {
  check([
    { text: 'no es urgente, pero quería una revisión la semana que viene', intent: 'book' },
    { text: 'не срочно, но хотел бы на осмотр на следующей неделе', intent: 'book' },
    { text: 'זה לא דחוף אבל הייתי רוצה בדיקה בשבוע הבא', intent: 'book' },
    { text: 'não é urgente, mas queria um check-up para a semana', intent: 'book' },
    { text: "it's not urgent but I'd like a check-up sometime next week", intent: 'book' },
    { text: "I'm not sure what I need, my knee has been hurting since football, who should I see?", intent: 'ask_service' },
    { text: 'no sé muy bien qué necesito, me duele la rodilla, ¿a quién tengo que ver?', intent: 'ask_service' },
    { text: 'не знаю к кому идти, болит колено, к кому записаться?', intent: 'ask_service' },
    { text: 'אני לא יודע למי לפנות, כואבת לי הברך, למי כדאי ללכת?', intent: 'ask_service' },
    // guard: "not sure" alone still answers no
    { text: "I'm not sure", intent: 'deny' },
  ]);
});

describe('issue 11, third round: the earlier or the later time of a menu', () => {
  const slots: Slot[] = [
    { id: 'a', doctorId: 'lev', serviceId: 'gp', startsAt: '2026-12-09T09:30:00Z', endsAt: '2026-12-09T09:45:00Z', local: '2026-12-09T09:30' },
    { id: 'b', doctorId: 'costa', serviceId: 'gp', startsAt: '2026-12-10T14:00:00Z', endsAt: '2026-12-10T14:15:00Z', local: '2026-12-10T14:00' },
  ];
  const choosing: ConversationContext = { ...initialContext(), serviceId: 'gp', offeredSlots: slots };
  checkMenuChoices(slots, [
    ['the earlier one', 1],
    ['the later one', 2],
    ['более ранний', 1],
    ['самый поздний', 2],
    ['המוקדם', 1],
    ['המאוחר', 2],
    ['a mais tarde', 2],
  ]);
  it('"something earlier" asks for another time, it picks none', () => {
    expect(toConversationEvent(read('something earlier please'), 'booking.choosingSlot', choosing).type).not.toBe('CHOOSE');
  });
});

describe('issue 11, third round: Portuguese "n" written for "não"', () => {
  check([
    { text: 'tenho de levar alguma coisa pra vacina? ainda n marquei, só quero saber', intent: 'ask_service', service: 'vaccination' },
    { text: 'n posso ir amanha, da pra mudar?', intent: 'reschedule' },
  ]);
});

describe('issue 11, third round: "after all I can\'t", then another day, moves it', () => {
  check([
    { text: 'el jueves al final no puedo, ¿el viernes se puede?', intent: 'reschedule', day: '2026-12-11' },
    { text: 'na quinta afinal não posso, sexta dá?', intent: 'reschedule', day: '2026-12-11' },
    { text: 'в четверг всё-таки не смогу, можно в пятницу?', intent: 'reschedule', day: '2026-12-11' },
    { text: 'ביום חמישי בסוף לא אוכל, אפשר בשישי?', intent: 'reschedule', day: '2026-12-11' },
    // guards: "I can't eat", "I can't bear it without anaesthesia" are questions, not moves
    { text: 'אני לא אוכל גלוטן, זה משנה לבדיקת דם?', intent: 'ask_service' },
    { text: 'не смогу без анестезии, это больно?', intent: 'ask_service' },
  ]);
});

describe('issue 11, third round: not sleeping or eating in a story, a mole that changed, "can someone see me"', () => {
  check([
    { text: 'לא ישנתי כל הלילה מכאב שיניים, אפשר תור היום?', intent: 'book', negated: [] },
    { text: 'no he dormido nada por el dolor de muelas, ¿puedo ir hoy?', intent: 'book', negated: [] },
    { text: 'não dormi nada com dor de dentes, posso ir hoje?', intent: 'book', negated: [] },
    { text: 'не спал всю ночь из-за зуба, можно сегодня?', intent: 'book', day: '2026-12-07' },
    { text: "I don't know if it's serious but my mole changed colour, can I get it checked?", intent: 'book', service: 'skin_check' },
    { text: 'há uma semana que tenho uma borbulha que não sai, alguém me pode ver?', intent: 'book' },
    { text: 'неделю сыпь не проходит, кто-то может посмотреть?', intent: 'book' },
    // guards: pain that stops sleep is still an emergency; changing an appointment still moves it
    { text: "I can't sleep because of the pain, painkillers do nothing", intent: 'emergency' },
    { text: 'can I change my appointment?', intent: 'reschedule' },
  ]);
});

describe('issue 11, third round: a message sent to us by mistake is no "no"', () => {
  check([
    { text: 'ups, esto no era para aquí', intent: 'unknown' },
    { text: 'desculpa, não era para vocês', intent: 'unknown' },
    { text: 'ой, это не вам', intent: 'unknown' },
    { text: 'סליחה, זה לא בשבילכם', intent: 'unknown' },
    { text: "oops this wasn't meant for you", intent: 'unknown' },
  ]);
});
