/**
 * After the model failed validation twice, the patient is asked instead — in their language,
 * from locale templates, listing the valid choices the validator suggested. Suggested ids are
 * recognised against the catalog and the conversation, never shown as the model wrote them.
 */
import type { Clinic } from '../config/catalog-schema.js';
import type { OutboundLine, OutboundMessage } from '../core/messages.js';
import type { ConversationContext } from '../../statecharts/conversation.js';
import type { ToolIssue, ToolSuggestions } from '../tools/types.js';

/** States that show a numbered menu the chart will read a number against. */
const SLOT_MENU_STATES = ['booking.choosingSlot', 'booking.confirming'];

const WHEN_PATHS = ['date', 'time', 'partOfDay'];

/**
 * The ids suggested for the arguments that were wrong; when the problem has no single
 * argument (a whole-call schema error), the ids suggested for any id argument.
 */
function suggestedIds(issues: ToolIssue[], suggestions: ToolSuggestions): Set<string> {
  const paths = new Set(issues.map((issue) => issue.path));
  const keys = Object.keys(suggestions);
  const forIssues = keys.filter((key) => paths.has(key));
  const chosen = forIssues.length > 0 ? forIssues : keys.filter((key) => key.endsWith('Id'));
  return new Set(chosen.flatMap((key) => (suggestions[key] ?? []).map((s) => s.id)));
}

/** The question to the patient, or null when nothing valid can be offered. */
export function clarifyingQuestion(input: {
  issues: ToolIssue[];
  suggestions: ToolSuggestions;
  clinic: Clinic;
  state: string;
  context: ConversationContext;
}): OutboundMessage | null {
  const { clinic, state, context } = input;
  // A day or time that cannot be booked is answered with a question about when, not with a list of doctors.
  if (input.issues.some((issue) => WHEN_PATHS.includes(issue.path))) return { key: 'clarify.when' };
  const ids = suggestedIds(input.issues, input.suggestions);
  if (ids.size === 0) return null;

  // A menu the chart already offers is shown again whole, so "2" still means what it meant.
  if (SLOT_MENU_STATES.includes(state) && context.offeredSlots.some((slot) => ids.has(slot.id))) {
    return {
      key: 'clarify.choose_option',
      options: context.offeredSlots.map((slot) => ({
        id: slot.id,
        key: 'booking.slot_option',
        params: { doctorId: slot.doctorId, startsAt: slot.startsAt },
      })),
    };
  }
  if (state.endsWith('.selecting') && context.appointmentChoices.some((a) => ids.has(a.id))) {
    return {
      key: 'clarify.choose_option',
      options: context.appointmentChoices.map((a) => ({
        id: a.id,
        key: 'appointments.item',
        params: { serviceId: a.serviceId, doctorId: a.doctorId, startsAt: a.startsAt },
      })),
    };
  }

  const lines: OutboundLine[] = [
    ...clinic.services.filter((s) => ids.has(s.id)).map((s) => ({ key: 'clarify.service', params: { serviceId: s.id } })),
    ...clinic.doctors.filter((d) => ids.has(d.id)).map((d) => ({ key: 'clarify.doctor', params: { doctorId: d.id } })),
    ...context.offeredSlots
      .filter((slot) => ids.has(slot.id))
      .map((slot) => ({ key: 'booking.slot_option', params: { doctorId: slot.doctorId, startsAt: slot.startsAt } })),
  ];
  return lines.length > 0 ? { key: 'clarify.choose', lines } : null;
}
