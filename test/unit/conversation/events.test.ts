import { describe, expect, it } from 'vitest';
import type { NluResult } from '../../../src/core/nlu.js';
import { toConversationEvent } from '../../../src/conversation/events.js';
import { initialContext, type ConversationContext } from '../../../statecharts/conversation.js';

const nlu = (over: Partial<NluResult>): NluResult => ({
  intent: 'unknown',
  confidence: 1,
  entities: {},
  negated: { serviceIds: [], doctorIds: [] },
  language: 'en',
  ...over,
});
const bookingFilling: ConversationContext = { ...initialContext(), serviceId: 'filling', doctorId: 'dr-dan' };
const friday = { start: '2026-11-27T00:00:00.000Z', hasTime: false };

describe('toConversationEvent', () => {
  it('emergencies and requests for a person win in any state', () => {
    expect(toConversationEvent(nlu({ intent: 'emergency', emergencyKind: 'bleeding' }), 'booking.confirming', bookingFilling)).toEqual({ type: 'EMERGENCY', kind: 'bleeding' });
    expect(toConversationEvent(nlu({ intent: 'human' }), 'idle', initialContext())).toEqual({ type: 'HUMAN' });
  });

  it('drops the task when its doctor or service is negated, and takes a new service named with it', () => {
    const negated = { serviceIds: ['filling'], doctorIds: ['dr-dan'] };
    expect(toConversationEvent(nlu({ intent: 'deny', negated }), 'booking.confirming', bookingFilling)).toEqual({ type: 'DROP_PENDING' });
    expect(toConversationEvent(nlu({ intent: 'deny', negated, entities: { serviceId: 'veneers' } }), 'booking.confirming', bookingFilling)).toEqual({
      type: 'BOOK',
      serviceId: 'veneers',
      doctorId: null,
      date: null,
    });
  });

  it('a yes with a cancel word while confirming a cancellation is a yes', () => {
    expect(toConversationEvent(nlu({ intent: 'cancel', entities: { yesNo: 'yes' } }), 'booking.cancelling.confirming', bookingFilling)).toEqual({ type: 'CONFIRM' });
    expect(toConversationEvent(nlu({ intent: 'cancel' }), 'booking.cancelling.confirming', bookingFilling)).toEqual({ type: 'CONFIRM' });
    expect(toConversationEvent(nlu({ intent: 'cancel' }), 'idle', initialContext())).toEqual({ type: 'CANCEL', serviceId: null });
  });

  it('a day alone mid-booking refines the booking instead of starting over', () => {
    expect(toConversationEvent(nlu({ intent: 'book', entities: { date: friday } }), 'booking.choosingSlot', bookingFilling)).toEqual({
      type: 'PROVIDE',
      serviceId: null,
      doctorId: null,
      date: friday,
    });
    expect(toConversationEvent(nlu({ intent: 'book', entities: { date: friday } }), 'idle', initialContext())).toMatchObject({ type: 'BOOK' });
  });

  it('a bare service name answers "which service?" but is a question elsewhere', () => {
    const veneers = nlu({ intent: 'ask_service', entities: { serviceId: 'veneers' } });
    expect(toConversationEvent(veneers, 'booking.collecting', initialContext())).toMatchObject({ type: 'PROVIDE', serviceId: 'veneers' });
    expect(toConversationEvent(veneers, 'booking.confirming', bookingFilling)).toEqual({ type: 'ASK_SERVICE', serviceId: 'veneers' });
  });

  it('an option number and details without an intent become CHOOSE and PROVIDE', () => {
    expect(toConversationEvent(nlu({ intent: 'choose_option', entities: { option: 2 } }), 'booking.choosingSlot', bookingFilling)).toEqual({ type: 'CHOOSE', option: 2 });
    expect(toConversationEvent(nlu({ entities: { doctorId: 'dr-ana' } }), 'booking.choosingSlot', bookingFilling)).toMatchObject({ type: 'PROVIDE', doctorId: 'dr-ana' });
    expect(toConversationEvent(nlu({}), 'idle', initialContext())).toEqual({ type: 'UNKNOWN' });
  });
});
