/**
 * A deterministic stand-in for a language model, at the protocol level: it reads only the
 * HTTP request (the system prompt, the tools offered, the patient's message, any tool results),
 * understands the message with the project's offline NLU over the demo clinic's vocabulary,
 * and answers with the one tool call it is allowed to make that fits — or plain text when
 * nothing fits, which the assistant treats as "no tool". Used by the model-mode conversation
 * scripts and by the bench.
 */
import { DateTime } from 'luxon';
import { loadClinic } from '../config/clinic.js';
import type { NluResult } from '../core/nlu.js';
import { defaultLocalesDir } from '../i18n/locales-dir.js';
import { createNlu, loadNluLexicons, type Nlu } from '../nlu/index.js';
import { reply, type ChatRequest, type FakeReply, type Responder } from './fake-openai-replies.js';
import { readPromptFacts, type PromptFacts } from './prompt-facts.js';
import { judgeRelevance } from './scripted-judge.js';

export const NOT_SURE = 'I am not sure.';

export async function createScriptedModel(options: { clinicFile?: string; localesDir?: string } = {}): Promise<Responder> {
  const clinic = await loadClinic(options.clinicFile);
  const nlu = createNlu(clinic, await loadNluLexicons(options.localesDir ?? defaultLocalesDir()));
  return (request) => answer(request, nlu, clinic.timeZone);
}

function answer(request: ChatRequest, nlu: Nlu, fallbackZone: string): FakeReply {
  const facts = readPromptFacts(request, fallbackZone);
  const understood = nlu.understand(facts.text, { locale: facts.locale, now: facts.now });
  if (request.response_format?.type === 'json_schema') return judgeRelevance(request, nlu, facts, understood);
  // After a refused call this model does not guess again: it leaves the question to the assistant.
  if (request.messages[request.messages.length - 1]?.role === 'tool') return reply.text(NOT_SURE);
  return toolCallFor(understood, facts) ?? reply.text(NOT_SURE);
}

interface When {
  date: string | null;
  time: string | null;
  timeRelation: 'after' | 'before' | null;
  partOfDay: 'morning' | 'afternoon' | 'evening' | null;
}

function whenOf(understood: NluResult, facts: PromptFacts): When {
  const named = understood.entities.date;
  if (!named) return { date: null, time: null, timeRelation: null, partOfDay: null };
  const local = DateTime.fromISO(named.start, { zone: facts.timeZone });
  return {
    date: named.anyDay ? null : local.toFormat('yyyy-MM-dd'),
    time: named.hasTime ? local.toFormat('HH:mm') : null,
    timeRelation: named.timeRelation ?? null,
    partOfDay: named.partOfDay ?? null,
  };
}

function toolCallFor(understood: NluResult, facts: PromptFacts): FakeReply | null {
  const call = (name: string, args: Record<string, unknown>): FakeReply | null => {
    const properties = facts.tools.get(name);
    // Strict schemas want every property: what the model has no value for is null; what the tool does not take is left out.
    return properties ? reply.toolCall(name, Object.fromEntries(properties.map((p) => [p, args[p] ?? null]))) : null;
  };
  const known = (id: string | undefined) => (id && facts.catalogIds.has(id) ? id : null);
  const serviceId = known(understood.entities.serviceId);
  const doctorId = known(understood.entities.doctorId);
  const when = whenOf(understood, facts);
  const search = () => call('search_slots', { serviceId, doctorId, ...when });
  const namesSomething = Boolean(serviceId || doctorId || when.date || when.time || when.partOfDay);
  const option = understood.entities.option;
  const dropsSomething = understood.negated.serviceIds.length > 0 || understood.negated.doctorIds.length > 0;

  if (understood.intent === 'emergency') return call('escalate', { reason: 'emergency', kind: understood.emergencyKind ?? null });
  if (understood.intent === 'human') return call('escalate', { reason: 'patient_request', kind: null });
  // "I won't need the ECG any more": an appointment no longer needed is cancelled.
  if (dropsSomething && understood.intent === 'cancel') return call('start_cancellation', { serviceId: serviceId ?? known(understood.negated.serviceIds[0]) });
  // "No filling with Dan, I want veneers": the new request replaces the old one.
  if (dropsSomething) return serviceId ? search() : call('drop_request', {});
  if (option !== undefined && (understood.intent === 'choose_option' || understood.intent === 'unknown')) return pickFromMenu(option, facts);
  // "Yes, cancel it" answers the confirmation question; it is not a new cancellation.
  if (understood.entities.yesNo && !namesSomething && facts.tools.has('answer_confirmation')) {
    return call('answer_confirmation', { answer: understood.entities.yesNo });
  }

  // In front of slots, another time asked for in other words ("too early, I won't make it; Friday
  // afternoon?") is a new search for the booking under way, as a model reads it.
  const asksAnotherTime = Boolean(when.date || when.partOfDay || when.time) && !serviceId;
  if (facts.slotIds.length > 0 && asksAnotherTime && ['reschedule', 'ask_service', 'deny'].includes(understood.intent)) return search();

  switch (understood.intent) {
    case 'ask_service':
      // A bare service name answers "which service?" while booking.
      if (serviceId && /which service/i.test(facts.step)) return search();
      return call('service_info', { serviceId });
    case 'book':
      return search();
    case 'reschedule':
      return call('start_reschedule', { serviceId, ...when });
    case 'cancel':
      return call('start_cancellation', { serviceId });
    case 'my_appointments':
      return call('list_my_appointments', {});
    case 'confirm':
    case 'deny':
      return call('answer_confirmation', { answer: understood.intent === 'confirm' ? 'yes' : 'no' });
    case 'unknown':
      return namesSomething ? search() : null;
    default:
      return null;
  }
}

/** "The second one": the listed id at that position, with whichever picking tool is offered. */
function pickFromMenu(option: number, facts: PromptFacts): FakeReply | null {
  const slotId = facts.slotIds[option - 1];
  if (slotId && facts.tools.has('book_slot')) return reply.toolCall('book_slot', { slotId });
  const appointmentId = facts.appointmentIds[option - 1];
  if (!appointmentId) return null;
  if (facts.tools.has('choose_appointment')) return reply.toolCall('choose_appointment', { appointmentId });
  if (facts.tools.has('cancel_appointment')) return reply.toolCall('cancel_appointment', { appointmentId });
  return null;
}
