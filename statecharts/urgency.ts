/**
 * How urgent an escalation is, from why it was raised. Pure, so the chart can use it.
 *
 * Life-threatening emergencies are `urgent`: the patient is told to call the emergency number at
 * once. Serious conditions that still allow a same-day visit (spreading swelling with fever, a
 * knocked-out tooth, pain painkillers do not touch) are `high`: urgent care from the clinic, with
 * the emergency number in case it gets worse. A kind this table does not know (a new lexicon list,
 * an agent's own wording) counts as life-threatening: a false alarm costs less than a missed one.
 */
import type { Urgency } from '../src/core/ports/records.js';
import { urgencyRank } from '../src/core/urgency.js';

/** Emergency levels: the two urgencies a symptom can carry. */
export type EmergencyUrgency = Extract<Urgency, 'urgent' | 'high'>;

const SERIOUS_NOT_LIFE_THREATENING: ReadonlySet<string> = new Set(['severe_swelling', 'trauma', 'severe_pain']);

export function emergencyUrgency(kind: string): EmergencyUrgency {
  return SERIOUS_NOT_LIFE_THREATENING.has(kind) ? 'high' : 'urgent';
}

export type EscalationCause =
  | { type: 'emergency'; kind: string }
  | { type: 'patient_request' }
  | { type: 'bot_failed' }
  | { type: 'staff_takeover' };

export function urgencyOf(cause: EscalationCause): Urgency {
  switch (cause.type) {
    case 'emergency':
      return emergencyUrgency(cause.kind);
    case 'patient_request':
    case 'staff_takeover':
      return 'medium';
    case 'bot_failed':
      return 'low';
  }
}

/** True when `next` is more urgent than `current` (anything beats no escalation at all). */
export function isMoreUrgent(next: Urgency, current: Urgency | null): boolean {
  return current === null || urgencyRank(next) > urgencyRank(current);
}
