/** The events the tools produce do what the model meant once the chart takes them (pure transitions, no actors run). */
import { describe, expect, it } from 'vitest';
import { transition, type StateValue } from 'xstate';
import { conversationMachine, type ConversationContext, type ConversationEvent } from '../../../statecharts/conversation.js';
import { stateName } from '../../../src/conversation/state-name.js';
import { CLEANING, FILLING, OFFERED, call, ctxIn } from './support.js';

function afterTool(value: StateValue, context: Partial<ConversationContext>, name: string, args: Record<string, unknown>) {
  const ctx = ctxIn(stateName(value), context);
  const result = call(ctx, name, args);
  if (!result.ok) throw new Error(result.error.toModelFeedback());
  const snapshot = conversationMachine.resolveState({ value, context: ctx.context });
  const [next] = transition(conversationMachine, snapshot, result.event satisfies ConversationEvent);
  return { state: stateName(next.value), context: next.context };
}

describe('tool events in the chart', () => {
  it('book_slot chooses exactly the slot named and asks to confirm it', () => {
    const after = afterTool({ booking: 'choosingSlot' }, { serviceId: 'filling', offeredSlots: OFFERED }, 'book_slot', { slotId: OFFERED[1]?.id });
    expect(after.state).toBe('booking.confirming');
    expect(after.context.chosenSlot).toEqual(OFFERED[1]);
  });

  it('cancel_appointment picks exactly the appointment named and asks to confirm the cancellation', () => {
    const after = afterTool({ booking: { cancelling: 'selecting' } }, { appointmentChoices: [FILLING, CLEANING] }, 'cancel_appointment', {
      appointmentId: CLEANING.id,
    });
    expect(after.state).toBe('booking.cancelling.confirming');
    expect(after.context.appointment).toEqual(CLEANING);
  });

  it('choose_appointment picks exactly the appointment to move', () => {
    const after = afterTool({ booking: { rescheduling: 'selecting' } }, { appointmentChoices: [FILLING, CLEANING] }, 'choose_appointment', {
      appointmentId: FILLING.id,
    });
    expect(after.state).toBe('booking.searching');
    expect(after.context.appointment).toEqual(FILLING);
  });

  it('search_slots refining a booking keeps its service and takes the new doctor', () => {
    const after = afterTool({ booking: 'choosingSlot' }, { serviceId: 'filling', offeredSlots: OFFERED }, 'search_slots', {
      serviceId: null,
      doctorId: 'dr-ivan',
      date: null,
      time: null,
      timeRelation: null, partOfDay: null,
    });
    expect(after.state).toBe('booking.searching');
    expect(after.context).toMatchObject({ serviceId: 'filling', doctorId: 'dr-ivan', offeredSlots: [] });
  });
});
