/**
 * Picks one intent from everything recognised in a message, by priority:
 * emergency > human > stop_reminders > start_reminders > reschedule > cancel > "no longer needed" >
 * can't come > my_appointments > a check of a booking > the request's shape (see fromRequestShape) >
 * book > ask_service > an appointment word > what was named > choose_option > deny > goodbye >
 * thanks_bye > confirm > greeting > unknown.
 *
 * Besides explicit phrases: a service no longer wanted ("I don't need the blood test any more")
 * cancels it; "I can't make it" moves the appointment unless the patient says to cancel; a desire
 * ("I need", "quero", "хочу") with a service, doctor or date is `book`; a question about a
 * service and a practitioner ("Does Dr Mendes do fillings?") asks; a service with a date or
 * doctor is `book`; a service alone ("veneers?", "виниры") is `ask_service`; a doctor or date
 * alone is `book` (lower confidence). The last ones are `inferred`: no phrase said them.
 */
import type { Intent } from '../core/nlu.js';
import type { EmergencyHit } from './emergency.js';
import type { CatalogHit } from './entities/catalog.js';
import type { OptionHit } from './entities/options.js';
import type { YesNoHit } from './entities/yes-no.js';
import type { LexiconIntent } from './lexicon-schema.js';

export interface IntentSignals {
  readonly emergency: EmergencyHit | null;
  /** Best quality of each intent's phrases that are not negated. */
  readonly phrases: ReadonlyMap<LexiconIntent, number>;
  /** An intent phrase was negated ("I don't want to cancel"). */
  readonly negatedIntent: boolean;
  readonly service: CatalogHit | undefined;
  readonly doctor: CatalogHit | undefined;
  readonly hasDate: boolean;
  /** A day and a clock time were named ("on Saturday at 11:30"). */
  readonly hasDayAndTime: boolean;
  /** Services, doctors or emergency symptoms were named under negation ("не нужен Дан", "no chest pain"). */
  readonly hasNegatedEntities: boolean;
  /** A service named as no longer wanted ("ya no necesito el análisis"). */
  readonly dropsService: boolean;
  /** A service or doctor named under negation: with another one named, a correction ("not the cleaning, a filling"). */
  readonly correctsCatalog: boolean;
  /** The message asks something ("?", "how…", "когда…"). */
  readonly question: boolean;
  /** The service is named with a possessive ("my doctor", "o meu médico"): someone the patient has, not a request. */
  readonly serviceIsOwn: boolean;
  /** A word asking when ("when", "what time", "באיזו שעה") is in the message. */
  readonly asksWhen: boolean;
  /** The service is named as the patient's own in a question of when ("when is my ECG?", «во сколько мой анализ»). */
  readonly ownService: boolean;
  /**
   * The patient names an appointment they have, then asks for a time in a later clause that names no
   * service ("I've got a GP appointment on Thursday but I'm stuck at work, anything on Friday?").
   */
  readonly asksAfterOwn: boolean;
  /** A day is named after the words that move an appointment ("cancel Tuesday's and move me to Friday"). */
  readonly movesToDay: boolean;
  /** Thanks said, then a question asked in a later clause ("ok thanks. and for kids too?"). */
  readonly thanksThenAsks: boolean;
  /** A service was named, not only implied by a child or a practitioner ("el niño agarró el celular" names none). */
  readonly serviceNamed: boolean;
  /** Booking words told in a statement, then a question about the service in a later clause. */
  readonly asksAfterTelling: boolean;
  /** A question weighing two services, no day named ("should I book a GP visit or physio for my knee?"). */
  readonly weighsServices: boolean;
  /** Words of a message about something else ("rain", "selling", «права», "wrong chat"). */
  readonly offTopic: boolean;
  /** A question closed by a check tag ("…, right?", «правильно?», "נכון?"). */
  readonly checksBooking: boolean;
  /** An ask phrase opens with "or" ("…or do I need a referral", "o tengo que", «или нужно»): two ways weighed. */
  readonly weighsWays: boolean;
  /** An ask phrase comes before the first booking phrase ("who checks moles? mine changed colour"). */
  readonly asksBeforeBooking: boolean;
  /** An ask phrase comes before the first wish ("does an ECG take long? I want to leave work at lunch"). */
  readonly asksBeforeWanting: boolean;
  /** The practitioner was named only by a title ("the nurse"), which also names a trade ("I'm a nurse, are you hiring?"). */
  readonly doctorByTitleOnly: boolean;
  /** What is wished is a question's topic ("can I have breakfast before…", "can I drink water"): the wish books nothing. */
  readonly wantsQuestionTopic: boolean;
  /** A word no list knows right after a wish ("нужен электрик", "preciso de um eletricista"): the patient wants something we do not offer. */
  readonly wantsOther: boolean;
  /** Words no phrase list, catalog name or date knows ("weather", "huelga"): many mean the message is about something else. */
  readonly strangeWords: number;
  readonly option: OptionHit | null;
  readonly yesNo: YesNoHit | null;
}

export interface IntentDecision {
  readonly intent: Intent;
  readonly confidence: number;
  /** No phrase said it: read from what was named. */
  readonly inferred?: boolean;
}

const WANT_WITH_ENTITY = 0.85;
const SERVICE_WITH_DETAILS = 0.8;
const SERVICE_ALONE = 0.9;
const DETAILS_ALONE = 0.7;
const NEGATED_ENTITIES = 0.9;
const NEGATED_INTENT = 0.8;
const NO_LONGER = 0.85;
/** Unknown words a day named alone may come with and still be a request for that day. */
const MAX_STRANGE_WITH_A_DAY = 1;

// "Cancel reminders" is about reminders, not an appointment; "don't remind me" names both
// reminder intents and means stop.
const PHRASE_PRIORITY = ['human', 'stop_reminders', 'start_reminders', 'reschedule', 'cancel'] as const;
const REQUEST_PRIORITY = ['book', 'ask_service'] as const;

export function decideIntent(s: IntentSignals): IntentDecision {
  if (s.emergency) return { intent: 'emergency', confidence: s.emergency.quality };
  if (isOffTopic(s)) return { intent: 'unknown', confidence: 0 };
  for (const intent of PHRASE_PRIORITY) {
    const quality = s.phrases.get(intent);
    // "cancel everything with Dr Mendes, I'm changing dentists", "we can't make Thursday's, please cancel
    // it, we'll rebook after Christmas": a move with no new day named after it is no move.
    if (intent === 'reschedule' && s.phrases.has('cancel') && !s.movesToDay) continue;
    if (quality !== undefined) return { intent, confidence: quality };
  }
  // "I won't need the blood test any more, my doctor did it": no longer needed, and nothing else asked for
  // ("the cleaning isn't needed, let's do a filling" asks for another service).
  if (s.dropsService && (!s.service || (s.serviceIsOwn && !(s.phrases.has('want') || s.phrases.has('book'))))) return { intent: 'cancel', confidence: NO_LONGER };
  // "I can't make it to my appointment": the appointment is named because it is being moved; a
  // question about it ("did I book the cleaning? no message came") stays a question.
  const cantCome = s.phrases.get('cantCome');
  const mine = s.phrases.get('my_appointments');
  // "my appointment doesn't suit me, can I move to Saturday?": a new day asked for is a move.
  if (cantCome !== undefined && (mine === undefined || !s.question || s.hasDate)) return { intent: 'reschedule', confidence: cantCome };
  // An appointment they have, then another day asked for: the appointment is being moved.
  if (mine !== undefined && s.asksAfterOwn && s.hasDate) return { intent: 'reschedule', confidence: mine };
  if (mine !== undefined) return { intent: 'my_appointments', confidence: mine };
  // "the vaccine on Thursday, right?": checking a booking one believes one has.
  if (s.checksBooking && (s.service || s.doctor || s.hasDate)) return { intent: 'my_appointments', confidence: SERVICE_WITH_DETAILS };
  // "GP or physio for my knee?": which one to book is still a question.
  if (s.weighsServices) return { intent: 'ask_service', confidence: SERVICE_WITH_DETAILS };
  const appointment = s.phrases.get('appointmentWords');
  // "necesito cita": wanting an appointment is booking one, whatever else is asked.
  if (appointment !== undefined && s.phrases.has('want')) return { intent: 'book', confidence: appointment };
  const shaped = fromRequestShape(s);
  if (shaped) return shaped;
  for (const intent of REQUEST_PRIORITY) {
    const quality = s.phrases.get(intent);
    if (quality !== undefined) return { intent, confidence: quality };
  }
  // "appointment", "cita", "запись": a booking, once no question about a service was asked.
  if (appointment !== undefined) return { intent: 'book', confidence: appointment };
  const named = fromWhatWasNamed(s);
  if (named) return { ...named, inferred: true };
  if (s.option) return { intent: 'choose_option', confidence: s.option.quality };
  // "I need the dentist, not a cleaning, just a look": a wish with a service refused is a request, not a no.
  if (s.hasNegatedEntities && (s.phrases.has('want') || s.phrases.has('book'))) return { intent: 'book', confidence: WANT_WITH_ENTITY, inferred: true };
  const deny = s.phrases.get('deny');
  if (s.yesNo?.value === 'no') return { intent: 'deny', confidence: s.yesNo.quality };
  if (deny !== undefined) return { intent: 'deny', confidence: deny };
  if (s.hasNegatedEntities) return { intent: 'deny', confidence: NEGATED_ENTITIES };
  if (s.negatedIntent) return { intent: 'deny', confidence: NEGATED_INTENT };
  const confirm = s.phrases.get('confirm');
  const thanks = s.phrases.get('thanks_bye');
  const farewell = s.phrases.get('farewell');
  // "ok great thank you, bye" takes leave; "yes, thanks" and "great, thanks" thank, and still answer
  // yes where a question was asked (the yes/no entity carries it).
  if (farewell !== undefined) return { intent: 'thanks_bye', confidence: farewell };
  if (thanks !== undefined && !s.thanksThenAsks) return { intent: 'thanks_bye', confidence: thanks };
  if (s.yesNo?.value === 'yes') return { intent: 'confirm', confidence: s.yesNo.quality };
  if (confirm !== undefined) return { intent: 'confirm', confidence: confirm };
  const greeting = s.phrases.get('greeting');
  if (greeting !== undefined) return { intent: 'greeting', confidence: greeting };
  return { intent: 'unknown', confidence: 0 };
}

/**
 * Booking and question phrases both present: the shape of the message decides. A service wanted on a
 * day or with a practitioner is booked; two ways weighed, or a question before booking words that ask
 * nothing, stay a question; a service and a day said, not asked, are booked.
 */
function fromRequestShape(s: IntentSignals): IntentDecision | null {
  const ask = s.phrases.get('ask_service');
  // "need a blood test, the fasting one — anything Wednesday?", "…to renew my pills, with Dr Costa?"
  const want = s.phrases.get('want');
  if (want !== undefined && s.service && (s.hasDate || s.doctor) && !s.wantsQuestionTopic && !(s.asksBeforeWanting && s.question)) {
    return { intent: 'book', confidence: WANT_WITH_ENTITY * Math.min(want, s.service.quality) };
  }
  if (ask === undefined) return null;
  // "¿se puede ir a sacarse sangre el martes a las 8 y media?": nobody asks about a service at a clock time on a day but to book it.
  if (s.service && s.hasDayAndTime && !s.weighsWays) return { intent: 'book', confidence: SERVICE_WITH_DETAILS * s.service.quality };
  // "can I see the physio directly or do I need a referral?"; "Do I need to fast? Want to book one but…"
  if (s.question && !s.hasDate && (s.weighsWays || s.asksBeforeBooking || s.asksAfterTelling)) return { intent: 'ask_service', confidence: ask };
  // "bloods on Thursday at 8 if poss, I'll come fasting"
  if (!s.question && s.service && s.hasDate && !s.phrases.has('book')) return { intent: 'book', confidence: SERVICE_WITH_DETAILS * s.service.quality };
  return null;
}

/**
 * "is it going to rain this weekend", «где тут поменять права», "do you take MB Way?", "are you
 * hiring receptionists?": words of another subject with nothing of the clinic named (a service, a
 * practitioner by name, an appointment, a booking, a move or a cancellation) make the message not
 * for us; a question or a "receptionist" alone does not make it ours. Verbs inside
 * an off-topic phrase ("поменять права") were dropped before this.
 */
const CLINIC_PHRASES: readonly LexiconIntent[] = ['appointmentWords', 'my_appointments', 'cancel', 'reschedule', 'book'];

function isOffTopic(s: IntentSignals): boolean {
  if (!s.offTopic || s.serviceNamed || (s.doctor && !s.doctorByTitleOnly)) return false;
  return !CLINIC_PHRASES.some((intent) => s.phrases.has(intent));
}

/** The intent read from the service, doctor and date named when no phrase said it. */
function fromWhatWasNamed(s: IntentSignals): IntentDecision | null {
  const entityQuality = Math.min(s.service?.quality ?? 1, s.doctor?.quality ?? 1);
  const want = s.phrases.get('want');
  // "I need tomorrow" wants a day; "нужен электрик завтра" wants something the clinic has no word for.
  if (want !== undefined && (s.service || s.doctor || (s.hasDate && !s.wantsOther))) {
    return { intent: 'book', confidence: WANT_WITH_ENTITY * Math.min(want, entityQuality) };
  }
  // "When is my ECG?", "is my blood test tomorrow?", "what time is my physio with Ana": a question about
  // the patient's own appointment ("can the nurse do my shot on the 18th?" names who should do it: a request).
  if (s.service && s.ownService && s.question && (!s.doctor || s.asksWhen)) return { intent: 'my_appointments', confidence: SERVICE_WITH_DETAILS * entityQuality };
  // "Not the cleaning, a filling": the patient is putting the request right.
  if (s.service && s.correctsCatalog) return { intent: 'book', confidence: SERVICE_WITH_DETAILS * entityQuality };
  // "Does Dr Mendes do fillings?": who does what is a question, not a booking (a day would make it one).
  if (s.service && s.doctor && s.question && !s.hasDate) return { intent: 'ask_service', confidence: SERVICE_WITH_DETAILS * entityQuality };
  if (s.service && (s.hasDate || s.doctor)) return { intent: 'book', confidence: SERVICE_WITH_DETAILS * entityQuality };
  if (s.service) return { intent: 'ask_service', confidence: SERVICE_ALONE * s.service.quality };
  // "Does Dr Lev see newborns?": a question about a practitioner with no day is about what they do.
  if (s.doctor && s.question && !s.hasDate) return { intent: 'ask_service', confidence: DETAILS_ALONE * entityQuality };
  if (s.doctor) return { intent: 'book', confidence: DETAILS_ALONE * entityQuality };
  // "Friday at 10?" refines a booking; "what's the weather like in Porto today" only names a day.
  if (s.hasDate && s.strangeWords <= MAX_STRANGE_WITH_A_DAY && !s.wantsOther) return { intent: 'book', confidence: DETAILS_ALONE };
  return null;
}
