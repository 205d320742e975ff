import { describe, expect, it } from 'vitest';
import { ToolValidationError } from '../../../src/tools/types.js';
import { checkToolCall } from '../../../src/tools/validate.js';
import { toolsAllowedIn } from '../../../statecharts/agent-policy.js';
import { CLEANING, FILLING, OFFERED, call, clinic, codes, ctxIn, ids, refusal } from './support.js';

const search = (args: Partial<Record<'serviceId' | 'doctorId' | 'date' | 'time' | 'partOfDay', string | null>>) => ({
  serviceId: 'filling',
  doctorId: null,
  date: null,
  time: null,
  timeRelation: null, partOfDay: null,
  ...args,
});

describe('ids the conversation has not seen', () => {
  it('an unknown doctor is refused with the doctors who do the service', () => {
    const result = call(ctxIn('idle'), 'search_slots', search({ doctorId: 'dr-house' }));
    expect(codes(result)).toEqual([{ path: 'doctorId', code: 'unknown_id' }]);
    const { suggestions } = refusal(result);
    expect(ids(suggestions.doctorId)).toEqual(['dr-dan', 'dr-ivan']);
    expect(suggestions.doctorId).toContainEqual({ id: 'dr-dan', label: 'Dr. Dan Cohen' });
  });

  it('names the suggestions in the patient language', () => {
    const result = call(ctxIn('idle', {}, 'ru'), 'search_slots', search({ doctorId: 'dr-house' }));
    const dan = clinic.doctors.find((doctor) => doctor.id === 'dr-dan');
    expect(refusal(result).suggestions.doctorId).toContainEqual({ id: 'dr-dan', label: dan?.names.ru });
    const service = refusal(call(ctxIn('idle', {}, 'pt'), 'service_info', { serviceId: 'botox' }));
    expect(service.issues).toMatchObject([{ path: 'serviceId', code: 'unknown_id' }]);
    expect(ids(service.suggestions.serviceId)).toEqual(clinic.services.map((s) => s.id));
    expect(service.suggestions.serviceId).toContainEqual({ id: 'filling', label: 'Obturação' });
  });

  it('a doctor who does not do the service is a mismatch', () => {
    const result = call(ctxIn('idle'), 'search_slots', search({ serviceId: 'veneers', doctorId: 'dr-dan' }));
    expect(codes(result)).toEqual([{ path: 'doctorId', code: 'mismatch' }]);
    expect(ids(refusal(result).suggestions.doctorId)).toEqual(['dr-ana', 'dr-ivan']);
  });

  it('a doctor who does not do the service of the booking under way is a mismatch too', () => {
    const ctx = ctxIn('booking.choosingSlot', { serviceId: 'filling', offeredSlots: OFFERED });
    expect(codes(call(ctx, 'search_slots', search({ serviceId: null, doctorId: 'dr-ana' })))).toEqual([{ path: 'doctorId', code: 'mismatch' }]);
  });

  it('a slot never offered is refused with the offered slots', () => {
    const ctx = ctxIn('booking.choosingSlot', { serviceId: 'filling', offeredSlots: OFFERED });
    const result = call(ctx, 'book_slot', { slotId: 'dr-dan@2026-11-24T15:00:00.000Z' });
    expect(codes(result)).toEqual([{ path: 'slotId', code: 'not_offered' }]);
    expect(refusal(result).suggestions.slotId).toEqual([
      { id: OFFERED[0]?.id, label: 'Tue 2026-11-24 10:00 Dr. Dan Cohen' },
      { id: OFFERED[1]?.id, label: 'Tue 2026-11-24 11:00 Dr. Ivan Petrov' },
    ]);
  });

  it("an appointment that is not one of the patient's shown ones is not_yours", () => {
    const stranger = '0b7e5c1a-9f2d-4e3b-8a61-5d4c3b2a1f00';
    const selecting = ctxIn('booking.cancelling.selecting', { appointmentChoices: [FILLING, CLEANING] });
    const result = call(selecting, 'cancel_appointment', { appointmentId: stranger });
    expect(codes(result)).toEqual([{ path: 'appointmentId', code: 'not_yours' }]);
    expect(ids(refusal(result).suggestions.appointmentId)).toEqual([FILLING.id, CLEANING.id]);
    expect(refusal(result).suggestions.appointmentId?.[0]?.label).toBe('Filling, Mon 2026-11-30 10:00 Dr. Dan Cohen');
    const confirming = ctxIn('booking.cancelling.confirming', { appointment: FILLING });
    expect(codes(call(confirming, 'cancel_appointment', { appointmentId: CLEANING.id }))).toEqual([{ path: 'appointmentId', code: 'not_yours' }]);
    const moving = ctxIn('booking.rescheduling.selecting', { appointmentChoices: [CLEANING] });
    expect(codes(call(moving, 'choose_appointment', { appointmentId: FILLING.id }))).toEqual([{ path: 'appointmentId', code: 'not_yours' }]);
  });
});

describe('placeholders', () => {
  const PLACEHOLDERS = [
    '1',
    'test',
    'TEST',
    'doctor_id',
    'doctorId',
    '00000000-0000-0000-0000-000000000000',
    '00000000-…',
    'string',
    'null',
    '<doctor_id>',
    'xxx',
    'example',
    'id',
    '',
    '   ',
    'dr_1',
    'your_doctor_id',
  ];

  it.each(PLACEHOLDERS)('%j as a doctor id is a placeholder', (value) => {
    const result = call(ctxIn('idle'), 'search_slots', search({ doctorId: value }));
    expect(codes(result)).toEqual([{ path: 'doctorId', code: 'placeholder' }]);
    expect(ids(refusal(result).suggestions.serviceId)).toContain('filling');
  });

  it.each(['slot_1', 'slot-2', '1', 'test'])('%j as a slot id is a placeholder, answered with the offered slots', (value) => {
    const ctx = ctxIn('booking.choosingSlot', { serviceId: 'filling', offeredSlots: OFFERED });
    const result = call(ctx, 'book_slot', { slotId: value });
    expect(codes(result)).toEqual([{ path: 'slotId', code: 'placeholder' }]);
    expect(ids(refusal(result).suggestions.slotId)).toEqual(OFFERED.map((slot) => slot.id));
  });

  it('a zero UUID appointment id is a placeholder', () => {
    const ctx = ctxIn('booking.cancelling.selecting', { appointmentChoices: [FILLING] });
    const result = call(ctx, 'cancel_appointment', { appointmentId: '00000000-0000-0000-0000-000000000000' });
    expect(codes(result)).toEqual([{ path: 'appointmentId', code: 'placeholder' }]);
  });
});

describe('days and times', () => {
  it('a past day is in_past, with today named for the model', () => {
    const result = call(ctxIn('idle'), 'search_slots', search({ date: '2026-11-20' }));
    expect(codes(result)).toEqual([{ path: 'date', code: 'in_past' }]);
    expect(refusal(result).suggestions.today).toEqual([{ id: '2026-11-23', label: "today (Monday) in the clinic's time zone Europe/Lisbon" }]);
  });

  it('an hour already gone today is in_past', () => {
    expect(codes(call(ctxIn('idle'), 'search_slots', search({ date: '2026-11-23', time: '09:00' })))).toEqual([{ path: 'time', code: 'in_past' }]);
    expect(codes(call(ctxIn('idle'), 'start_reschedule', { serviceId: null, date: '2025-01-01', time: null, timeRelation: null, partOfDay: null }))).toEqual([
      { path: 'date', code: 'in_past' },
    ]);
  });

  it('23:00 is outside working hours, with the hours of the doctors who do the service', () => {
    const result = call(ctxIn('idle'), 'search_slots', search({ date: '2026-11-24', time: '23:00' }));
    expect(codes(result)).toEqual([{ path: 'time', code: 'outside_hours' }]);
    expect(refusal(result).suggestions.workingHours).toContainEqual({
      id: 'dr-dan',
      label: 'mon 09:00-13:00, 14:00-18:00; tue 09:00-13:00, 14:00-18:00; wed 09:00-13:00, 14:00-18:00; thu 09:00-13:00, 14:00-18:00; fri 09:00-13:00, 14:00-18:00',
    });
    expect(ids(refusal(result).suggestions.workingHours)).toEqual(['dr-dan', 'dr-ivan']);
  });

  it("judges the named doctor's own hours: lunch breaks, days off, the end of the day", () => {
    const at = (doctorId: string, date: string, time: string) => call(ctxIn('idle'), 'search_slots', search({ doctorId, date, time }));
    expect(codes(at('dr-ivan', '2026-11-24', '12:30'))).toEqual([{ path: 'time', code: 'outside_hours' }]);
    expect(codes(at('dr-dan', '2026-11-28', '10:00'))).toEqual([{ path: 'time', code: 'outside_hours' }]);
    expect(codes(at('dr-dan', '2026-11-24', '18:00'))).toEqual([{ path: 'time', code: 'outside_hours' }]);
    expect(at('dr-dan', '2026-11-24', '17:30').ok).toBe(true);
    expect(at('dr-ivan', '2026-11-28', '08:00').ok).toBe(true);
  });

  it('without a named doctor, any doctor who does the service on that weekday will do', () => {
    // Saturday: Dr. Dan is off, Dr. Ivan does fillings from 08:00.
    expect(call(ctxIn('idle'), 'search_slots', search({ date: '2026-11-28', time: '08:30' })).ok).toBe(true);
    expect(codes(call(ctxIn('idle'), 'search_slots', search({ serviceId: 'cleaning', date: '2026-11-28', time: '08:30' })))).toEqual([
      { path: 'time', code: 'outside_hours' },
    ]);
  });

  it('a day that is not on the calendar or not in YYYY-MM-DD is a schema error', () => {
    expect(codes(call(ctxIn('idle'), 'search_slots', search({ date: '2026-02-30' })))).toEqual([{ path: 'date', code: 'schema' }]);
    expect(codes(call(ctxIn('idle'), 'search_slots', search({ date: '24/11/2026' })))).toEqual([{ path: 'date', code: 'schema' }]);
    expect(codes(call(ctxIn('idle'), 'search_slots', search({ time: '25:00' })))).toEqual([{ path: 'time', code: 'schema' }]);
  });

  it('reports every problem of one call at once', () => {
    const result = call(ctxIn('idle'), 'search_slots', search({ serviceId: 'veneers', doctorId: 'dr-dan', date: '2026-11-20' }));
    expect(codes(result)).toEqual([
      { path: 'doctorId', code: 'mismatch' },
      { path: 'date', code: 'in_past' },
    ]);
  });
});

describe('arguments the model may not give and calls it may not make', () => {
  it('an extra patientId argument is refused by the schema', () => {
    const ctx = ctxIn('booking.choosingSlot', { serviceId: 'filling', offeredSlots: OFFERED });
    const result = call(ctx, 'book_slot', { slotId: OFFERED[0]?.id, patientId: '7d1e0c5a-2b3f-4a6d-9e8c-1f2a3b4c5d6e' });
    expect(codes(result)).toEqual([{ path: 'patientId', code: 'schema' }]);
    expect(codes(call(ctxIn('idle'), 'list_my_appointments', { patientId: 'p-1', clinicId: 'demo-dental' }))).toEqual([
      { path: 'patientId', code: 'schema' },
      { path: 'clinicId', code: 'schema' },
    ]);
  });

  it('missing or mistyped arguments are schema errors by path', () => {
    expect(codes(call(ctxIn('booking.confirming'), 'answer_confirmation', { answer: 'maybe' }))).toEqual([{ path: 'answer', code: 'schema' }]);
    expect(codes(call(ctxIn('idle'), 'service_info', {}))).toEqual([{ path: 'serviceId', code: 'schema' }]);
    expect(codes(call(ctxIn('idle'), 'service_info', { serviceId: 7 }))).toEqual([{ path: 'serviceId', code: 'schema' }]);
  });

  it('a search that names nothing cannot refine the booking under way', () => {
    const ctx = ctxIn('booking.awaitingDate', { serviceId: 'filling' });
    expect(codes(call(ctx, 'search_slots', search({ serviceId: null })))).toEqual([{ path: '', code: 'schema' }]);
  });

  it('a slot that has already started is in_past', () => {
    const ctx = ctxIn('booking.choosingSlot', { serviceId: 'filling', offeredSlots: OFFERED });
    const later = { ...ctx, now: new Date('2026-11-24T10:30:00.000Z') };
    expect(codes(call(later, 'book_slot', { slotId: OFFERED[0]?.id }))).toEqual([{ path: 'slotId', code: 'in_past' }]);
  });

  it('a tool outside its states is not_allowed_here, with the tools that are', () => {
    const result = call(ctxIn('idle'), 'book_slot', { slotId: OFFERED[0]?.id });
    expect(codes(result)).toEqual([{ path: '', code: 'not_allowed_here' }]);
    expect(ids(refusal(result).suggestions.tools)).toEqual([...toolsAllowedIn('idle')]);
    expect(codes(call(ctxIn('inquiry.answering'), 'answer_confirmation', { answer: 'yes' }))).toEqual([{ path: '', code: 'not_allowed_here' }]);
    expect(codes(call(ctxIn('booking.choosingSlot'), 'cancel_appointment', { appointmentId: FILLING.id }))).toEqual([
      { path: '', code: 'not_allowed_here' },
    ]);
    expect(codes(call(ctxIn('escalated.waitingForStaff'), 'escalate', { reason: 'emergency', kind: null }))).toEqual([
      { path: '', code: 'not_allowed_here' },
    ]);
    expect(codes(call(ctxIn('idle'), 'delete_all_appointments', {}))).toEqual([{ path: '', code: 'not_allowed_here' }]);
  });

  it('arguments that are not a JSON object are invalid_json, keeping the raw text', () => {
    const ctx = ctxIn('booking.choosingSlot', { serviceId: 'filling', offeredSlots: OFFERED });
    const broken = call(ctx, 'book_slot', '{"slotId": ');
    expect(codes(broken)).toEqual([{ path: '', code: 'invalid_json' }]);
    expect(refusal(broken).args).toBe('{"slotId": ');
    expect(ids(refusal(broken).suggestions.slotId)).toEqual(OFFERED.map((slot) => slot.id));
    expect(codes(call(ctx, 'book_slot', '["x"]'))).toEqual([{ path: '', code: 'invalid_json' }]);
    expect(codes(call(ctx, 'book_slot', 'null'))).toEqual([{ path: '', code: 'invalid_json' }]);
  });
});

describe('what the agent gets back', () => {
  it('a ToolValidationError naming the tool, the arguments and the issues', () => {
    const error = refusal(call(ctxIn('idle'), 'search_slots', search({ doctorId: 'test' })));
    expect(error).toBeInstanceOf(ToolValidationError);
    expect(error.code).toBe('tool_arguments_invalid');
    expect(error.tool).toBe('search_slots');
    expect(error.args).toEqual(search({ doctorId: 'test' }));
    expect(error.message).toBe('Tool search_slots refused: doctorId: placeholder');
  });

  it('feedback for the model is JSON with the issues and the suggestions', () => {
    const ctx = ctxIn('booking.choosingSlot', { serviceId: 'filling', offeredSlots: OFFERED });
    const feedback: unknown = JSON.parse(refusal(call(ctx, 'book_slot', { slotId: 'slot_9' })).toModelFeedback());
    expect(feedback).toEqual({
      error: 'invalid_arguments',
      tool: 'book_slot',
      issues: [{ path: 'slotId', code: 'placeholder', message: expect.stringContaining('placeholder') }],
      suggestions: { slotId: expect.arrayContaining([{ id: OFFERED[0]?.id, label: 'Tue 2026-11-24 10:00 Dr. Dan Cohen' }]) },
    });
  });
});

describe('counting refusals', () => {
  it('calls onRefused once per refused call and never for an accepted one', () => {
    const seen: string[] = [];
    const onRefused = (error: ToolValidationError) => seen.push(`${error.tool}:${error.issues.map((issue) => issue.code).join(',')}`);
    checkToolCall('search_slots', JSON.stringify(search({ doctorId: 'dr-house' })), ctxIn('idle'), { onRefused });
    checkToolCall('book_slot', '{}', ctxIn('idle'), { onRefused });
    checkToolCall('list_my_appointments', '{}', ctxIn('idle'), { onRefused });
    expect(seen).toEqual(['search_slots:unknown_id', 'book_slot:not_allowed_here']);
  });
});
