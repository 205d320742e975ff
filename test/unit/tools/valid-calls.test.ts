import { describe, expect, it } from 'vitest';
import { CLEANING, FILLING, OFFERED, call, ctxIn, slot } from './support.js';

const expectEvent = (result: ReturnType<typeof call>) => {
  if (!result.ok) throw new Error(result.error.toModelFeedback());
  return expect(result.event);
};

describe('a valid tool call becomes the chart event the offline NLU would send', () => {
  it('service_info asks about a service, or for the list', () => {
    expectEvent(call(ctxIn('idle'), 'service_info', { serviceId: 'veneers' })).toEqual({ type: 'ASK_SERVICE', serviceId: 'veneers' });
    expectEvent(call(ctxIn('inquiry.answering'), 'service_info', { serviceId: null })).toEqual({ type: 'ASK_SERVICE', serviceId: null });
  });

  it('search_slots starts a booking with the day and time in the clinic time zone', () => {
    const args = { serviceId: 'filling', doctorId: 'dr-dan', date: '2026-11-24', time: '10:00', timeRelation: null, partOfDay: null };
    expectEvent(call(ctxIn('idle'), 'search_slots', args)).toEqual({
      type: 'BOOK',
      serviceId: 'filling',
      doctorId: 'dr-dan',
      date: { start: '2026-11-24T10:00:00.000Z', hasTime: true, local: '2026-11-24T10:00' },
    });
  });

  it('search_slots reads a summer time as Lisbon summer time (UTC+1)', () => {
    const args = { serviceId: 'cleaning', doctorId: null, date: '2027-06-01', time: '10:00', timeRelation: null, partOfDay: null };
    expectEvent(call(ctxIn('idle'), 'search_slots', args)).toEqual({
      type: 'BOOK',
      serviceId: 'cleaning',
      doctorId: null,
      date: { start: '2027-06-01T09:00:00.000Z', hasTime: true, local: '2027-06-01T10:00' },
    });
  });

  it('search_slots keeps a part of the day on a day without a time, and today counts as not past', () => {
    const later = { serviceId: 'veneers', doctorId: null, date: '2026-11-25', time: null, timeRelation: null, partOfDay: 'afternoon' };
    expectEvent(call(ctxIn('idle'), 'search_slots', later)).toEqual({
      type: 'BOOK',
      serviceId: 'veneers',
      doctorId: null,
      date: { start: '2026-11-25T00:00:00.000Z', hasTime: false, partOfDay: 'afternoon', local: '2026-11-25' },
    });
    const today = { serviceId: 'filling', doctorId: null, date: '2026-11-23', time: null, timeRelation: null, partOfDay: null };
    expectEvent(call(ctxIn('idle'), 'search_slots', today)).toEqual({
      type: 'BOOK',
      serviceId: 'filling',
      doctorId: null,
      date: { start: '2026-11-23T00:00:00.000Z', hasTime: false, local: '2026-11-23' },
    });
  });

  it('search_slots takes a time bound, which need not fall inside working hours ("after 8pm" is no hour of the clinic)', () => {
    const args = { serviceId: 'filling', doctorId: null, date: '2026-11-24', time: '15:00', timeRelation: 'after', partOfDay: null };
    expectEvent(call(ctxIn('idle'), 'search_slots', args)).toEqual({
      type: 'BOOK',
      serviceId: 'filling',
      doctorId: null,
      date: { start: '2026-11-24T15:00:00.000Z', hasTime: true, timeRelation: 'after', local: '2026-11-24T15:00' },
    });
    const early = { serviceId: 'filling', doctorId: null, date: '2026-11-24', time: '07:00', timeRelation: 'after', partOfDay: null };
    expect(call(ctxIn('idle'), 'search_slots', early).ok).toBe(true);
  });

  it('search_slots with a time that has passed today and no day means that time tomorrow', () => {
    const args = { serviceId: 'filling', doctorId: null, date: null, time: '09:00', timeRelation: null, partOfDay: null };
    expectEvent(call(ctxIn('idle'), 'search_slots', args)).toEqual({
      type: 'BOOK',
      serviceId: 'filling',
      doctorId: null,
      date: { start: '2026-11-24T09:00:00.000Z', hasTime: true, anyDay: true, local: '2026-11-24T09:00' },
    });
  });

  it('search_slots refines the booking under way with PROVIDE, checking the doctor against its service', () => {
    const ctx = ctxIn('booking.choosingSlot', { serviceId: 'filling', offeredSlots: OFFERED });
    const args = { serviceId: null, doctorId: 'dr-ivan', date: '2026-11-26', time: null, timeRelation: null, partOfDay: null };
    expectEvent(call(ctx, 'search_slots', args)).toEqual({
      type: 'PROVIDE',
      serviceId: null,
      doctorId: 'dr-ivan',
      date: { start: '2026-11-26T00:00:00.000Z', hasTime: false, local: '2026-11-26' },
    });
    const answer = { serviceId: 'filling', doctorId: null, date: null, time: null, timeRelation: null, partOfDay: null };
    expectEvent(call(ctxIn('booking.collecting'), 'search_slots', answer)).toEqual({ type: 'PROVIDE', serviceId: 'filling', doctorId: null, date: null });
  });

  it('search_slots for another service in the middle of a booking starts a new booking', () => {
    const ctx = ctxIn('booking.choosingSlot', { serviceId: 'filling', offeredSlots: OFFERED });
    const args = { serviceId: 'veneers', doctorId: null, date: null, time: null, timeRelation: null, partOfDay: null };
    expectEvent(call(ctx, 'search_slots', args)).toEqual({ type: 'BOOK', serviceId: 'veneers', doctorId: null, date: null });
  });

  it('book_slot picks the offered slot by its place in the offer', () => {
    const ctx = ctxIn('booking.choosingSlot', { serviceId: 'filling', offeredSlots: OFFERED });
    expectEvent(call(ctx, 'book_slot', { slotId: OFFERED[1]?.id })).toEqual({ type: 'CHOOSE', option: 2 });
    expectEvent(call({ ...ctx, state: 'booking.confirming' }, 'book_slot', { slotId: OFFERED[0]?.id })).toEqual({ type: 'CHOOSE', option: 1 });
  });

  it('an offered slot is never taken for a placeholder, whatever its id looks like', () => {
    const odd = { ...slot('dr-dan', '2026-11-24T10:00:00.000Z'), id: 'slot_1' };
    const ctx = ctxIn('booking.choosingSlot', { serviceId: 'filling', offeredSlots: [odd] });
    expectEvent(call(ctx, 'book_slot', { slotId: 'slot_1' })).toEqual({ type: 'CHOOSE', option: 1 });
  });

  it('answer_confirmation is CONFIRM or DENY', () => {
    const ctx = ctxIn('booking.confirming', { serviceId: 'filling', offeredSlots: OFFERED, chosenSlot: OFFERED[0] ?? null });
    expectEvent(call(ctx, 'answer_confirmation', { answer: 'yes' })).toEqual({ type: 'CONFIRM' });
    expectEvent(call(ctx, 'answer_confirmation', { answer: 'no' })).toEqual({ type: 'DENY' });
    const cancelling = ctxIn('booking.cancelling.confirming', { appointment: FILLING });
    expectEvent(call(cancelling, 'answer_confirmation', { answer: 'yes' })).toEqual({ type: 'CONFIRM' });
  });

  it('start_reschedule and start_cancellation carry the service hint', () => {
    expectEvent(call(ctxIn('idle'), 'start_reschedule', { serviceId: 'filling', date: '2026-11-27', time: '11:00', timeRelation: null, partOfDay: null })).toEqual({
      type: 'RESCHEDULE',
      date: { start: '2026-11-27T11:00:00.000Z', hasTime: true, local: '2026-11-27T11:00' },
      serviceId: 'filling',
    });
    expectEvent(call(ctxIn('idle'), 'start_reschedule', { serviceId: null, date: '2026-11-27', time: null, timeRelation: null, partOfDay: 'afternoon' })).toEqual({
      type: 'RESCHEDULE',
      date: { start: '2026-11-27T00:00:00.000Z', hasTime: false, partOfDay: 'afternoon', local: '2026-11-27' },
      serviceId: null,
    });
    expectEvent(call(ctxIn('idle'), 'start_reschedule', { serviceId: null, date: null, time: null, timeRelation: null, partOfDay: null })).toEqual({
      type: 'RESCHEDULE',
      date: null,
      serviceId: null,
    });
    expectEvent(call(ctxIn('inquiry.answering'), 'start_cancellation', { serviceId: 'cleaning' })).toEqual({ type: 'CANCEL', serviceId: 'cleaning' });
    expectEvent(call(ctxIn('idle'), 'start_cancellation', { serviceId: null })).toEqual({ type: 'CANCEL', serviceId: null });
  });

  it('cancel_appointment picks from the appointments offered, or confirms the one being cancelled', () => {
    const selecting = ctxIn('booking.cancelling.selecting', { appointmentChoices: [FILLING, CLEANING] });
    expectEvent(call(selecting, 'cancel_appointment', { appointmentId: CLEANING.id })).toEqual({ type: 'CHOOSE', option: 2 });
    const confirming = ctxIn('booking.cancelling.confirming', { appointment: FILLING, serviceId: 'filling' });
    expectEvent(call(confirming, 'cancel_appointment', { appointmentId: FILLING.id })).toEqual({ type: 'CONFIRM' });
  });

  it('choose_appointment picks the appointment to move', () => {
    const ctx = ctxIn('booking.rescheduling.selecting', { appointmentChoices: [FILLING, CLEANING] });
    expectEvent(call(ctx, 'choose_appointment', { appointmentId: FILLING.id })).toEqual({ type: 'CHOOSE', option: 1 });
  });

  it('list_my_appointments and drop_request take no arguments (an empty string counts as none)', () => {
    expectEvent(call(ctxIn('idle'), 'list_my_appointments', {})).toEqual({ type: 'LIST_APPOINTMENTS' });
    expectEvent(call(ctxIn('booking.choosingSlot'), 'list_my_appointments', '')).toEqual({ type: 'LIST_APPOINTMENTS' });
    expectEvent(call(ctxIn('booking.choosingSlot', { serviceId: 'filling' }), 'drop_request', '{}')).toEqual({ type: 'DROP_PENDING' });
  });

  it('escalate is an emergency with its kind, or a request for a person', () => {
    const ctx = ctxIn('booking.confirming');
    expectEvent(call(ctx, 'escalate', { reason: 'emergency', kind: 'chest_pain' })).toEqual({ type: 'EMERGENCY', kind: 'chest_pain' });
    expectEvent(call(ctx, 'escalate', { reason: 'emergency', kind: 'Heavy bleeding' })).toEqual({ type: 'EMERGENCY', kind: 'heavy_bleeding' });
    expectEvent(call(ctx, 'escalate', { reason: 'patient_request', kind: null })).toEqual({ type: 'HUMAN' });
  });

  it('escalate never holds up an emergency over its kind', () => {
    const ctx = ctxIn('idle');
    for (const kind of [null, '', '???', 'x'.repeat(80)]) {
      expectEvent(call(ctx, 'escalate', { reason: 'emergency', kind })).toEqual({ type: 'EMERGENCY', kind: 'unspecified' });
    }
  });

  it('reports the tool and the parsed arguments with the event', () => {
    const result = call(ctxIn('idle'), 'service_info', { serviceId: 'xray' });
    expect(result).toMatchObject({ ok: true, tool: 'service_info', args: { serviceId: 'xray' } });
  });
});
