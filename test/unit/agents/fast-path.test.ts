import { describe, expect, it } from 'vitest';
import type { NluResult } from '../../../src/core/nlu.js';
import { isDeterministic } from '../../../src/conversation/fast-path.js';
import { initialContext, type ConversationContext, type Slot } from '../../../statecharts/conversation.js';

const nlu = (over: Partial<NluResult>): NluResult => ({
  intent: 'unknown',
  confidence: 1,
  entities: {},
  negated: { serviceIds: [], doctorIds: [] },
  language: 'en',
  ...over,
});
const slot: Slot = { id: 'dr-dan@2026-11-23T10:00:00.000Z', doctorId: 'dr-dan', serviceId: 'filling', startsAt: '2026-11-23T10:00:00.000Z', endsAt: '2026-11-23T11:00:00.000Z' };
const choosing: ConversationContext = { ...initialContext(), serviceId: 'filling', doctorId: 'dr-dan', offeredSlots: [slot] };
const confirming: ConversationContext = { ...choosing, chosenSlot: slot };
const friday = { start: '2026-11-27T00:00:00.000Z', hasTime: false };

describe('isDeterministic', () => {
  it('a bare yes or no needs no model, in a confirming state and elsewhere', () => {
    expect(isDeterministic(nlu({ intent: 'confirm', entities: { yesNo: 'yes' } }), 'booking.confirming', confirming)).toBe(true);
    expect(isDeterministic(nlu({ intent: 'deny', entities: { yesNo: 'no' } }), 'booking.cancelling.confirming', initialContext())).toBe(true);
    expect(isDeterministic(nlu({ intent: 'confirm', entities: { yesNo: 'yes' } }), 'inquiry.answering', { ...initialContext(), serviceId: 'filling' })).toBe(true);
  });

  it('a yes or no that names something else goes to the model', () => {
    const noButFriday = nlu({ intent: 'deny', entities: { yesNo: 'no', date: friday } });
    expect(isDeterministic(noButFriday, 'booking.confirming', confirming)).toBe(false);
    const yesWithAna = nlu({ intent: 'confirm', entities: { yesNo: 'yes', doctorId: 'dr-ana' } });
    expect(isDeterministic(yesWithAna, 'booking.confirming', confirming)).toBe(false);
  });

  it('an option number is deterministic, and so is "the last one"', () => {
    expect(isDeterministic(nlu({ intent: 'choose_option', entities: { option: 2 } }), 'booking.choosingSlot', choosing)).toBe(true);
    expect(isDeterministic(nlu({ intent: 'choose_option', entities: { lastOption: true } }), 'booking.choosingSlot', choosing)).toBe(true);
  });

  it('a day is deterministic where the bot asked for one, not where it asked something else', () => {
    const day = nlu({ intent: 'book', confidence: 0.7, entities: { date: friday } });
    expect(isDeterministic(day, 'booking.awaitingDate', choosing)).toBe(true);
    expect(isDeterministic(day, 'booking.choosingSlot', choosing)).toBe(true);
    expect(isDeterministic(day, 'booking.cancelling.selecting', initialContext())).toBe(false);
    expect(isDeterministic(nlu({ intent: 'reschedule', entities: { date: friday } }), 'booking.choosingSlot', choosing)).toBe(false);
  });

  it('emergencies, requests for a person and anything while escalated never wait on a model', () => {
    expect(isDeterministic(nlu({ intent: 'emergency', emergencyKind: 'bleeding' }), 'booking.choosingSlot', choosing)).toBe(true);
    expect(isDeterministic(nlu({ intent: 'human' }), 'idle', initialContext())).toBe(true);
    expect(isDeterministic(nlu({ intent: 'unknown', confidence: 0 }), 'escalated.withStaff', initialContext())).toBe(true);
  });

  it('a negation that drops the pending action is deterministic', () => {
    const dropDan = nlu({ intent: 'deny', confidence: 0.9, negated: { serviceIds: ['filling'], doctorIds: ['dr-dan'] } });
    expect(isDeterministic(dropDan, 'booking.confirming', confirming)).toBe(true);
  });

  it('greetings, thanks and a plain question about one service only when the NLU is sure', () => {
    expect(isDeterministic(nlu({ intent: 'greeting', confidence: 1 }), 'idle', initialContext())).toBe(true);
    expect(isDeterministic(nlu({ intent: 'thanks_bye', confidence: 0.95 }), 'inquiry.answering', initialContext())).toBe(true);
    expect(isDeterministic(nlu({ intent: 'ask_service', confidence: 0.9, entities: { serviceId: 'veneers' } }), 'booking.confirming', confirming)).toBe(true);
    expect(isDeterministic(nlu({ intent: 'ask_service', confidence: 0.6, entities: { serviceId: 'veneers' } }), 'idle', initialContext())).toBe(false);
  });

  it('requests with details to sort out and free phrasing go to the model', () => {
    const bookWithDoctor = nlu({ intent: 'book', confidence: 0.85, entities: { serviceId: 'filling', doctorId: 'dr-dan', date: friday } });
    expect(isDeterministic(bookWithDoctor, 'idle', initialContext())).toBe(false);
    expect(isDeterministic(nlu({ intent: 'unknown', confidence: 0 }), 'booking.choosingSlot', choosing)).toBe(false);
    expect(isDeterministic(nlu({ intent: 'cancel', confidence: 1 }), 'idle', initialContext())).toBe(false);
  });
});
