/**
 * The shape of `locales/<lang>/nlu.json`: phrase lists translators extend without touching code.
 * Every language has the same keys; lists may be empty where a language has nothing to say.
 */
import { z } from 'zod';

/**
 * Emergency kinds, most serious first: when a message names several, the first one here wins.
 * Life-threatening kinds come before the serious-but-not-immediately-dangerous ones
 * (severe_swelling, trauma, severe_pain).
 */
export const EMERGENCY_KINDS = [
  'chest_pain',
  'breathing',
  'unconscious',
  'stroke',
  'seizure',
  'allergic_reaction',
  'bleeding',
  'suicidal',
  'severe_swelling',
  'trauma',
  'severe_pain',
] as const;
export type EmergencyKind = (typeof EMERGENCY_KINDS)[number];

/**
 * Intents recognised from phrase lists. Five are helpers, not intents: `want` ("I need", "хочу")
 * makes a named service a booking; `cantCome` ("I can't make it", "не успеваю") is a reschedule
 * unless the patient also says what to do ("…please cancel it"); `appointmentWords` ("appointment",
 * "cita", "запись", "תור") mean booking unless the message asks something ("how long is an appointment?");
 * `farewell` ("bye", "יום טוב", "hasta luego") takes leave even after an "ok" or a "great";
 * `story` ("my mole changed colour") tells what happened and asks for nothing: the rest of the
 * message says whether it is a booking or a question, and its words are no other intent's.
 */
export const LEXICON_INTENTS = [
  'greeting',
  'ask_service',
  'book',
  'reschedule',
  'cancel',
  'my_appointments',
  'confirm',
  'deny',
  'human',
  'thanks_bye',
  'stop_reminders',
  'start_reminders',
  'want',
  'cantCome',
  'appointmentWords',
  'farewell',
  'story',
] as const;
export type LexiconIntent = (typeof LEXICON_INTENTS)[number];

export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

export const ORDINAL_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;
export const NUMBER_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] as const;

const phrase = z
  .string()
  .min(1, 'empty phrase')
  .refine((s) => s === s.trim(), 'phrases must not start or end with spaces')
  .refine((s) => s === s.toLowerCase(), 'phrases must be lowercase');
const phrases = z.array(phrase);

function listsFor<const K extends string>(keys: readonly K[]) {
  const shape = {} as Record<K, typeof phrases>;
  for (const key of keys) shape[key] = phrases;
  return z.strictObject(shape);
}

const schema = z.strictObject({
  /** Phrases that signal each intent. */
  intents: listsFor(LEXICON_INTENTS),
  /** Words that answer a yes/no question. */
  yesNo: z.strictObject({ yes: phrases, no: phrases }),
  negation: z.strictObject({
    /** Cues that negate what follows in the same clause ("no", "не", "לא", "sin"). */
    before: phrases,
    /** Cues that negate what precedes them ("кровотечения нет"). */
    after: phrases,
    /** Words that start a new clause and end a negation's reach ("but", "но", "אבל"). */
    clauseBreaks: phrases,
    /** Words that carry a denial on to the next symptom named ("no chest pain or shortness of breath"). */
    carriers: phrases,
    /** "any more", "ya no", "больше не", "כבר לא": a service no longer wanted means its appointment is cancelled. */
    noLonger: phrases,
    /**
     * Negations that tell a story, not a refusal ("haven't been to a dentist for years", «не был у
     * врача», "לא עובר", "não passa"): their negation word is no cue and no "no".
     */
    notDenials: phrases,
  }),
  /** Keywords per emergency kind. */
  emergency: listsFor(EMERGENCY_KINDS),
  /**
   * What sets off an allergic reaction ("after the injection", "vaccine", "took a pill", "antibiotic"):
   * with swelling, breathing trouble or hives in the same message, the emergency is an allergic reaction.
   */
  allergyTriggers: phrases,
  /** When a named symptom is happening, judged within its clause. */
  symptomTime: z.strictObject({
    /** Words that put a symptom in the patient's medical history ("two years ago", "history of"). */
    history: phrases,
    /** Words that bring it back to now and outweigh history ("again", "now", "still"). */
    present: phrases,
  }),
  options: z.strictObject({
    /** Ordinal words per option number ("second", "второй", "השני"). */
    ordinals: listsFor(ORDINAL_KEYS),
    /** What may follow a digit to make it an ordinal ("nd" in 2nd, "º", "й" in 2-й). */
    ordinalSuffixes: phrases,
    /** Words that introduce an option number ("option", "вариант", "אפשרות"). */
    markers: phrases,
    /** Words that may surround a bare option ("the", "one", "please", "quiero"). */
    fillers: phrases,
    /** The last option of a menu, however long ("the last one", "la última", "последний"). */
    last: phrases,
    /** Articles before a number ("la 3", "the 2"): the third or second of something, never an hour. */
    articles: phrases,
  }),
  dates: z.strictObject({
    today: phrases,
    tomorrow: phrases,
    dayAfterTomorrow: phrases,
    yesterday: phrases,
    /** "next week", «на следующей неделе»: any day from next Monday on. */
    nextWeek: phrases,
    /** "this week": any day from today on. */
    thisWeek: phrases,
    weekdays: listsFor(WEEKDAY_KEYS),
    morning: phrases,
    afternoon: phrases,
    evening: phrases,
    noon: phrases,
    /** Written right after an hour: "10 am", "в 10 утра". */
    am: phrases,
    pm: phrases,
    /** Words before an hour: "at", "a las", "às", "в", "ב", "בשעה". */
    timePrepositions: phrases,
    /** Words after an hour: "o'clock", "h", "horas", "часов". */
    hourWords: phrases,
    /** "y media", "e meia", "וחצי": half past the hour named before. */
    half: phrases,
    /** "and a quarter", "y cuarto", «с четвертью», "ורבע": a quarter past the hour named before. */
    quarter: phrases,
    /** Before the hour: "half past 5", British "half 5" (5:30). */
    halfPast: phrases,
    /** Before the hour: "quarter past 3" (3:15). */
    quarterPast: phrases,
    /** Before the hour: "quarter to 4", «без четверти 4», "רבע ל-4", "um quarto para as 4" (3:45). */
    quarterTo: phrases,
    /** After the hour: "las 4 menos cuarto", "4 menos um quarto", "ארבע פחות רבע" (3:45). */
    quarterToAfter: phrases,
    /** "months", "лет", "שנים": after a number, a length of time or an age ("de 8 meses"), never an hour. */
    units: phrases,
    /** Words next to a day of the month: "dia 28", "28 числа", "ב-28 לחודש". */
    dayOfMonth: phrases,
    /** Words before a duration, so its number is not an hour: "in 2 days", "через 2 дня", "בעוד". */
    durationWords: phrases,
    /** Before a time, making it a lower bound: "after 5", "a partir de las 17h", "после 17", "אחרי 4". */
    after: phrases,
    /** Before a time, making it an upper bound: "before 10", "antes de las 10", "до 10", "לפני 10". */
    before: phrases,
    /** Before a length of time that is not a day: "for two weeks", "desde hace", "há", "уже", "כבר". */
    durationMarkers: phrases,
    /** Before a day that is past or being left, not wanted: "since Saturday", "desde el sábado", "с завтра", "מאז". */
    sinceMarkers: phrases,
    /** Before a part of the day, making it today's: "this afternoon", "esta tarde", "этим вечером". */
    thisDay: phrases,
    /** Number words usable as hours ("at ten", "בעשר"). */
    numbers: listsFor(NUMBER_KEYS),
    /** Between an hour and its minutes: "a las 2 y 20", "às 3 e 15". */
    minuteJoiners: phrases,
    /** Between two numbers of a list ("de 4 y 6 años", "4 and 6 years old"): a unit after the last is every one's. */
    listJoiners: phrases,
    /** Words for "on" before a day that other languages read as "no" (Portuguese "no sábado"): they refuse nothing. */
    onBeforeDay: phrases,
  }),
  /** Words that open a question ("how", "when", "сколько", "מתי"): a question about a service is not a booking. */
  questionWords: phrases,
  /** Words saying the patient is a child ("my son", "mi hija", "ребёнок", "הבן שלי"): a general visit for a child is the children's one. */
  children: phrases,
  /** "my", "mi", «мой», "שלי", "minha": "when is my ECG?" asks about an appointment, not the service. */
  possessives: phrases,
  /** "when", "a qué hora", «во сколько», "מתי": with "my <service>", a question about the appointment. */
  whenWords: phrases,
  /**
   * Words of messages about something else (weather, selling things, driving licences, "wrong
   * chat"): with no service, practitioner or appointment named, the message is not for the clinic.
   */
  offTopic: phrases,
  /**
   * Tags that turn a statement into a check ("…, right?", «…, правильно?», "…נכון?", "¿verdad?",
   * "né?"): at the end of a question naming a service, practitioner or day, the patient checks a
   * booking they believe they have.
   */
  checkTags: phrases,
  /** Titles written before a doctor's name ("dr", "dra", "доктор", "ד״ר"). */
  doctorTitles: phrases,
  /**
   * Ordinary words of this language that equal a doctor's one-word name (Spanish "dan" = "they
   * give"); such a word counts as the doctor only right after a title ("Dr. Dan").
   */
  nameLookalikes: phrases,
  /**
   * Words that put a person right after them ("אצל", "with", "con", "com", «у»): such a look-alike
   * is the practitioner there too ("אצל לב" is with Dr. Lev, not "at heart").
   */
  nameMarkers: phrases,
  detection: z.strictObject({
    /** Frequent words that tell this language apart from others in the same script. */
    stopWords: phrases,
    /** Letter sequences typical of the language, matched on the raw lowercase text ("ñ", "ção"). */
    markers: phrases,
  }),
});

export type NluLexicon = z.infer<typeof schema>;
export const nluLexiconSchema: z.ZodType<NluLexicon> = schema;
