import type { NluResult } from '../core/nlu.js';
import type { ConversationContext } from '../../statecharts/conversation.js';
import { checkRelevance } from '../relevance/relevance.js';
import { currentPending } from './events.js';

/** The offline NLU's certainty above which a plain question or request needs no second opinion. */
export const SURE = 0.85;

/** States whose last question a day answers ("which other day?", "shall I book it?"). */
const DATE_STATES = ['booking.collecting', 'booking.awaitingDate', 'booking.choosingSlot', 'booking.confirming', 'inquiry.answering'];

/**
 * Whether the offline NLU settles this message on its own, so the turn makes no model call.
 *
 * The rule: a message is deterministic when what it says is fixed by the words alone and the
 * state gives it exactly one meaning —
 * - anything while staff own the conversation (the bot is silent; only an emergency counts,
 *   and nothing from that part may reach a model prompt);
 * - an emergency or a request for a person (safety: never wait on a model for these);
 * - a negation that drops the pending action ("I don't need Dan for a filling");
 * - a bare yes or no (no service, doctor or date named with it);
 * - an option number ("2", "the second one", "the last one");
 * - a day, possibly with a doctor, where the bot has just asked for one or offered times;
 * - a service name where the bot asked which service;
 * - a greeting, thanks, a plain question about one service, "my appointments", or "stop/start
 *   reminders", when the NLU is sure of it and nothing else is named.
 * Anything else — a request with details to sort out, a change of mind, free phrasing the
 * NLU is unsure of — goes to the model.
 */
export function isDeterministic(nlu: NluResult, state: string, context: ConversationContext): boolean {
  if (state.startsWith('escalated')) return true;
  if (nlu.intent === 'emergency' || nlu.intent === 'human') return true;
  if (checkRelevance(currentPending(state, context), nlu) === 'drop') return true;

  const { serviceId, doctorId, date } = nlu.entities;
  const namesNothing = !serviceId && !doctorId && !date && nlu.negated.serviceIds.length === 0 && nlu.negated.doctorIds.length === 0;
  if ((nlu.intent === 'confirm' || nlu.intent === 'deny') && namesNothing) return true;
  if (nlu.intent === 'choose_option' && (nlu.entities.option !== undefined || nlu.entities.lastOption === true)) return true;
  if (date && !serviceId && DATE_STATES.includes(state) && (nlu.intent === 'book' || nlu.intent === 'unknown')) return true;
  if (state === 'booking.collecting' && serviceId && nlu.confidence >= SURE) return true;

  if (nlu.confidence < SURE) return false;
  const plain: readonly string[] = ['greeting', 'thanks_bye', 'my_appointments', 'stop_reminders', 'start_reminders'];
  if (plain.includes(nlu.intent) && namesNothing) return true;
  return nlu.intent === 'ask_service' && serviceId !== undefined && !doctorId && !date;
}
