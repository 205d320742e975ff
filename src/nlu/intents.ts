/**
 * Picks one intent from everything recognised in a message, by priority:
 * emergency > human > stop_reminders > start_reminders > reschedule > cancel > my_appointments > book > ask_service >
 * choose_option > deny > confirm > greeting > thanks_bye > unknown.
 *
 * Besides explicit phrases, a desire ("I need", "quero", "хочу") with a service, doctor or date
 * is `book`; a service with a date or doctor is `book`; a service alone ("veneers?", "виниры")
 * is `ask_service`; a doctor or date alone is `book` (lower confidence).
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
  /** Services, doctors or emergency symptoms were named under negation ("не нужен Дан", "no chest pain"). */
  readonly hasNegatedEntities: boolean;
  readonly option: OptionHit | null;
  readonly yesNo: YesNoHit | null;
}

export interface IntentDecision {
  readonly intent: Intent;
  readonly confidence: number;
}

const WANT_WITH_ENTITY = 0.85;
const SERVICE_WITH_DETAILS = 0.8;
const SERVICE_ALONE = 0.9;
const DETAILS_ALONE = 0.7;
const NEGATED_ENTITIES = 0.9;
const NEGATED_INTENT = 0.8;

// "Cancel reminders" is about reminders, not an appointment; "don't remind me" names both
// reminder intents and means stop.
const PHRASE_PRIORITY = ['human', 'stop_reminders', 'start_reminders', 'reschedule', 'cancel', 'my_appointments', 'book', 'ask_service'] as const;

export function decideIntent(s: IntentSignals): IntentDecision {
  if (s.emergency) return { intent: 'emergency', confidence: s.emergency.quality };
  for (const intent of PHRASE_PRIORITY) {
    const quality = s.phrases.get(intent);
    if (quality !== undefined) return { intent, confidence: quality };
  }
  const entityQuality = Math.min(s.service?.quality ?? 1, s.doctor?.quality ?? 1);
  const want = s.phrases.get('want');
  if (want !== undefined && (s.service || s.doctor || s.hasDate)) {
    return { intent: 'book', confidence: WANT_WITH_ENTITY * Math.min(want, entityQuality) };
  }
  if (s.service && (s.hasDate || s.doctor)) return { intent: 'book', confidence: SERVICE_WITH_DETAILS * entityQuality };
  if (s.service) return { intent: 'ask_service', confidence: SERVICE_ALONE * s.service.quality };
  if (s.doctor || s.hasDate) return { intent: 'book', confidence: DETAILS_ALONE * entityQuality };
  if (s.option) return { intent: 'choose_option', confidence: s.option.quality };
  const deny = s.phrases.get('deny');
  if (s.yesNo?.value === 'no') return { intent: 'deny', confidence: s.yesNo.quality };
  if (deny !== undefined) return { intent: 'deny', confidence: deny };
  if (s.hasNegatedEntities) return { intent: 'deny', confidence: NEGATED_ENTITIES };
  if (s.negatedIntent) return { intent: 'deny', confidence: NEGATED_INTENT };
  const confirm = s.phrases.get('confirm');
  if (s.yesNo?.value === 'yes') return { intent: 'confirm', confidence: s.yesNo.quality };
  if (confirm !== undefined) return { intent: 'confirm', confidence: confirm };
  const greeting = s.phrases.get('greeting');
  if (greeting !== undefined) return { intent: 'greeting', confidence: greeting };
  const thanks = s.phrases.get('thanks_bye');
  if (thanks !== undefined) return { intent: 'thanks_bye', confidence: thanks };
  return { intent: 'unknown', confidence: 0 };
}
