/**
 * Step 6 of the pipeline as a port: what does this message mean in the current state? The
 * offline implementation here is today's NLU mapping; src/agents/ provides one backed by a
 * language model. Either way the answer is one statechart event, never text: replies are the
 * chart's localized templates, so nothing a model writes ever reaches a patient.
 */
import type { Locale } from '../core/locale.js';
import type { OutboundMessage } from '../core/messages.js';
import type { NluResult } from '../core/nlu.js';
import type { ConversationContext, ConversationEvent } from '../../statecharts/conversation.js';
import { toConversationEvent } from './events.js';

export interface InterpretInput {
  /** The patient's current message only; earlier turns (and anything staff wrote) never go in. */
  text: string;
  nlu: NluResult;
  /** Dotted state name, e.g. "booking.choosingSlot". */
  state: string;
  context: ConversationContext;
  /** The language the reply will be in. */
  locale: Locale;
  now: Date;
}

export interface Interpretation {
  /**
   * The one event for the chart, or null when the turn only asks the patient something
   * (the notices are then the whole reply and the chart does nothing).
   */
  event: ConversationEvent | null;
  /** Replies sent before the chart's own, e.g. the apology when the model is unavailable. */
  notices: OutboundMessage[];
  modelCalls: number;
}

export interface Interpreter {
  interpret(input: InterpretInput): Promise<Interpretation>;
}

/** The offline NLU's reading, exactly as before the agents existed. */
export function offlineInterpretation(input: Pick<InterpretInput, 'nlu' | 'state' | 'context'>): ConversationEvent {
  return toConversationEvent(input.nlu, input.state, input.context);
}

export function createOfflineInterpreter(): Interpreter {
  return {
    async interpret(input) {
      return { event: offlineInterpretation(input), notices: [], modelCalls: 0 };
    },
  };
}
