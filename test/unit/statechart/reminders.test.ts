/**
 * Reminders in the conversation chart: what a reminder does in each kind of state, how its
 * answers (1 confirm, 2 change, 3 cancel, or words) lead into the existing flows, and
 * "stop/start reminders".
 */
import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/core/messages.js';
import type { ConversationEvent } from '../../../statecharts/conversation.js';
import { FRIDAY, THREE_SLOTS, appointment, ev, scriptedMachine, startConversation, type Script } from './harness.js';

const keys = (replies: OutboundMessage[]) => replies.map((r) => r.key);
const REMINDED = appointment(1);

function stateOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const [key, child] = Object.entries(value as Record<string, unknown>)[0] ?? [];
  return key === undefined ? '' : `${key}.${stateOf(child)}`;
}

async function conversationAfter(events: ConversationEvent[], script: Partial<Script> = {}) {
  const scripted = scriptedMachine();
  Object.assign(scripted.script, script);
  const conversation = startConversation(scripted.machine);
  for (const event of events) await conversation.send(event);
  const state = () => stateOf(conversation.actor.getSnapshot().value);
  const context = () => conversation.actor.getSnapshot().context;
  return { ...conversation, ...scripted, state, context };
}

describe('a reminder arriving', () => {
  it.each([
    ['idle', []],
    ['inquiry.answering', [ev.askFilling]],
    ['reminded.answering (another reminder)', [{ type: 'REMINDER', appointment: appointment(2) } as const]],
  ])('in %s: asks 1/2/3 about the appointment and waits for the answer', async (_name, before: ConversationEvent[]) => {
    const c = await conversationAfter(before);
    const replies = await c.send(ev.reminder);
    expect(keys(replies)).toEqual(['reminder.prompt']);
    expect(replies[0]?.params).toEqual({ serviceId: REMINDED.serviceId, doctorId: REMINDED.doctorId, startsAt: REMINDED.startsAt });
    expect(replies[0]?.options?.map((o) => o.key)).toEqual(['reminder.option_confirm', 'reminder.option_change', 'reminder.option_cancel']);
    expect(c.state()).toBe('reminded.answering');
    expect(c.context().appointment).toEqual(REMINDED);
  });

  it.each([
    ['booking.choosingSlot', [ev.bookFilling]],
    ['booking.confirming', [ev.bookFilling, ev.choose1]],
    ['booking.cancelling.confirming', [ev.cancel]],
  ])('in the middle of a task (%s): information only, the task stays as it was', async (state, before: ConversationEvent[]) => {
    const c = await conversationAfter(before);
    const contextBefore = c.context();
    const replies = await c.send(ev.reminder);
    expect(keys(replies)).toEqual(['reminder.info']);
    expect(replies[0]?.options).toBeUndefined();
    expect(c.state()).toBe(state);
    expect(c.context()).toEqual(contextBefore);
  });

  it.each([
    ['escalated.waitingForStaff', [ev.human]],
    ['escalated.withStaff', [ev.human, ev.staffClaimed]],
  ])('while staff own the conversation (%s): information pointing to staff, nothing else changes', async (state, before: ConversationEvent[]) => {
    const c = await conversationAfter(before);
    const contextBefore = c.context();
    expect(keys(await c.send(ev.reminder))).toEqual(['reminder.info_staff']);
    expect(c.state()).toBe(state);
    expect(c.context()).toEqual(contextBefore);
  });
});

describe('answering a reminder', () => {
  it.each([
    ['1', ev.choose1],
    ['yes / confirm', ev.confirm],
  ])('%s confirms the appointment, then the conversation is idle', async (_name, answer) => {
    const c = await conversationAfter([ev.reminder]);
    const replies = await c.send(answer);
    expect(c.inputs.at(-1)).toEqual({ src: 'confirmAppointment', input: { appointmentId: REMINDED.id } });
    expect(keys(replies)).toEqual(['reminder.confirmed']);
    expect(c.state()).toBe('idle');
    expect(c.context().appointment).toBeNull();
  });

  it('confirming an appointment that is gone says so', async () => {
    const c = await conversationAfter([ev.reminder], { confirmAppointment: { status: 'gone' } });
    expect(keys(await c.send(ev.choose1))).toEqual(['appointments.gone']);
    expect(c.state()).toBe('idle');
  });

  it('2 moves this appointment through the reschedule flow, with its confirmation', async () => {
    const c = await conversationAfter([ev.reminder]);
    const offered = await c.send(ev.choose2);
    expect(c.inputs.at(-1)).toEqual({
      src: 'findSlots',
      input: { serviceId: REMINDED.serviceId, doctorId: REMINDED.doctorId, date: null, excludeAppointmentId: REMINDED.id },
    });
    expect(keys(offered)).toEqual(['reschedule.offer_slots']);
    expect(keys(await c.send(ev.choose2))).toEqual(['reschedule.confirm']);
    expect(c.state()).toBe('booking.confirming');
    expect(keys(await c.send(ev.confirm))).toEqual(['reschedule.done']);
    expect(c.inputs.at(-1)).toEqual({ src: 'rescheduleAppointment', input: { appointmentId: REMINDED.id, slot: THREE_SLOTS[1] } });
    expect(c.state()).toBe('idle');
  });

  it.each([
    ['"move it to Friday"', ev.rescheduleToFriday],
    ['"Friday"', ev.provideFriday],
  ])('%s moves this appointment, searching that day', async (_name, answer) => {
    const c = await conversationAfter([ev.reminder]);
    await c.send(answer);
    expect(c.inputs.at(-1)).toMatchObject({ src: 'findSlots', input: { serviceId: REMINDED.serviceId, date: FRIDAY, excludeAppointmentId: REMINDED.id } });
    expect(c.state()).toBe('booking.choosingSlot');
  });

  it.each([
    ['3', ev.choose3],
    ['"cancel"', ev.cancel],
  ])('%s asks to confirm cancelling this appointment; yes cancels it', async (_name, answer) => {
    const c = await conversationAfter([ev.reminder]);
    const asked = await c.send(answer);
    expect(keys(asked)).toEqual(['cancel.confirm']);
    expect(asked[0]?.params).toEqual({ serviceId: REMINDED.serviceId, doctorId: REMINDED.doctorId, startsAt: REMINDED.startsAt });
    expect(keys(await c.send(ev.confirm))).toEqual(['cancel.done']);
    expect(c.inputs.at(-1)).toEqual({ src: 'cancelAppointment', input: { appointmentId: REMINDED.id } });
  });

  it('3 then no keeps the appointment', async () => {
    const c = await conversationAfter([ev.reminder, ev.choose3]);
    expect(keys(await c.send(ev.deny))).toEqual(['cancel.kept']);
    expect(c.inputs.some((i) => i.src === 'cancelAppointment')).toBe(false);
  });

  it('cancelling another service than the reminded one goes through the usual choice', async () => {
    const c = await conversationAfter([ev.reminder]);
    await c.send(ev.cancelCleaning);
    expect(c.inputs.at(-1)?.src).toBe('listAppointments');
  });

  it('"no" asks whether to change or cancel, and keeps waiting', async () => {
    const c = await conversationAfter([ev.reminder]);
    expect(keys(await c.send(ev.deny))).toEqual(['reminder.change_or_cancel']);
    expect(c.state()).toBe('reminded.answering');
  });

  it('something it cannot use repeats the choices, and too many hand over to staff', async () => {
    const c = await conversationAfter([ev.reminder]);
    const first = await c.send(ev.unknown);
    expect(keys(first)).toEqual(['reminder.options']);
    expect(first[0]?.options).toHaveLength(3);
    expect(keys(await c.send(ev.choose9))).toEqual(['reminder.options']);
    await c.send(ev.unknown);
    expect(c.state()).toBe('escalated.waitingForStaff');
  });

  it('anything else goes on as a normal conversation: a question is answered', async () => {
    const c = await conversationAfter([ev.reminder]);
    expect(keys(await c.send(ev.askCleaning))).toEqual(['service.info']);
    expect(c.state()).toBe('inquiry.answering');
  });
});

describe('stop and start reminders', () => {
  it('"stop reminders" saves it and says so', async () => {
    const c = await conversationAfter([], { setReminders: { enabled: false } });
    expect(keys(await c.send(ev.stopReminders))).toEqual(['reminders.stopped']);
    expect(c.inputs.at(-1)).toEqual({ src: 'setReminders', input: { enabled: false } });
    expect(c.state()).toBe('idle');
  });

  it('"start reminders" saves it and says so', async () => {
    const c = await conversationAfter([], { setReminders: { enabled: true } });
    expect(keys(await c.send(ev.startReminders))).toEqual(['reminders.started']);
    expect(c.inputs.at(-1)).toEqual({ src: 'setReminders', input: { enabled: true } });
  });

  it('in the middle of a booking, the booking is kept as pending', async () => {
    const c = await conversationAfter([ev.bookFilling]);
    await c.send(ev.stopReminders);
    expect(c.context().pendingAction).toMatchObject({ kind: 'book', serviceId: 'filling' });
  });
});
