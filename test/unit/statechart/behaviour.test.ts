/**
 * Focused behaviour of the conversation chart, with its actor slots provided by the test
 * (`machine.provide()`), as the engine runs it: send an event, wait until nothing is busy.
 */
import { describe, expect, it } from 'vitest';
import type { Snapshot } from 'xstate';
import type { OutboundMessage } from '../../../src/core/messages.js';
import { initialContext, type ConversationEvent } from '../../../statecharts/conversation.js';
import {
  ALL_EVENTS,
  FRESH_SLOTS,
  FRIDAY,
  THREE_SLOTS,
  appointment,
  controlledActors,
  ev,
  scriptedMachine,
  settle,
  slot,
  startConversation,
  type Script,
} from './harness.js';

const keys = (replies: OutboundMessage[]) => replies.map((r) => r.key);

/** How to bring a fresh conversation to a given resting state. */
interface Setup {
  name: string;
  state: string;
  steps: Array<{ event: ConversationEvent; script?: Partial<Script> }>;
}

const TWO_APPOINTMENTS = { appointments: [appointment(1), appointment(2)] };

const RESTING_STATES: Setup[] = [
  { name: 'idle', state: 'idle', steps: [] },
  { name: 'inquiry.answering', state: 'inquiry.answering', steps: [{ event: ev.askFilling }] },
  { name: 'booking.collecting', state: 'booking.collecting', steps: [{ event: ev.bookSomething }] },
  {
    name: 'booking.awaitingDate',
    state: 'booking.awaitingDate',
    steps: [{ event: ev.bookFilling, script: { findSlots: { slots: [] } } }],
  },
  { name: 'booking.choosingSlot', state: 'booking.choosingSlot', steps: [{ event: ev.bookFilling }] },
  { name: 'booking.confirming', state: 'booking.confirming', steps: [{ event: ev.bookFilling }, { event: ev.choose1 }] },
  {
    name: 'booking.rescheduling.selecting',
    state: 'booking.rescheduling.selecting',
    steps: [{ event: ev.rescheduleToFriday, script: { listAppointments: TWO_APPOINTMENTS } }],
  },
  {
    name: 'booking.cancelling.selecting',
    state: 'booking.cancelling.selecting',
    steps: [{ event: ev.cancel, script: { listAppointments: TWO_APPOINTMENTS } }],
  },
  { name: 'booking.cancelling.confirming', state: 'booking.cancelling.confirming', steps: [{ event: ev.cancel }] },
  { name: 'reminded.answering', state: 'reminded.answering', steps: [{ event: ev.reminder }] },
  { name: 'escalated.waitingForStaff', state: 'escalated.waitingForStaff', steps: [{ event: ev.human }] },
  {
    name: 'escalated.withStaff',
    state: 'escalated.withStaff',
    steps: [{ event: ev.human }, { event: ev.staffClaimed }],
  },
];

function restingAt(state: string): Setup {
  const setup = RESTING_STATES.find((s) => s.state === state);
  if (!setup) throw new Error(`no setup reaches ${state}`);
  return setup;
}

/** A conversation brought to `setup.state` with scripted actors. */
async function reach(setup: Setup) {
  const { machine, script, inputs } = scriptedMachine();
  const conversation = startConversation(machine);
  for (const step of setup.steps) {
    Object.assign(script, step.script ?? {});
    await conversation.send(step.event);
  }
  expect(stateOf(conversation.actor.getSnapshot().value), `setting up ${setup.name}`).toBe(setup.state);
  return { ...conversation, script, inputs };
}

/** "booking.choosingSlot" from { booking: 'choosingSlot' }. */
function stateOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const [key, child] = Object.entries(value)[0] ?? [];
    if (key !== undefined) return `${key}.${stateOf(child)}`;
  }
  return '';
}

describe('emergency', () => {
  it.each(RESTING_STATES.filter((s) => !s.state.startsWith('escalated')))(
    'from $name: escalates urgently, instructions first',
    async (setup) => {
      const { actor, send, inputs } = await reach(setup);
      const replies = await send(ev.emergency);
      expect(keys(replies)).toEqual(['escalation.emergency', 'escalation.ack_urgent']);
      expect(replies[1]?.params).toEqual({ waitMinutes: 90 });
      const snapshot = actor.getSnapshot();
      expect(stateOf(snapshot.value)).toBe('escalated.waitingForStaff');
      expect(snapshot.context.escalation).toEqual({ urgency: 'urgent', reason: 'emergency:chest_pain' });
      expect(snapshot.context).toMatchObject({ serviceId: null, offeredSlots: [], chosenSlot: null, appointment: null, pendingAction: null });
      expect(inputs.at(-1)).toEqual({ src: 'escalate', input: { urgency: 'urgent', reason: 'emergency:chest_pain' } });
    },
  );

  it.each(RESTING_STATES.filter((s) => s.state.startsWith('escalated')))(
    'from $name (a non-urgent escalation): gives the instructions and raises it again as urgent',
    async (setup) => {
      const { actor, send } = await reach(setup);
      const replies = await send(ev.emergency);
      expect(keys(replies)).toEqual(['escalation.emergency', 'escalation.ack_urgent']);
      expect(actor.getSnapshot().context.escalation).toEqual({ urgency: 'urgent', reason: 'emergency:chest_pain' });
      expect(stateOf(actor.getSnapshot().value)).toBe('escalated.waitingForStaff');
    },
  );

  it('inside an urgent escalation: repeats the instructions only and stays put', async () => {
    const { actor, send } = await reach({ name: 'urgent', state: 'escalated.withStaff', steps: [{ event: ev.emergency }, { event: ev.staffClaimed }] });
    const before = actor.getSnapshot();
    const replies = await send(ev.emergency);
    expect(keys(replies)).toEqual(['escalation.emergency']);
    expect(actor.getSnapshot().value).toEqual(before.value);
    expect(actor.getSnapshot().context).toEqual(before.context);
  });

  it.each([
    { name: 'booking.searching', events: [ev.bookFilling] },
    { name: 'booking.saving', events: [ev.bookFilling], slots: true },
    { name: 'inquiry.listing', events: [ev.listAppointments] },
    { name: 'booking.rescheduling.loading', events: [ev.rescheduleToFriday] },
    { name: 'booking.cancelling.loading', events: [ev.cancel] },
  ])('interrupts $name while its actor is still running', async ({ events, slots }) => {
    const { machine, take, calls } = controlledActors();
    const { actor, replies } = startConversation(machine);
    for (const event of events) actor.send(event);
    if (slots) {
      take('findSlots')?.resolve({ slots: THREE_SLOTS });
      await settle(actor);
      actor.send(ev.choose1);
      actor.send(ev.confirm);
    }
    expect(actor.getSnapshot().hasTag('busy')).toBe(true);
    const before = replies.length;
    actor.send(ev.emergency);
    expect(keys(replies.slice(before))).toEqual(['escalation.emergency']);
    expect(stateOf(actor.getSnapshot().value)).toBe('escalated.raising');
    // The interrupted actor was stopped; only the escalation is running.
    expect(calls.map((c) => c.src)).toEqual(['escalate']);
  });
});

describe('asking for a human', () => {
  it('escalates with a medium urgency and acknowledges with the wait', async () => {
    const { actor, send, inputs } = await reach(restingAt('booking.confirming'));
    const replies = await send(ev.human);
    expect(replies).toEqual([{ key: 'escalation.ack', params: { waitMinutes: 90 } }]);
    expect(stateOf(actor.getSnapshot().value)).toBe('escalated.waitingForStaff');
    expect(actor.getSnapshot().context.escalation).toEqual({ urgency: 'medium', reason: 'patient_request' });
    expect(actor.getSnapshot().context.chosenSlot).toBeNull();
    expect(inputs.at(-1)).toEqual({ src: 'escalate', input: { urgency: 'medium', reason: 'patient_request' } });
  });
});

describe('language', () => {
  it.each(RESTING_STATES)('in $name the patient language is recorded silently and nothing else changes', async (setup) => {
    const { actor, send } = await reach(setup);
    const before = actor.getSnapshot();
    expect(await send(ev.languageRu)).toEqual([]);
    expect(actor.getSnapshot().value).toEqual(before.value);
    expect(actor.getSnapshot().context).toEqual({ ...before.context, locale: 'ru' });
  });
});

describe('while escalated', () => {
  // The language is still tracked while escalated (staff see it); everything else is ignored.
  // A reminder is not the patient's: it is sent as information (see reminders.test.ts).
  const SILENT = ALL_EVENTS.filter((e) => !['EMERGENCY', 'STAFF_CLAIMED', 'STAFF_RESOLVED', 'LANGUAGE', 'REMINDER'].includes(e.type));

  it.each(RESTING_STATES.filter((s) => s.state.startsWith('escalated')))(
    'in $name every other event changes nothing and says nothing',
    async (setup) => {
      const { actor, send } = await reach(setup);
      for (const event of SILENT) {
        const before = actor.getSnapshot();
        const replies = await send(event);
        const after = actor.getSnapshot();
        expect(replies, event.type).toEqual([]);
        expect(after.value, event.type).toEqual(before.value);
        expect(after.context, event.type).toEqual(before.context);
      }
    },
  );

  it('while the escalation is being raised, events wait silently and the acknowledgement still comes', async () => {
    const { machine, take } = controlledActors();
    const { actor, replies } = startConversation(machine);
    actor.send(ev.human);
    const before = actor.getSnapshot();
    for (const event of SILENT) actor.send(event);
    expect(replies).toEqual([]);
    expect(actor.getSnapshot().context).toEqual(before.context);
    expect(stateOf(actor.getSnapshot().value)).toBe('escalated.raising');
    take('escalate')?.resolve({ waitMinutes: 15 });
    await settle(actor);
    expect(keys(replies)).toEqual(['escalation.ack']);
    expect(stateOf(actor.getSnapshot().value)).toBe('escalated.waitingForStaff');
  });

  it('staff claim it, then resolve it back to the bot in idle with a clean slate', async () => {
    const { actor, send } = await reach(restingAt('escalated.waitingForStaff'));
    expect(await send(ev.staffClaimed)).toEqual([]);
    expect(stateOf(actor.getSnapshot().value)).toBe('escalated.withStaff');
    expect(await send(ev.staffResolved)).toEqual([]);
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context).toEqual(initialContext());
  });

  it('staff can resolve before claiming', async () => {
    const { actor, send } = await reach(restingAt('escalated.waitingForStaff'));
    await send(ev.staffResolved);
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context.escalation).toBeNull();
  });
});

describe('greeting', () => {
  it.each(RESTING_STATES.filter((s) => !s.state.startsWith('escalated')))('from $name: back to idle, task cleared', async (setup) => {
    const { actor, send } = await reach(setup);
    await send(ev.unknown);
    const replies = await send(ev.greeting);
    expect(keys(replies)).toEqual(['greeting']);
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context).toEqual(initialContext());
  });

  it('also drops a parked booking', async () => {
    const { actor, send } = await reach(restingAt('booking.confirming'));
    await send(ev.askCleaning);
    expect(actor.getSnapshot().context.pendingAction).not.toBeNull();
    await send(ev.greeting);
    expect(actor.getSnapshot().context).toEqual(initialContext());
  });
});

describe('repeated failures', () => {
  it.each([
    { from: 'idle', setup: restingAt('idle'), nudge: 'fallback.not_understood' },
    { from: 'booking.confirming', setup: restingAt('booking.confirming'), nudge: 'booking.yes_or_no' },
    { from: 'booking.cancelling.confirming', setup: restingAt('booking.cancelling.confirming'), nudge: 'booking.yes_or_no' },
  ])('three UNKNOWN in a row from $from escalate as bot_failed', async ({ setup, nudge }) => {
    const { actor, send, inputs } = await reach(setup);
    expect(keys(await send(ev.unknown))).toEqual([nudge]);
    expect(keys(await send(ev.unknown))).toEqual([nudge]);
    expect(actor.getSnapshot().context.consecutiveFailures).toBe(2);
    expect(stateOf(actor.getSnapshot().value)).toBe(setup.state);
    const replies = await send(ev.unknown);
    expect(keys(replies)).toEqual(['escalation.ack_failed']);
    expect(stateOf(actor.getSnapshot().value)).toBe('escalated.waitingForStaff');
    expect(actor.getSnapshot().context.escalation).toEqual({ urgency: 'low', reason: 'bot_failed' });
    expect(inputs.at(-1)).toEqual({ src: 'escalate', input: { urgency: 'low', reason: 'bot_failed' } });
  });

  it('an understood message in between starts the count again', async () => {
    const { actor, send } = await reach(restingAt('idle'));
    await send(ev.unknown);
    await send(ev.unknown);
    await send(ev.askFilling);
    expect(actor.getSnapshot().context.consecutiveFailures).toBe(0);
    await send(ev.unknown);
    await send(ev.unknown);
    expect(stateOf(actor.getSnapshot().value)).toBe('inquiry.answering');
  });
});

describe('booking', () => {
  it('happy path: offer the slots, confirm the chosen one, book it', async () => {
    const { actor, send, inputs } = await reach(restingAt('idle'));

    const offered = await send(ev.bookFilling);
    expect(offered).toHaveLength(1);
    expect(offered[0]).toMatchObject({ key: 'booking.offer_slots', params: { count: 3, serviceId: 'filling' } });
    expect(offered[0]?.options?.map((o) => o.id)).toEqual(THREE_SLOTS.map((s) => s.id));
    expect(offered[0]?.options?.[1]).toEqual({
      id: slot(2).id,
      key: 'booking.slot_option',
      params: { doctorId: 'dr-ana', startsAt: slot(2).startsAt },
    });
    expect(inputs).toEqual([{ src: 'findSlots', input: { serviceId: 'filling', doctorId: null, date: null, excludeAppointmentId: null } }]);
    expect(stateOf(actor.getSnapshot().value)).toBe('booking.choosingSlot');

    const confirm = await send(ev.choose2);
    expect(confirm).toEqual([
      { key: 'booking.confirm', params: { serviceId: 'filling', doctorId: 'dr-ana', startsAt: slot(2).startsAt } },
    ]);
    expect(actor.getSnapshot().context.chosenSlot).toEqual(slot(2));

    const booked = await send(ev.confirm);
    expect(booked).toEqual([
      { key: 'booking.booked', params: { serviceId: 'filling', doctorId: 'dr-ana', startsAt: slot(2).startsAt } },
    ]);
    expect(inputs.at(-1)).toEqual({ src: 'bookSlot', input: { slot: slot(2) } });
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context).toEqual(initialContext());
  });

  it('a slot taken meanwhile: the fresh slots are offered again, and one of them can be booked', async () => {
    const { actor, send, script } = await reach(restingAt('booking.confirming'));
    script.bookSlot = { status: 'taken', slots: FRESH_SLOTS };
    const taken = await send(ev.confirm);
    expect(taken).toHaveLength(1);
    expect(taken[0]).toMatchObject({ key: 'booking.slot_taken', params: { count: 2 } });
    expect(taken[0]?.options?.map((o) => o.id)).toEqual(FRESH_SLOTS.map((s) => s.id));
    expect(stateOf(actor.getSnapshot().value)).toBe('booking.choosingSlot');
    expect(actor.getSnapshot().context).toMatchObject({ offeredSlots: FRESH_SLOTS, chosenSlot: null });

    expect(keys(await send(ev.choose2))).toEqual(['booking.confirm']);
    expect(actor.getSnapshot().context.chosenSlot).toEqual(FRESH_SLOTS[1]);
    script.bookSlot = { status: 'saved' };
    expect(keys(await send(ev.confirm))).toEqual(['booking.booked']);
  });

  it('an option that is not on the list is refused and the list shown again', async () => {
    const { actor, send } = await reach(restingAt('booking.choosingSlot'));
    const replies = await send(ev.choose9);
    expect(replies[0]).toMatchObject({ key: 'booking.invalid_option', params: { count: 3 } });
    expect(replies[0]?.options).toHaveLength(3);
    expect(stateOf(actor.getSnapshot().value)).toBe('booking.choosingSlot');
    expect(actor.getSnapshot().context.consecutiveFailures).toBe(1);
  });

  it('a question about the service being booked is answered without leaving the booking', async () => {
    const { actor, send } = await reach(restingAt('booking.confirming'));
    const replies = await send(ev.askFilling);
    expect(replies).toEqual([{ key: 'service.facts', params: { serviceId: 'filling' } }]);
    expect(stateOf(actor.getSnapshot().value)).toBe('booking.confirming');
    expect(actor.getSnapshot().context.pendingAction).toBeNull();
  });

  it('a question about another service while confirming parks the booking and moves to inquiry; DROP_PENDING clears it', async () => {
    const { actor, send } = await reach(restingAt('booking.confirming'));
    const replies = await send(ev.askCleaning);
    expect(replies).toEqual([{ key: 'service.info', params: { serviceId: 'cleaning' } }]);
    expect(stateOf(actor.getSnapshot().value)).toBe('inquiry.answering');
    expect(actor.getSnapshot().context).toMatchObject({
      serviceId: 'cleaning',
      offeredSlots: [],
      chosenSlot: null,
      pendingAction: { kind: 'book', serviceId: 'filling', doctorId: null, slot: slot(1) },
    });

    const dropped = await send(ev.dropPending);
    expect(keys(dropped)).toEqual(['booking.dropped']);
    expect(actor.getSnapshot().value).toBe('idle');
    expect(actor.getSnapshot().context.pendingAction).toBeNull();
    expect(actor.getSnapshot().context).toEqual(initialContext());
  });

  it('no free slot: asks for another day, then searches that day', async () => {
    const { actor, send, script, inputs } = await reach(restingAt('idle'));
    script.findSlots = { slots: [] };
    expect(await send(ev.bookFilling)).toEqual([{ key: 'booking.no_slots', params: { serviceId: 'filling' } }]);
    expect(stateOf(actor.getSnapshot().value)).toBe('booking.awaitingDate');
    script.findSlots = { slots: THREE_SLOTS };
    expect(keys(await send(ev.provideFriday))).toEqual(['booking.offer_slots']);
    expect(inputs.at(-1)).toEqual({ src: 'findSlots', input: { serviceId: 'filling', doctorId: null, date: FRIDAY, excludeAppointmentId: null } });
  });

  it('reschedule: one appointment goes straight to the search, excluding itself, and is moved', async () => {
    const { actor, send, inputs } = await reach(restingAt('idle'));
    const offered = await send(ev.rescheduleToFriday);
    expect(keys(offered)).toEqual(['reschedule.offer_slots']);
    expect(inputs.at(-1)).toEqual({
      src: 'findSlots',
      input: { serviceId: 'filling', doctorId: 'dr-ana', date: FRIDAY, excludeAppointmentId: 'appt-1' },
    });
    expect(await send(ev.choose1)).toEqual([
      {
        key: 'reschedule.confirm',
        params: { serviceId: 'filling', doctorId: 'dr-ana', startsAt: slot(1).startsAt, fromStartsAt: appointment(1).startsAt },
      },
    ]);
    expect(keys(await send(ev.confirm))).toEqual(['reschedule.done']);
    expect(inputs.at(-1)).toEqual({ src: 'rescheduleAppointment', input: { appointmentId: 'appt-1', slot: slot(1) } });
    expect(actor.getSnapshot().context).toEqual(initialContext());
  });

  it('cancel: confirm before anything is written', async () => {
    const { actor, send, inputs } = await reach(restingAt('booking.cancelling.confirming'));
    expect(inputs.some((i) => i.src === 'cancelAppointment')).toBe(false);
    expect(keys(await send(ev.confirm))).toEqual(['cancel.done']);
    expect(inputs.at(-1)).toEqual({ src: 'cancelAppointment', input: { appointmentId: 'appt-1' } });
    expect(actor.getSnapshot().value).toBe('idle');
  });
});

describe('persistence: a JSON round trip of the persisted snapshot', () => {
  /** A long conversation through most of the chart; the script changes apply before the event. */
  const JOURNEY: Array<{ event: ConversationEvent; script?: Partial<Script> }> = [
    { event: ev.greeting },
    { event: ev.askFilling },
    { event: ev.confirm },
    { event: ev.choose9 },
    { event: ev.choose2 },
    { event: ev.askCleaning },
    { event: ev.bookFilling },
    { event: ev.choose1 },
    { event: ev.choose2 },
    { event: ev.confirm, script: { bookSlot: { status: 'taken', slots: FRESH_SLOTS } } },
    { event: ev.choose1 },
    { event: ev.confirm, script: { bookSlot: { status: 'saved' } } },
    { event: ev.rescheduleToFriday, script: { listAppointments: TWO_APPOINTMENTS } },
    { event: ev.choose2 },
    { event: ev.choose1 },
    { event: ev.confirm },
    { event: ev.bookSomething, script: { findSlots: { slots: [] } } },
    { event: ev.provideFilling },
    { event: ev.provideFriday, script: { findSlots: { slots: THREE_SLOTS } } },
    { event: ev.deny },
    { event: ev.cancel },
    { event: ev.choose9 },
    { event: ev.choose1 },
    { event: ev.unknown },
    { event: ev.confirm },
    { event: ev.listAppointments, script: { listAppointments: { appointments: [] } } },
    { event: ev.unknown },
    { event: ev.unknown },
    { event: ev.unknown },
    { event: ev.staffClaimed },
    { event: ev.emergency },
    { event: ev.thanks },
    { event: ev.staffResolved },
    { event: ev.human },
    { event: ev.staffResolved },
    { event: ev.thanks },
  ];

  it('restored at every step, the conversation continues exactly like the original', async () => {
    const { machine, script } = scriptedMachine();
    const original = startConversation(machine);
    const visited = new Set<string>();
    for (const [i, step] of JOURNEY.entries()) {
      const where = `before step ${i + 1} (${step.event.type})`;
      const persisted = JSON.parse(JSON.stringify(original.actor.getPersistedSnapshot())) as Snapshot<unknown>;
      const restored = startConversation(machine, { snapshot: persisted });
      expect(restored.actor.getSnapshot().value, where).toEqual(original.actor.getSnapshot().value);
      expect(restored.actor.getSnapshot().context, where).toEqual(original.actor.getSnapshot().context);

      Object.assign(script, step.script ?? {});
      const fromOriginal = await original.send(step.event);
      const fromRestored = await restored.send(step.event);
      restored.actor.stop();

      expect(fromRestored, where).toEqual(fromOriginal);
      expect(restored.actor.getSnapshot().value, where).toEqual(original.actor.getSnapshot().value);
      expect(restored.actor.getSnapshot().context, where).toEqual(original.actor.getSnapshot().context);
      visited.add(stateOf(original.actor.getSnapshot().value));
    }
    expect([...visited].sort()).toEqual(
      [
        'idle',
        'inquiry.answering',
        'inquiry.offeringBooking',
        'booking.collecting',
        'booking.awaitingDate',
        'booking.choosingSlot',
        'booking.confirming',
        'booking.rescheduling.selecting',
        'booking.cancelling.selecting',
        'booking.cancelling.confirming',
        'escalated.waitingForStaff',
        'escalated.withStaff',
      ].sort(),
    );
  });
});
