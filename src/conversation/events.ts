import type { DateEntity, NluResult } from '../core/nlu.js';
import type { ConversationContext, ConversationEvent, PendingAction, Slot } from '../../statecharts/conversation.js';
import { checkRelevance } from '../relevance/relevance.js';

/** States that asked a yes/no question: "yes, thanks" answers it. */
const CONFIRMING_STATES = ['booking.confirming', 'booking.cancelling.confirming', 'reminded.answering'];
/** States with a menu of times on screen. */
const MENU_STATES = ['booking.choosingSlot', 'booking.confirming'];
/** States with a menu of the patient's appointments on screen. */
const APPOINTMENT_MENU_STATES = ['booking.rescheduling.selecting', 'booking.cancelling.selecting'];

/** The task the patient is on now, or the one parked while they asked about something else. */
export function currentPending(state: string, context: ConversationContext): PendingAction | null {
  if (state.startsWith('booking') && context.serviceId) {
    return {
      kind: context.appointment ? 'reschedule' : 'book',
      serviceId: context.serviceId,
      doctorId: context.doctorId,
      slot: context.chosenSlot,
    };
  }
  return context.pendingAction;
}

/** Turns what the NLU understood into the one statechart event for the current state. */
export function toConversationEvent(nlu: NluResult, state: string, context: ConversationContext): ConversationEvent {
  if (nlu.intent === 'emergency') return { type: 'EMERGENCY', kind: nlu.emergencyKind ?? 'unspecified' };
  if (nlu.intent === 'human') return { type: 'HUMAN' };
  const { serviceId = null, doctorId = null, date = null, option } = nlu.entities;
  if (checkRelevance(currentPending(state, context), nlu) === 'drop') {
    // "I don't need the filling with Dan, I want veneers": drop it and take the new request at once.
    return serviceId ? { type: 'BOOK', serviceId, doctorId: null, date } : { type: 'DROP_PENDING' };
  }
  if (CONFIRMING_STATES.includes(state)) {
    // "Yes, cancel it" while confirming a cancellation is a yes, not a new cancellation.
    if (nlu.entities.yesNo === 'yes' || (state === 'booking.cancelling.confirming' && nlu.intent === 'cancel')) return { type: 'CONFIRM' };
    // "uy no, espera, a esa hora tengo que buscar a mi hijo": a child mentioned names no service.
    if (nlu.entities.yesNo === 'no' && (!serviceId || nlu.serviceImplied === true) && !date) return { type: 'DENY' };
    // "that day doesn't suit me" to the booking being confirmed: no to this time, not a move of another appointment.
    if (state === 'booking.confirming' && nlu.intent === 'reschedule' && !serviceId && !date) return { type: 'DENY' };
  }
  const menuChoice = choiceFromMenu(nlu, state, context);
  if (menuChoice !== null) return { type: 'CHOOSE', option: menuChoice };
  if (asksAnotherTime(nlu, state, context)) return { type: 'PROVIDE', serviceId: null, doctorId, date };
  if (isFollowUpQuestion(nlu, state, context)) return { type: 'ASK_SERVICE', serviceId: null };

  switch (nlu.intent) {
    case 'greeting':
      return { type: 'GREETING' };
    case 'thanks_bye':
      return { type: 'THANKS' };
    case 'my_appointments':
      return { type: 'LIST_APPOINTMENTS' };
    case 'stop_reminders':
      return { type: 'STOP_REMINDERS' };
    case 'start_reminders':
      return { type: 'START_REMINDERS' };
    case 'cancel':
      // "I don't need the blood test any more": that service's appointment.
      return { type: 'CANCEL', serviceId: serviceId ?? nlu.negated.serviceIds[0] ?? null };
    case 'reschedule':
      return { type: 'RESCHEDULE', date, serviceId };
    case 'book':
      // "Tomorrow at 10" or "with Dr. Ana" in the middle of a booking refines it rather than starting over.
      if (!serviceId && state.startsWith('booking') && (date || doctorId)) return { type: 'PROVIDE', serviceId, doctorId, date };
      return { type: 'BOOK', serviceId, doctorId, date };
    case 'ask_service':
      // A bare service name answers "which service?"; "with Dr Costa?" in the middle of a booking refines it.
      if ((serviceId && state === 'booking.collecting') || (askedOnlyByName(nlu) && state.startsWith('booking'))) {
        return { type: 'PROVIDE', serviceId, doctorId, date };
      }
      return { type: 'ASK_SERVICE', serviceId };
    case 'choose_option':
      return option ? { type: 'CHOOSE', option } : { type: 'UNKNOWN' };
    case 'confirm':
      return { type: 'CONFIRM' };
    case 'deny':
      return { type: 'DENY' };
    case 'unknown':
      // A day in a message about something else ("what's the weather like today") is no request, unless a booking asked for one.
      if (serviceId || doctorId || (date && state !== 'idle')) return { type: 'PROVIDE', serviceId, doctorId, date };
      if (option) return { type: 'CHOOSE', option };
      return { type: 'UNKNOWN' };
  }
  return { type: 'UNKNOWN' };
}

/**
 * A menu on screen answered with words: "the last one", "the 10:30 one", "with the nurse",
 * "friday evening". The first offered item that fits everything said is the choice; nothing that
 * fits (or a new service, or another request) is left to the usual reading.
 */
function choiceFromMenu(nlu: NluResult, state: string, context: ConversationContext): number | null {
  const appointmentMenu = APPOINTMENT_MENU_STATES.includes(state);
  if (!MENU_STATES.includes(state) && !appointmentMenu) return null;
  const size = appointmentMenu ? context.appointmentChoices.length : context.offeredSlots.length;
  if (nlu.entities.lastOption && size > 0) return size;
  // "dale, el tres", "first one's grand, thanks", "I'll take the earliest one", "pode ser a primeira,
  // quanto mais cedo melhor", "la primera, así voy en ayunas": a yes, a thanks, a wish or a remark that
  // names a number picks it.
  const { option } = nlu.entities;
  // Only a number said alone: "la segunda con el enfermero" is the second of the nurse's times (below).
  const saysOnlyANumber = !nlu.entities.date && !nlu.entities.serviceId && !nlu.entities.doctorId && !nlu.titleHolders?.length;
  const inFrontOfSlots = state === 'booking.choosingSlot';
  const yesOrThanks = ['confirm', 'thanks_bye'].includes(nlu.intent);
  const namesIt = yesOrThanks || (inFrontOfSlots && saysOnlyANumber && ['book', 'reschedule', 'ask_service'].includes(nlu.intent));
  if (namesIt && option !== undefined && option <= size) return option;
  // "в субботу давайте", "dale, la de las cuatro y media": a yes or thanks in front of slots may say which.
  const saysWhich = ['book', 'choose_option', 'unknown'].includes(nlu.intent) || askedOnlyByName(nlu) || (inFrontOfSlots && yesOrThanks);
  if (appointmentMenu || !saysWhich) return null;
  const { serviceId, doctorId, date } = nlu.entities;
  const holders = doctorId ? [doctorId] : (nlu.titleHolders ?? []);
  // A new service named is a new request; one only implied ("…he knows my kids") is no change of mind.
  const otherService = serviceId !== undefined && serviceId !== context.serviceId && nlu.serviceImplied !== true;
  if (otherService || (holders.length === 0 && !date)) return null;
  const fitting = context.offeredSlots
    .map((slot, index) => ({ slot, number: index + 1 }))
    .filter(({ slot }) => (holders.length === 0 || holders.includes(slot.doctorId)) && (!date || fitsWhen(date, slot)));
  // "la primera del martes": the nth of the times that fit; "the third, with the nurse" when fewer fit is the menu's own third.
  const nth = fitting[(option ?? 1) - 1]?.number;
  if (nth !== undefined) return nth;
  return option !== undefined && fitting.some((fit) => fit.number === option) ? option : null;
}

/**
 * In front of slots or a confirmation, another time asked for in other words than a booking's:
 * "none of those suit me, anything on Saturday morning?" (a no, when the menu holds no such
 * time), «рано, я не успею. а в четверг после обеда?» (can't make it), "não há nada amanhã cedo?
 * tenho de ir em jejum" (a question), "nessa hora não consigo, tem às 11h30?". The booking under
 * way gets the new time.
 */
function asksAnotherTime(nlu: NluResult, state: string, context: ConversationContext): boolean {
  const { date, serviceId } = nlu.entities;
  if (!['booking.choosingSlot', 'booking.confirming'].includes(state) || !date || serviceId) return false;
  // In front of slots a no with a time the menu holds is a no to that time; while confirming, any time said is the one wanted.
  if (nlu.intent === 'deny') return state === 'booking.confirming' || !context.offeredSlots.some((slot) => fitsWhen(date, slot));
  return nlu.intent === 'reschedule' || nlu.intent === 'ask_service';
}

/** "Dr Costa?", "con el enfermero?": a practitioner asked about with no phrase saying what for. */
function askedOnlyByName(nlu: NluResult): boolean {
  return nlu.intent === 'ask_service' && nlu.inferred === true && !nlu.entities.serviceId && nlu.entities.doctorId !== undefined;
}

function fitsWhen(date: DateEntity, slot: Slot): boolean {
  if (!slot.local || !date.local) return false;
  const [slotDay = '', slotTime = ''] = slot.local.split('T');
  const [day = '', time] = date.local.split('T');
  if (!date.anyDay && (date.byWeekday ? weekdayOf(slotDay) !== weekdayOf(day) : slotDay !== day)) return false;
  if (date.hasTime && time !== undefined) {
    if (date.timeRelation === 'after' ? slotTime < time : date.timeRelation === 'before' ? slotTime >= time : slotTime !== time) return false;
  }
  return !date.partOfDay || inPartOfDay(slotTime, date.partOfDay);
}

function weekdayOf(isoDay: string): number {
  return new Date(`${isoDay}T00:00:00Z`).getUTCDay();
}

/**
 * Clinic-time "HH:MM" bounds of the parts of the day for picking from a menu. Wider than the slot
 * search's: "sexta à tarde", "el viernes por la tarde" reach into the evening, and the first time
 * on offer that fits is the one chosen.
 */
const PARTS: Record<NonNullable<DateEntity['partOfDay']>, readonly [string, string]> = {
  morning: ['00:00', '12:00'],
  afternoon: ['12:00', '20:00'],
  evening: ['17:00', '24:00'],
};

function inPartOfDay(time: string, part: NonNullable<DateEntity['partOfDay']>): boolean {
  const [from, to] = PARTS[part];
  return time >= from && time < to;
}

/**
 * After a service answer (or while booking one), a question that names no other service is about
 * that service: "and how long is it?", «а по времени?», "ומי עושה את זה?", "and is that done by
 * Dr Costa?". A request said in words ("book it") is not a question about it.
 */
function isFollowUpQuestion(nlu: NluResult, state: string, context: ConversationContext): boolean {
  if (!context.serviceId || !(state === 'inquiry.answering' || state.startsWith('booking.'))) return false;
  // "can children have it too? I have twins": a service only implied by the child is still this one.
  const otherService = nlu.entities.serviceId && nlu.entities.serviceId !== context.serviceId && nlu.serviceImplied !== true;
  if (!nlu.question || nlu.entities.date || otherService) return false;
  if (state !== 'inquiry.answering' && nlu.entities.doctorId) return false;
  return nlu.intent === 'unknown' || (nlu.intent === 'book' && nlu.inferred === true);
}
