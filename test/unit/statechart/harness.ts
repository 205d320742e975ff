/**
 * Test doubles for the conversation chart's actor slots, provided with `machine.provide()`,
 * plus the fixtures (slots, appointments, events) the statechart tests share.
 */
import { createActor, fromPromise, waitFor, type Actor, type ActorOptions } from 'xstate';
import type { DateEntity } from '../../../src/core/nlu.js';
import type { OutboundMessage } from '../../../src/core/messages.js';
import type { Urgency } from '../../../src/core/ports/records.js';
import {
  conversationMachine,
  type AppointmentSummary,
  type CancelOutcome,
  type ConfirmOutcome,
  type ConversationEvent,
  type RemindersOutput,
  type EscalateOutput,
  type FindSlotsInput,
  type FindSlotsOutput,
  type SaveOutcome,
  type Slot,
} from '../../../statecharts/conversation.js';

// ---------------------------------------------------------------------------------------------
// Fixtures

export function slot(n: number, serviceId = 'filling'): Slot {
  const startsAt = `2031-03-${String(10 + n).padStart(2, '0')}T09:00:00.000Z`;
  return { id: `dr-ana@${startsAt}`, doctorId: 'dr-ana', serviceId, startsAt, endsAt: startsAt.replace('T09:00', 'T09:30') };
}

export const ONE_SLOT: Slot[] = [slot(1)];
export const THREE_SLOTS: Slot[] = [slot(1), slot(2), slot(3)];
/** What a `taken` outcome offers instead. */
export const FRESH_SLOTS: Slot[] = [slot(4), slot(5)];

export function appointment(n: number): AppointmentSummary {
  return { id: `appt-${n}`, doctorId: 'dr-ana', serviceId: n === 1 ? 'filling' : 'cleaning', startsAt: `2031-02-0${n}T10:00:00.000Z` };
}

export const FRIDAY: DateEntity = { start: '2031-03-14T00:00:00.000Z', hasTime: false };

export const ev = {
  greeting: { type: 'GREETING' },
  thanks: { type: 'THANKS' },
  human: { type: 'HUMAN' },
  dropPending: { type: 'DROP_PENDING' },
  listAppointments: { type: 'LIST_APPOINTMENTS' },
  cancel: { type: 'CANCEL' },
  confirm: { type: 'CONFIRM' },
  deny: { type: 'DENY' },
  unknown: { type: 'UNKNOWN' },
  staffClaimed: { type: 'STAFF_CLAIMED' },
  staffResolved: { type: 'STAFF_RESOLVED' },
  emergency: { type: 'EMERGENCY', kind: 'chest_pain' },
  askAnyService: { type: 'ASK_SERVICE', serviceId: null },
  askFilling: { type: 'ASK_SERVICE', serviceId: 'filling' },
  askCleaning: { type: 'ASK_SERVICE', serviceId: 'cleaning' },
  bookFilling: { type: 'BOOK', serviceId: 'filling', doctorId: null, date: null },
  bookSomething: { type: 'BOOK', serviceId: null, doctorId: null, date: null },
  rescheduleToFriday: { type: 'RESCHEDULE', date: FRIDAY },
  choose1: { type: 'CHOOSE', option: 1 },
  choose2: { type: 'CHOOSE', option: 2 },
  choose9: { type: 'CHOOSE', option: 9 },
  provideFilling: { type: 'PROVIDE', serviceId: 'filling', doctorId: null, date: null },
  provideFriday: { type: 'PROVIDE', serviceId: null, doctorId: null, date: FRIDAY },
  provideNothing: { type: 'PROVIDE', serviceId: null, doctorId: null, date: null },
  languageRu: { type: 'LANGUAGE', locale: 'ru' },
  choose3: { type: 'CHOOSE', option: 3 },
  cancelCleaning: { type: 'CANCEL', serviceId: 'cleaning' },
  reminder: { type: 'REMINDER', appointment: appointment(1) },
  stopReminders: { type: 'STOP_REMINDERS' },
  startReminders: { type: 'START_REMINDERS' },
} as const satisfies Record<string, ConversationEvent>;

/** Every user event the tests send, with representative payloads. */
export const ALL_EVENTS: readonly ConversationEvent[] = Object.values(ev);

// ---------------------------------------------------------------------------------------------
// Actor slots

export interface ActorIo {
  findSlots: { input: FindSlotsInput; output: FindSlotsOutput };
  bookSlot: { input: { slot: Slot }; output: SaveOutcome };
  rescheduleAppointment: { input: { appointmentId: string; slot: Slot }; output: SaveOutcome };
  cancelAppointment: { input: { appointmentId: string }; output: CancelOutcome };
  listAppointments: { input: Record<string, never>; output: { appointments: AppointmentSummary[] } };
  escalate: { input: { urgency: Urgency; reason: string }; output: EscalateOutput };
  confirmAppointment: { input: { appointmentId: string }; output: ConfirmOutcome };
  setReminders: { input: { enabled: boolean }; output: RemindersOutput };
}
export type ActorSrc = keyof ActorIo;
export const ACTOR_SRCS: readonly ActorSrc[] = [
  'findSlots',
  'bookSlot',
  'rescheduleAppointment',
  'cancelAppointment',
  'listAppointments',
  'escalate',
  'confirmAppointment',
  'setReminders',
];

/** An invocation waiting for the test to choose its output. */
export interface PendingCall {
  src: ActorSrc;
  input: unknown;
  resolve: (output: unknown) => void;
}

/**
 * Actor slots whose promises settle only when the test says so: each invocation is recorded
 * in `calls` until it is resolved or its actor is stopped (the state it belonged to was left).
 */
export function controlledActors() {
  const calls: PendingCall[] = [];
  const make = <K extends ActorSrc>(src: K) =>
    fromPromise<ActorIo[K]['output'], ActorIo[K]['input']>(
      ({ input, signal }) =>
        new Promise<ActorIo[K]['output']>((resolve) => {
          const call: PendingCall = { src, input, resolve: (output) => resolve(output as ActorIo[K]['output']) };
          calls.push(call);
          signal.addEventListener('abort', () => {
            const index = calls.indexOf(call);
            if (index !== -1) calls.splice(index, 1);
          });
        }),
    );
  const machine = conversationMachine.provide({
    actors: {
      findSlots: make('findSlots'),
      bookSlot: make('bookSlot'),
      rescheduleAppointment: make('rescheduleAppointment'),
      cancelAppointment: make('cancelAppointment'),
      listAppointments: make('listAppointments'),
      escalate: make('escalate'),
      confirmAppointment: make('confirmAppointment'),
      setReminders: make('setReminders'),
    },
  });
  /** Takes the live invocation of `src` (there is at most one at a time in this chart). */
  const take = (src: ActorSrc): PendingCall | undefined => {
    const index = calls.findIndex((call) => call.src === src);
    return index === -1 ? undefined : calls.splice(index, 1)[0];
  };
  return { machine, calls, take };
}

/** What the scripted actor slots answer; tests change it between events. */
export interface Script {
  findSlots: FindSlotsOutput;
  bookSlot: SaveOutcome;
  rescheduleAppointment: SaveOutcome;
  cancelAppointment: CancelOutcome;
  listAppointments: { appointments: AppointmentSummary[] };
  escalate: EscalateOutput;
  confirmAppointment: ConfirmOutcome;
  setReminders: RemindersOutput;
}

export function defaultScript(): Script {
  return {
    findSlots: { slots: THREE_SLOTS },
    bookSlot: { status: 'saved' },
    rescheduleAppointment: { status: 'saved' },
    cancelAppointment: { status: 'cancelled' },
    listAppointments: { appointments: [appointment(1)] },
    escalate: { waitMinutes: 90 },
    confirmAppointment: { status: 'confirmed' },
    setReminders: { enabled: false },
  };
}

/** The chart with actor slots that resolve at once with what `script` says, recording their inputs. */
export function scriptedMachine(script: Script = defaultScript()) {
  const inputs: Array<{ src: ActorSrc; input: unknown }> = [];
  const make = <K extends ActorSrc>(src: K) =>
    fromPromise<ActorIo[K]['output'], ActorIo[K]['input']>(async ({ input }) => {
      inputs.push({ src, input });
      return structuredClone(script[src]);
    });
  const machine = conversationMachine.provide({
    actors: {
      findSlots: make('findSlots'),
      bookSlot: make('bookSlot'),
      rescheduleAppointment: make('rescheduleAppointment'),
      cancelAppointment: make('cancelAppointment'),
      listAppointments: make('listAppointments'),
      escalate: make('escalate'),
      confirmAppointment: make('confirmAppointment'),
      setReminders: make('setReminders'),
    },
  });
  return { machine, script, inputs };
}

export type ScriptedMachine = ReturnType<typeof scriptedMachine>['machine'];
export type ConversationTestActor = Actor<ScriptedMachine>;

/** Waits until no actor slot is running (what the engine does after every event). */
export async function settle(actor: ConversationTestActor): Promise<void> {
  await waitFor(actor, (s) => s.status !== 'active' || !s.hasTag('busy'), { timeout: 2_000 });
}

/** A started actor that records every emitted reply. */
export function startConversation(machine: ScriptedMachine, options: ActorOptions<ScriptedMachine> = {}) {
  const actor = createActor(machine, options);
  const replies: OutboundMessage[] = [];
  actor.on('reply', (event) => replies.push(event.message));
  actor.start();
  /** Sends one event, waits for the actors, and returns the replies it produced. */
  const send = async (event: ConversationEvent): Promise<OutboundMessage[]> => {
    const before = replies.length;
    actor.send(event);
    await settle(actor);
    return replies.slice(before);
  };
  return { actor, replies, send };
}
