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

describe('toConversationEvent, issue 11', () => {
  const slotAt = (doctorId: string, local: string) => ({
    id: `${doctorId}@${local}`,
    doctorId,
    serviceId: 'filling',
    startsAt: `${local}:00.000Z`,
    endsAt: `${local}:00.000Z`,
    local,
  });
  const menu = { ...bookingFilling, offeredSlots: [slotAt('dr-dan', '2026-11-24T10:00'), slotAt('dr-ana', '2026-11-27T15:00')] };
  const friday3pm = { start: '2026-11-27T15:00:00.000Z', hasTime: true, local: '2026-11-27T15:00', byWeekday: true };

  it('"the last one" and words that fit an offered time choose it; words that fit none search again', () => {
    expect(toConversationEvent(nlu({ intent: 'choose_option', entities: { lastOption: true } }), 'booking.choosingSlot', menu)).toEqual({ type: 'CHOOSE', option: 2 });
    expect(toConversationEvent(nlu({ intent: 'book', entities: { date: friday3pm } }), 'booking.choosingSlot', menu)).toEqual({ type: 'CHOOSE', option: 2 });
    expect(toConversationEvent(nlu({ intent: 'unknown', entities: { doctorId: 'dr-dan' } }), 'booking.confirming', menu)).toEqual({ type: 'CHOOSE', option: 1 });
    const monday = { start: '2026-11-30T00:00:00.000Z', hasTime: false, local: '2026-11-30', byWeekday: true };
    expect(toConversationEvent(nlu({ intent: 'book', entities: { date: monday } }), 'booking.choosingSlot', menu)).toMatchObject({ type: 'PROVIDE' });
    // Another service is a new request, not a choice.
    expect(toConversationEvent(nlu({ intent: 'book', entities: { serviceId: 'veneers', date: friday3pm } }), 'booking.choosingSlot', menu)).toMatchObject({ type: 'BOOK' });
  });

  it('a question naming no other service stays on the one just answered', () => {
    const answered = { ...initialContext(), serviceId: 'filling' };
    expect(toConversationEvent(nlu({ intent: 'unknown', question: true }), 'inquiry.answering', answered)).toEqual({ type: 'ASK_SERVICE', serviceId: null });
    expect(toConversationEvent(nlu({ intent: 'book', inferred: true, question: true, entities: { doctorId: 'dr-dan' } }), 'inquiry.answering', answered)).toEqual({
      type: 'ASK_SERVICE',
      serviceId: null,
    });
    expect(toConversationEvent(nlu({ intent: 'unknown' }), 'inquiry.answering', answered)).toEqual({ type: 'UNKNOWN' });
    expect(toConversationEvent(nlu({ intent: 'unknown', question: true }), 'idle', initialContext())).toEqual({ type: 'UNKNOWN' });
  });

  it('a service no longer wanted cancels its appointment', () => {
    const noLonger = nlu({ intent: 'cancel', negated: { serviceIds: ['xray'], doctorIds: [] } });
    expect(toConversationEvent(noLonger, 'idle', initialContext())).toEqual({ type: 'CANCEL', serviceId: 'xray' });
  });
});
