import type { NluResult } from '../core/nlu.js';
import type { PendingAction } from '../../statecharts/conversation.js';

/**
 * Whether a new message is about the pending action, says it is no longer wanted, or is
 * about something else. Only `about_pending` lets the pending action into a reply or prompt.
 * These are the fast checks; a language model may judge what they leave `undecided`.
 */
export type RelevanceVerdict = 'about_pending' | 'drop' | 'unrelated' | 'undecided';

export function checkRelevance(pending: PendingAction | null, nlu: NluResult): RelevanceVerdict {
  if (!pending) return 'unrelated';
  if (namesPendingUnderNegation(pending, nlu)) return 'drop';
  const { serviceId, doctorId } = nlu.entities;
  if (serviceId && serviceId !== pending.serviceId) return 'unrelated';
  if (nlu.negated.serviceIds.length > 0 || nlu.negated.doctorIds.length > 0) return 'unrelated';
  if (['ask_service', 'my_appointments', 'human', 'emergency', 'greeting', 'thanks_bye', 'stop_reminders', 'start_reminders'].includes(nlu.intent) && !serviceId) {
    return 'unrelated';
  }
  if (serviceId === pending.serviceId || (doctorId && doctorId === pending.doctorId)) return 'about_pending';
  if (['confirm', 'deny', 'choose_option'].includes(nlu.intent)) return 'about_pending';
  return 'undecided';
}

function namesPendingUnderNegation(pending: PendingAction, nlu: NluResult): boolean {
  return (
    (pending.serviceId !== null && nlu.negated.serviceIds.includes(pending.serviceId)) ||
    (pending.doctorId !== null && nlu.negated.doctorIds.includes(pending.doctorId))
  );
}
