import type { NluResult } from '../core/nlu.js';
import type { ConversationContext, ConversationEvent, PendingAction } from '../../statecharts/conversation.js';
import { checkRelevance } from '../relevance/relevance.js';

const CONFIRMING_STATES = ['booking.confirming', 'booking.cancelling.confirming'];

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
    if (nlu.entities.yesNo === 'no' && !serviceId && !date) return { type: 'DENY' };
  }

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
      return { type: 'CANCEL', serviceId };
    case 'reschedule':
      return { type: 'RESCHEDULE', date, serviceId };
    case 'book':
      // "Tomorrow at 10" or "with Dr. Ana" in the middle of a booking refines it rather than starting over.
      if (!serviceId && state.startsWith('booking') && (date || doctorId)) return { type: 'PROVIDE', serviceId, doctorId, date };
      return { type: 'BOOK', serviceId, doctorId, date };
    case 'ask_service':
      // A bare service name answers "which service?".
      if (serviceId && state === 'booking.collecting') {
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
      if (serviceId || doctorId || date) return { type: 'PROVIDE', serviceId, doctorId, date };
      if (option) return { type: 'CHOOSE', option };
      return { type: 'UNKNOWN' };
  }
  return { type: 'UNKNOWN' };
}
