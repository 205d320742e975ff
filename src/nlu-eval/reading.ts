/**
 * How the assistant reads one labelled message: the offline NLU, then the same mapping to a
 * statechart event the pipeline uses in that state (src/conversation/interpreter.ts). The intent
 * is judged from the event, so a follow-up is scored as the assistant would really handle it
 * ("and how long is it?" after a service answer is a question about that service; "the 10:30
 * one" in a menu is a choice). Entities are the NLU's, plus the service the conversation is
 * about when the event keeps it; an option only counts as the choice the event makes, and an
 * emergency carries only its kind (nothing else in the message is acted on).
 */
import { DateTime } from 'luxon';
import type { ConversationEvent } from '../../statecharts/conversation.js';
import type { Clinic } from '../config/catalog-schema.js';
import type { DateEntity, Intent, NluResult } from '../core/nlu.js';
import { offlineInterpretation } from '../conversation/interpreter.js';
import type { Nlu } from '../nlu/index.js';
import type { Label } from './labels.js';
import type { Situation } from './situation.js';

/** The fields a label may carry besides its text, intent and context. */
export interface Reading {
  intent: Intent;
  service?: string;
  practitioner?: string;
  day?: string;
  time?: string;
  time_relation?: 'at' | 'after' | 'before';
  part_of_day?: 'morning' | 'afternoon' | 'evening';
  option?: number;
  emergency_kind?: string;
  negated?: string[];
}

export const ENTITY_FIELDS = [
  'service',
  'practitioner',
  'day',
  'time',
  'time_relation',
  'part_of_day',
  'option',
  'emergency_kind',
  'negated',
] as const satisfies readonly (keyof Reading)[];
export type EntityField = (typeof ENTITY_FIELDS)[number];

export interface ReadingDeps {
  readonly nlu: Nlu;
  readonly clinic: Clinic;
  readonly now: Date;
}

export function readMessage(text: string, situation: Situation, deps: ReadingDeps): { reading: Reading; nlu: NluResult; event: ConversationEvent } {
  const nlu = deps.nlu.understand(text, { locale: situation.locale, now: deps.now });
  const event = offlineInterpretation({ nlu, state: situation.state, context: situation.context });
  const reading: Reading = { intent: intentOf(event, situation.state) };
  if (event.type === 'EMERGENCY') return { reading: { ...reading, emergency_kind: event.kind }, nlu, event };
  // "I won't need the ECG any more" cancels the ECG: the service no longer wanted is the one the chart cancels.
  const cancelled = event.type === 'CANCEL' ? (event.serviceId ?? undefined) : undefined;
  const service = nlu.entities.serviceId ?? cancelled ?? keptService(event, situation);
  if (service) reading.service = service;
  if (nlu.entities.doctorId) reading.practitioner = nlu.entities.doctorId;
  if (nlu.entities.date) Object.assign(reading, whenOf(nlu.entities.date, deps.clinic.timeZone));
  if (event.type === 'CHOOSE') {
    reading.option = event.option;
    // "tuesday at 6" picks the Tuesday on the menu, whichever Tuesday "tuesday" alone would be.
    const chosen = situation.context.offeredSlots[event.option - 1];
    if (reading.day && nlu.entities.date?.byWeekday && chosen?.local) reading.day = chosen.local.slice(0, 10);
  }
  const negated = [...nlu.negated.serviceIds.filter((id) => id !== cancelled), ...nlu.negated.doctorIds];
  if (negated.length > 0) reading.negated = negated.sort();
  return { reading, nlu, event };
}

/** What a label expects, in the same shape (time_relation defaults to "at" when a time is named). */
export function expectedReading(label: Label): Reading {
  const { text: _text, context: _context, options_shown: _shown, ...fields } = label;
  const expected: Reading = { ...fields };
  if (expected.time !== undefined && expected.time_relation === undefined) expected.time_relation = 'at';
  if (expected.negated) expected.negated = [...expected.negated].sort();
  // "I don't need the blood test any more": writers label the cancelled service either as the service or as
  // the one no longer wanted; both name the same appointment, read here as the service.
  const [dropped, ...more] = expected.negated ?? [];
  if (expected.intent === 'cancel' && expected.service === undefined && dropped !== undefined && more.length === 0) {
    expected.service = dropped;
    delete expected.negated;
  }
  return expected;
}

/** The intent a patient meant, as the chart will act on it in this state. */
function intentOf(event: ConversationEvent, state: string): Intent {
  switch (event.type) {
    case 'EMERGENCY':
      return 'emergency';
    case 'HUMAN':
      return 'human';
    case 'GREETING':
      return 'greeting';
    case 'THANKS':
      return 'thanks_bye';
    case 'LIST_APPOINTMENTS':
      return 'my_appointments';
    case 'CANCEL':
      return 'cancel';
    case 'RESCHEDULE':
      return 'reschedule';
    case 'ASK_SERVICE':
      return 'ask_service';
    case 'CHOOSE':
      return 'choose_option';
    case 'CONFIRM':
      return 'confirm';
    case 'DENY':
    case 'DROP_PENDING':
      return 'deny';
    case 'BOOK':
      return 'book';
    // Details alone start or refine a booking everywhere but in a state that cannot use them.
    case 'PROVIDE':
      return state === 'idle' && event.serviceId === null && event.doctorId === null && event.date === null ? 'unknown' : 'book';
    default:
      return 'unknown';
  }
}

/** After a service answer, a follow-up that names no service stays on it (the chart keeps context.serviceId). */
function keptService(event: ConversationEvent, situation: Situation): string | undefined {
  if (situation.state !== 'inquiry.answering') return undefined;
  const keeps = ['ASK_SERVICE', 'BOOK', 'PROVIDE', 'CONFIRM'].includes(event.type);
  return keeps ? (situation.context.serviceId ?? undefined) : undefined;
}

function whenOf(date: DateEntity, zone: string): Partial<Reading> {
  const local = DateTime.fromISO(date.start, { zone });
  const out: Partial<Reading> = {};
  if (!date.anyDay) out.day = local.toFormat('yyyy-MM-dd');
  if (date.hasTime) {
    out.time = local.toFormat('HH:mm');
    out.time_relation = date.timeRelation ?? 'at';
  }
  if (date.partOfDay) out.part_of_day = date.partOfDay;
  return out;
}
