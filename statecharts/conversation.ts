/**
 * The conversation statechart: one machine per conversation.
 *
 * Pure: it imports xstate, types and the pure urgency table only. What talks to the outside world (slot search,
 * booking, escalation) is a named actor slot that src/conversation/ provides. Replies leave
 * the machine as emitted `reply` events carrying a locale key and parameters; rendering is
 * i18n's job. Inactivity is judged outside the machine on load (persisted `after` timers do
 * not survive a restore).
 */
import { assign, emit, enqueueActions, fromPromise, not, setup, type ActorRefFrom } from 'xstate';
import type { DateEntity } from '../src/core/nlu.js';
import type { OutboundMessage } from '../src/core/messages.js';
import type { Urgency } from '../src/core/ports/records.js';
import type { Locale } from '../src/core/locale.js';
import { emergencyUrgency, isMoreUrgent, urgencyOf } from './urgency.js';

/** Bump when a persisted snapshot of the previous version can no longer be restored. */
export const CONVERSATION_MACHINE_VERSION = 1;

/** After this many messages in a row that the bot cannot handle, staff take over. */
export const MAX_CONSECUTIVE_FAILURES = 3;

export interface Slot {
  /** Stable id of an offered slot: doctor and start time; validated against offers. */
  id: string;
  doctorId: string;
  serviceId: string;
  startsAt: string;
  endsAt: string;
  /** Clinic-local start, "2026-12-08T10:30", so "the 10:30 one" can be matched without the time zone. */
  local?: string;
}

export interface AppointmentSummary {
  id: string;
  doctorId: string;
  serviceId: string;
  startsAt: string;
}

/** What the patient was about to do; kept out of replies unless the next message is about it. */
export interface PendingAction {
  kind: 'book' | 'reschedule' | 'cancel';
  serviceId: string | null;
  doctorId: string | null;
  slot: Slot | null;
}

export interface ConversationContext {
  serviceId: string | null;
  doctorId: string | null;
  requestedDate: DateEntity | null;
  offeredSlots: Slot[];
  chosenSlot: Slot | null;
  /** The appointment being rescheduled or cancelled. */
  appointment: AppointmentSummary | null;
  /** Appointments offered for the patient to pick which one to change. */
  appointmentChoices: AppointmentSummary[];
  missing: ('service' | 'date')[];
  pendingAction: PendingAction | null;
  consecutiveFailures: number;
  escalation: { urgency: Urgency; reason: string } | null;
  /** The language the patient is being answered in (chosen by the pipeline each turn). */
  locale: Locale | null;
}

export type ConversationEvent =
  | { type: 'GREETING' }
  | { type: 'ASK_SERVICE'; serviceId: string | null }
  | { type: 'BOOK'; serviceId: string | null; doctorId: string | null; date: DateEntity | null }
  /** serviceId narrows which appointment: "move my filling to Friday". */
  | { type: 'RESCHEDULE'; date: DateEntity | null; serviceId?: string | null }
  | { type: 'CANCEL'; serviceId?: string | null }
  | { type: 'LIST_APPOINTMENTS' }
  | { type: 'CONFIRM' }
  | { type: 'DENY' }
  /** The patient said the pending action is no longer wanted ("I don't need Dan for a filling"). */
  | { type: 'DROP_PENDING' }
  | { type: 'CHOOSE'; option: number }
  /** Details without a clear intent: "tomorrow at 10", "with Dr. Ana". */
  | { type: 'PROVIDE'; serviceId: string | null; doctorId: string | null; date: DateEntity | null }
  | { type: 'HUMAN' }
  | { type: 'EMERGENCY'; kind: string }
  | { type: 'THANKS' }
  | { type: 'UNKNOWN' }
  | { type: 'STAFF_CLAIMED' }
  | { type: 'STAFF_RESOLVED' }
  /** A reminder of this appointment falls due: a system event, not the patient's (see `reminded`). */
  | { type: 'REMINDER'; appointment: AppointmentSummary }
  /** "Stop reminders" / "start reminders". */
  | { type: 'STOP_REMINDERS' }
  | { type: 'START_REMINDERS' }
  /** The patient's language changed (first message, or they switched); no reply of its own. */
  | { type: 'LANGUAGE'; locale: Locale };

export type ReplyEvent = { type: 'reply'; message: OutboundMessage };

export interface FindSlotsInput {
  serviceId: string;
  doctorId: string | null;
  date: DateEntity | null;
  /** Ignored as busy when rescheduling it. */
  excludeAppointmentId: string | null;
}
/** `nearest`: the requested day was full and these are the nearest free times after it. */
export type FindSlotsOutput = { slots: Slot[]; nearest?: boolean };
export type SaveOutcome = { status: 'saved' } | { status: 'taken'; slots: Slot[] } | { status: 'gone' };
export type CancelOutcome = { status: 'cancelled' } | { status: 'gone' };
export type ConfirmOutcome = { status: 'confirmed' } | { status: 'gone' };
export type RemindersOutput = { enabled: boolean };
export type EscalateOutput = { waitMinutes: number };

/** Placeholders for the actor slots; src/conversation/ provides the real ones with `.provide()`. */
const unprovided = (name: string) =>
  async (): Promise<never> => {
    throw new Error(`actor "${name}" was not provided`);
  };

const EMPTY_TASK = {
  serviceId: null,
  doctorId: null,
  requestedDate: null,
  offeredSlots: [],
  chosenSlot: null,
  appointment: null,
  appointmentChoices: [],
  missing: [],
} satisfies Partial<ConversationContext>;

export function initialContext(): ConversationContext {
  return { ...EMPTY_TASK, pendingAction: null, consecutiveFailures: 0, escalation: null, locale: null };
}

const reply = (key: string, params?: OutboundMessage['params'], options?: OutboundMessage['options']): ReplyEvent => ({
  type: 'reply',
  message: { key, ...(params ? { params } : {}), ...(options ? { options } : {}) },
});

const appointmentLines = (appointments: AppointmentSummary[]): OutboundMessage['lines'] =>
  appointments.map((a) => ({ key: 'appointments.item', params: { serviceId: a.serviceId, doctorId: a.doctorId, startsAt: a.startsAt } }));

const slotOptions = (slots: Slot[]): OutboundMessage['options'] =>
  slots.map((slot) => ({ id: slot.id, key: 'booking.slot_option', params: { doctorId: slot.doctorId, startsAt: slot.startsAt } }));

const appointmentOptions = (appointments: AppointmentSummary[]): OutboundMessage['options'] =>
  appointments.map((a) => ({
    id: a.id,
    key: 'appointments.item',
    params: { serviceId: a.serviceId, doctorId: a.doctorId, startsAt: a.startsAt },
  }));

/** A reminder's answers, always in this order so "1", "2" and "3" mean the same everywhere. */
const REMINDER_OPTIONS: OutboundMessage['options'] = [
  { id: 'reminder-confirm', key: 'reminder.option_confirm' },
  { id: 'reminder-change', key: 'reminder.option_change' },
  { id: 'reminder-cancel', key: 'reminder.option_cancel' },
];

/** The appointment a reminder is about, as reply parameters. */
const appointmentParams = (appointment: AppointmentSummary | null): OutboundMessage['params'] =>
  appointment ? { serviceId: appointment.serviceId, doctorId: appointment.doctorId, startsAt: appointment.startsAt } : {};

type Ctx = { context: ConversationContext };

/** The outcome in a bookSlot / rescheduleAppointment result event (null for any other event). */
function saveOutcome(event: { type: string }): SaveOutcome | null {
  if (!('output' in event) || typeof event.output !== 'object' || event.output === null || !('status' in event.output)) return null;
  return event.output as SaveOutcome;
}

function freshSlots(event: { type: string }): Slot[] {
  const outcome = saveOutcome(event);
  return outcome?.status === 'taken' ? outcome.slots : [];
}

/** The appointments in a listAppointments result event (none for any other event). */
function listedAppointments(event: { type: string }): AppointmentSummary[] {
  if (!('output' in event) || typeof event.output !== 'object' || event.output === null) return [];
  const { appointments } = event.output as { appointments?: AppointmentSummary[] };
  return Array.isArray(appointments) ? appointments : [];
}

/** The appointments the patient pointed at ("cancel my filling"), or all of them when none match. */
function matchingAppointments(context: ConversationContext, appointments: AppointmentSummary[]): AppointmentSummary[] {
  const named = context.serviceId ? appointments.filter((a) => a.serviceId === context.serviceId) : [];
  return named.length > 0 ? named : appointments;
}

/** A message the state cannot use: re-prompt, and after too many in a row hand over to staff. */
function failure<const A extends string>(replyAction: A) {
  return [
    { guard: 'tooManyFailures', target: '#conversation.escalated', actions: ['clearTask', 'clearPending', 'markBotFailure'] },
    { actions: ['countFailure', replyAction] },
  ] as const;
}

/**
 * `loading` → `selecting` substates that find which of the patient's appointments to change:
 * none → offer a booking; one (or one matching "my filling") → straight to `next`; several → a menu.
 */
function pickAnAppointment<const Next extends string, const Key extends string>(next: Next, chooseKey: Key) {
  return {
    loading: {
      tags: ['busy'],
      invoke: {
        src: 'listAppointments',
        input: () => ({}),
        onDone: [
          { guard: 'hasNoAppointments', target: '#conversation.inquiry.offeringBooking', actions: ['replyNoAppointments', 'clearTask'] },
          { guard: 'hasOneMatchingAppointment', target: next, actions: 'takeOnlyAppointment' },
          { target: 'selecting', actions: { type: 'offerAppointmentChoices', params: { key: chooseKey } } },
        ],
      },
    },
    selecting: {
      on: {
        CHOOSE: [
          { guard: 'isValidAppointmentOption', target: next, actions: ['chooseAppointment', 'resetFailures'] },
          ...failure('replyInvalidAppointmentOption'),
        ],
        DENY: { target: '#conversation.idle', actions: ['clearTask', 'resetFailures', 'replyKept'] },
      },
    },
  } as const;
}

/** Patient events that mean nothing while staff own the conversation. */
const SILENT_WHILE_ESCALATED = [
  'GREETING', 'ASK_SERVICE', 'BOOK', 'RESCHEDULE', 'CANCEL', 'LIST_APPOINTMENTS', 'CONFIRM', 'DENY',
  'DROP_PENDING', 'CHOOSE', 'PROVIDE', 'HUMAN', 'THANKS', 'UNKNOWN', 'STOP_REMINDERS', 'START_REMINDERS',
] as const;

/** The reminder's answer "n" (1 confirm, 2 change, 3 cancel). */
const choseReminderOption =
  (option: number) =>
  ({ event }: { event: ConversationEvent }): boolean =>
    event.type === 'CHOOSE' && event.option === option;

export const conversationMachine = setup({
  types: {
    context: {} as ConversationContext,
    events: {} as ConversationEvent,
    emitted: {} as ReplyEvent,
  },
  actors: {
    findSlots: fromPromise<FindSlotsOutput, FindSlotsInput>(unprovided('findSlots')),
    bookSlot: fromPromise<SaveOutcome, { slot: Slot }>(unprovided('bookSlot')),
    rescheduleAppointment: fromPromise<SaveOutcome, { appointmentId: string; slot: Slot }>(
      unprovided('rescheduleAppointment'),
    ),
    cancelAppointment: fromPromise<CancelOutcome, { appointmentId: string }>(unprovided('cancelAppointment')),
    confirmAppointment: fromPromise<ConfirmOutcome, { appointmentId: string }>(unprovided('confirmAppointment')),
    setReminders: fromPromise<RemindersOutput, { enabled: boolean }>(unprovided('setReminders')),
    listAppointments: fromPromise<{ appointments: AppointmentSummary[] }, Record<string, never>>(
      unprovided('listAppointments'),
    ),
    escalate: fromPromise<EscalateOutput, { urgency: Urgency; reason: string }>(unprovided('escalate')),
  },
  guards: {
    hasService: ({ context }: Ctx) => context.serviceId !== null,
    isValidSlotOption: ({ context, event }) =>
      event.type === 'CHOOSE' && Number.isInteger(event.option) && event.option >= 1 && event.option <= context.offeredSlots.length,
    isValidAppointmentOption: ({ context, event }) =>
      event.type === 'CHOOSE' &&
      Number.isInteger(event.option) &&
      event.option >= 1 &&
      event.option <= context.appointmentChoices.length,
    namesService: ({ event }) => 'serviceId' in event && event.serviceId !== null,
    namesDetails: ({ event }) =>
      event.type === 'PROVIDE' && (event.serviceId !== null || event.doctorId !== null || event.date !== null),
    isAboutCurrentService: ({ context, event }) =>
      event.type === 'ASK_SERVICE' && (event.serviceId === null || event.serviceId === context.serviceId),
    tooManyFailures: ({ context }) => context.consecutiveFailures + 1 >= MAX_CONSECUTIVE_FAILURES,
    isRescheduling: ({ context }) => context.appointment !== null,
    /** The open escalation is already at least as urgent as the emergency just reported. */
    coversEmergency: ({ context, event }) =>
      event.type === 'EMERGENCY' && !isMoreUrgent(emergencyUrgency(event.kind), context.escalation?.urgency ?? null),
    wasSaved: ({ event }) => saveOutcome(event)?.status === 'saved',
    appointmentWasGone: ({ event }) => saveOutcome(event)?.status === 'gone',
    lostSlotWithAlternatives: ({ event }) => freshSlots(event).length > 0,
    hasNoAppointments: ({ event }) => listedAppointments(event).length === 0,
    hasOneMatchingAppointment: ({ context, event }) => matchingAppointments(context, listedAppointments(event)).length === 1,
    choseConfirm: choseReminderOption(1),
    choseChange: choseReminderOption(2),
    choseCancel: choseReminderOption(3),
    /** "Move it" / "cancel it" after a reminder means the reminded appointment, unless another service is named. */
    isAboutRemindedAppointment: ({ context, event }) =>
      (event.type === 'RESCHEDULE' || event.type === 'CANCEL') &&
      context.appointment !== null &&
      (event.serviceId === undefined || event.serviceId === null || event.serviceId === context.appointment.serviceId),
    namesDate: ({ event }) => event.type === 'PROVIDE' && event.date !== null,
    wasConfirmed: ({ event }) => 'output' in event && typeof event.output === 'object' && event.output !== null && 'status' in event.output && event.output.status === 'confirmed',
  },
  actions: {
    clearTask: assign(() => ({ ...EMPTY_TASK })),
    clearPending: assign({ pendingAction: null }),
    resetFailures: assign({ consecutiveFailures: 0 }),
    countFailure: assign({ consecutiveFailures: ({ context }) => context.consecutiveFailures + 1 }),
    /** The booking being left for another topic stays pending, out of the replies. */
    parkBookingAsPending: assign({
      pendingAction: ({ context }) =>
        context.serviceId === null
          ? context.pendingAction
          : {
              kind: context.appointment ? ('reschedule' as const) : ('book' as const),
              serviceId: context.serviceId,
              doctorId: context.doctorId,
              slot: context.chosenSlot,
            },
    }),
    /** The latest request wins: a new service replaces the old task; new details refine it. */
    takeRequestDetails: assign(({ context, event }) => {
      if (event.type !== 'BOOK' && event.type !== 'PROVIDE') return {};
      const serviceChanged = event.serviceId !== null && event.serviceId !== context.serviceId;
      const serviceId = event.serviceId ?? context.serviceId;
      return {
        serviceId,
        missing: serviceId === null ? ['service' as const] : [],
        doctorId: event.doctorId ?? (serviceChanged ? null : context.doctorId),
        requestedDate: event.date ?? (serviceChanged ? null : context.requestedDate),
        // Another service is a new booking, not the appointment being moved.
        appointment: serviceChanged ? null : context.appointment,
        offeredSlots: [],
        chosenSlot: null,
      };
    }),
    /** A new question starts a new task; "and how long does it take?" stays on the service just discussed. */
    startInquiry: assign(({ context, event }) => ({
      ...EMPTY_TASK,
      serviceId: event.type === 'ASK_SERVICE' ? (event.serviceId ?? context.serviceId) : context.serviceId,
    })),
    takeRescheduleDate: assign({
      requestedDate: ({ event }) => (event.type === 'RESCHEDULE' ? event.date : null),
    }),
    takeAppointmentHint: assign({
      serviceId: ({ event }) => (event.type === 'RESCHEDULE' || event.type === 'CANCEL' ? (event.serviceId ?? null) : null),
    }),
    chooseSlot: assign({
      chosenSlot: ({ context, event }) => (event.type === 'CHOOSE' ? (context.offeredSlots[event.option - 1] ?? null) : null),
    }),
    chooseAppointment: assign(({ context, event }) => {
      const chosen = event.type === 'CHOOSE' ? (context.appointmentChoices[event.option - 1] ?? null) : null;
      return {
        appointment: chosen,
        serviceId: chosen?.serviceId ?? null,
        doctorId: chosen?.doctorId ?? null,
        appointmentChoices: [],
      };
    }),
    markEmergency: assign({
      escalation: ({ event }) => {
        const kind = event.type === 'EMERGENCY' ? event.kind : 'unspecified';
        return { urgency: urgencyOf({ type: 'emergency', kind }), reason: `emergency:${kind}` };
      },
    }),
    markHumanRequest: assign({ escalation: { urgency: urgencyOf({ type: 'patient_request' }), reason: 'patient_request' } }),
    markBotFailure: assign({ escalation: { urgency: urgencyOf({ type: 'bot_failed' }), reason: 'bot_failed' } }),
    /** Someone else took the chosen time: these are the times offered instead. */
    offerFreshSlots: assign(({ event }) => ({ offeredSlots: freshSlots(event), chosenSlot: null })),
    dropOffer: assign({ offeredSlots: [], chosenSlot: null }),
    takeOnlyAppointment: assign(({ context, event }) => {
      const only = matchingAppointments(context, listedAppointments(event))[0] ?? null;
      return { appointment: only, serviceId: only?.serviceId ?? null, doctorId: only?.doctorId ?? null };
    }),
    offerAppointmentChoices: enqueueActions(({ context, event, enqueue }, params: { key: string }) => {
      const choices = matchingAppointments(context, listedAppointments(event));
      enqueue.assign({ appointmentChoices: choices });
      enqueue.emit(reply(params.key, { count: choices.length }, appointmentOptions(choices)));
    }),
    takeRemindedAppointment: assign(({ event }) => ({ appointment: event.type === 'REMINDER' ? event.appointment : null })),
    /** Changing the reminded appointment: the reschedule flow, with this appointment already picked. */
    startRemindedReschedule: assign(({ context }) => ({
      ...EMPTY_TASK,
      appointment: context.appointment,
      serviceId: context.appointment?.serviceId ?? null,
      doctorId: context.appointment?.doctorId ?? null,
    })),
    markStaffTakeover: assign({ escalation: { urgency: urgencyOf({ type: 'staff_takeover' }), reason: 'staff_takeover' } }),
    clearEscalation: assign({ escalation: null, consecutiveFailures: 0 }),

    replyGreeting: emit(reply('greeting')),
    replyBye: emit(reply('thanks.bye')),
    replyNotUnderstood: emit(reply('fallback.not_understood')),
    replyServiceInfo: emit(({ context, event }) => {
      const serviceId = event.type === 'ASK_SERVICE' ? (event.serviceId ?? context.serviceId) : context.serviceId;
      return serviceId ? reply('service.info', { serviceId }) : reply('service.list');
    }),
    /** The facts only: in the middle of a booking the patient is already booking it. */
    replyServiceFacts: emit(({ context }) => (context.serviceId ? reply('service.facts', { serviceId: context.serviceId }) : reply('service.list'))),
    replyAskService: emit(reply('booking.ask_service')),
    askServiceIfMissing: enqueueActions(({ context, enqueue }) => {
      if (context.serviceId !== null) return;
      enqueue.assign({ missing: ['service'] });
      enqueue.emit(reply('booking.ask_service'));
    }),
    replyAnythingElse: emit(reply('general.anything_else')),
    replyOfferSlots: emit(({ context }) =>
      reply(
        context.appointment ? 'reschedule.offer_slots' : 'booking.offer_slots',
        { count: context.offeredSlots.length, serviceId: context.serviceId ?? '' },
        slotOptions(context.offeredSlots),
      ),
    ),
    replyOfferNearest: emit(({ context }) =>
      reply(
        'booking.offer_nearest',
        { count: context.offeredSlots.length, serviceId: context.serviceId ?? '', day: context.requestedDate?.start ?? '' },
        slotOptions(context.offeredSlots),
      ),
    ),
    replyNoSlots: emit(({ context }) =>
      context.requestedDate
        ? reply('booking.no_slots_on_day', { serviceId: context.serviceId ?? '', day: context.requestedDate.start })
        : reply('booking.no_slots', { serviceId: context.serviceId ?? '' }),
    ),
    replyInvalidSlotOption: emit(({ context }) =>
      reply('booking.invalid_option', { count: context.offeredSlots.length }, slotOptions(context.offeredSlots)),
    ),
    replyInvalidAppointmentOption: emit(({ context }) =>
      reply('booking.invalid_option', { count: context.appointmentChoices.length }, appointmentOptions(context.appointmentChoices)),
    ),
    replyConfirmSlot: emit(({ context }) => {
      const slot = context.chosenSlot;
      if (!slot) return reply('fallback.not_understood');
      const params = { serviceId: slot.serviceId, doctorId: slot.doctorId, startsAt: slot.startsAt };
      return context.appointment
        ? reply('reschedule.confirm', { ...params, fromStartsAt: context.appointment.startsAt })
        : reply('booking.confirm', params);
    }),
    replyAskYesNo: emit(reply('booking.yes_or_no')),
    replyNotBooked: emit(({ context }) => reply(context.appointment ? 'cancel.kept' : 'booking.not_confirmed')),
    replyBooked: emit(({ context }) => {
      const slot = context.chosenSlot;
      const params = slot ? { serviceId: slot.serviceId, doctorId: slot.doctorId, startsAt: slot.startsAt } : undefined;
      return reply(context.appointment ? 'reschedule.done' : 'booking.booked', params);
    }),
    replySlotTaken: emit(({ context }) =>
      context.offeredSlots.length > 0
        ? reply('booking.slot_taken', { count: context.offeredSlots.length }, slotOptions(context.offeredSlots))
        : reply('booking.slot_taken_none'),
    ),
    replyAppointmentGone: emit(reply('appointments.gone')),
    replyNoAppointments: emit(reply('appointments.none')),
    replyConfirmCancel: emit(({ context }) =>
      context.appointment
        ? reply('cancel.confirm', {
            serviceId: context.appointment.serviceId,
            doctorId: context.appointment.doctorId,
            startsAt: context.appointment.startsAt,
          })
        : reply('fallback.not_understood'),
    ),
    replyCancelled: emit(({ context }) =>
      reply('cancel.done', context.appointment ? { serviceId: context.appointment.serviceId, startsAt: context.appointment.startsAt } : undefined),
    ),
    replyKept: emit(reply('cancel.kept')),
    replyReminder: emit(({ event }) =>
      reply('reminder.prompt', appointmentParams(event.type === 'REMINDER' ? event.appointment : null), REMINDER_OPTIONS),
    ),
    /** In the middle of a task: the reminder as information, the task left as it was. */
    replyReminderInfo: emit(({ event }) => reply('reminder.info', appointmentParams(event.type === 'REMINDER' ? event.appointment : null))),
    /** Staff have the conversation: the reminder as information, pointing to them. */
    replyReminderInfoStaff: emit(({ event }) =>
      reply('reminder.info_staff', appointmentParams(event.type === 'REMINDER' ? event.appointment : null)),
    ),
    replyReminderOptions: emit(({ context }) => reply('reminder.options', appointmentParams(context.appointment), REMINDER_OPTIONS)),
    replyChangeOrCancel: emit(({ context }) => reply('reminder.change_or_cancel', appointmentParams(context.appointment))),
    replyAttendanceConfirmed: emit(({ context }) => reply('reminder.confirmed', appointmentParams(context.appointment))),
    replyReminders: emit(({ event }) =>
      reply('output' in event && typeof event.output === 'object' && event.output !== null && 'enabled' in event.output && event.output.enabled ? 'reminders.started' : 'reminders.stopped'),
    ),
    replyDropped: emit(reply('booking.dropped')),
    /** Life-threatening: the emergency number at once. Serious: urgent care, the number if it gets worse. */
    replyEmergencyInstructions: emit(({ event }) =>
      reply(event.type === 'EMERGENCY' && emergencyUrgency(event.kind) === 'high' ? 'escalation.urgent_care' : 'escalation.emergency'),
    ),
  },
}).createMachine({
  id: 'conversation',
  context: initialContext,
  initial: 'idle',
  on: {
    EMERGENCY: { target: '.escalated', actions: ['clearTask', 'clearPending', 'markEmergency', 'replyEmergencyInstructions'] },
    HUMAN: { target: '.escalated', actions: ['clearTask', 'clearPending', 'markHumanRequest'] },
    GREETING: { target: '.idle', actions: ['clearTask', 'clearPending', 'resetFailures', 'replyGreeting'] },
    LANGUAGE: { actions: assign({ locale: ({ event }) => event.locale }) },
    THANKS: { target: '.idle', actions: ['clearTask', 'clearPending', 'resetFailures', 'replyBye'] },
    // A member of staff answering from the clinic's own phone takes the conversation over.
    STAFF_CLAIMED: { target: '.escalated.withStaff', actions: ['clearTask', 'clearPending', 'markStaffTakeover'] },
    DROP_PENDING: { target: '.idle', actions: ['clearTask', 'clearPending', 'resetFailures', 'replyDropped'] },
    // A reminder takes over an idle conversation (or one only asking about a service): the
    // patient can answer it. Mid-task and while escalated it is information only (see there).
    REMINDER: { target: '.reminded', actions: ['clearTask', 'clearPending', 'resetFailures', 'takeRemindedAppointment', 'replyReminder'] },
    STOP_REMINDERS: { target: '.settingReminders', actions: ['parkBookingAsPending', 'clearTask', 'resetFailures'] },
    START_REMINDERS: { target: '.settingReminders', actions: ['parkBookingAsPending', 'clearTask', 'resetFailures'] },
    LIST_APPOINTMENTS: { target: '.inquiry.listing', actions: ['parkBookingAsPending', 'clearTask', 'resetFailures'] },
    ASK_SERVICE: { target: '.inquiry', reenter: true, actions: ['startInquiry', 'resetFailures'] },
    BOOK: {
      target: '.booking',
      reenter: true,
      actions: ['clearPending', 'takeRequestDetails', 'resetFailures'],
    },
    RESCHEDULE: {
      target: '.booking.rescheduling',
      actions: ['clearTask', 'clearPending', 'takeRescheduleDate', 'takeAppointmentHint', 'resetFailures'],
    },
    CANCEL: { target: '.booking.cancelling', actions: ['clearTask', 'clearPending', 'takeAppointmentHint', 'resetFailures'] },
    UNKNOWN: failure('replyNotUnderstood'),
    // Anything else that reaches the root has no meaning in the current state.
    CONFIRM: failure('replyNotUnderstood'),
    DENY: failure('replyNotUnderstood'),
    CHOOSE: failure('replyNotUnderstood'),
    PROVIDE: failure('replyNotUnderstood'),
  },
  states: {
    idle: {
      on: {
        PROVIDE: [
          { guard: 'namesDetails', target: 'booking', actions: ['takeRequestDetails', 'resetFailures'] },
          ...failure('replyNotUnderstood'),
        ],
      },
    },
    inquiry: {
      initial: 'answering',
      states: {
        answering: {
          entry: ['replyServiceInfo'],
          on: {
            // "Yes" or a day after hearing about a service means: book it.
            CONFIRM: [
              { guard: 'hasService', target: '#conversation.booking', actions: ['clearPending', 'resetFailures'] },
              ...failure('replyNotUnderstood'),
            ],
            PROVIDE: [
              { guard: 'namesDetails', target: '#conversation.booking', actions: ['clearPending', 'takeRequestDetails', 'resetFailures'] },
            ],
            DENY: { target: '#conversation.idle', actions: ['clearTask', 'resetFailures', 'replyAnythingElse'] },
          },
        },
        listing: {
          tags: ['busy'],
          invoke: {
            src: 'listAppointments',
            input: () => ({}),
            onDone: [
              {
                guard: ({ event }) => event.output.appointments.length === 0,
                target: 'offeringBooking',
                actions: ['replyNoAppointments'],
              },
              {
              target: '#conversation.idle',
              // A plain list: nothing to pick from here, so no numbered options.
              actions: emit(({ event }) => ({
                type: 'reply' as const,
                message: {
                  key: 'appointments.list',
                  params: { count: event.output.appointments.length },
                  lines: appointmentLines(event.output.appointments),
                },
              })),
              },
            ],
          },
        },
        // "You have no appointments. Would you like to book one?" — a yes starts a booking.
        offeringBooking: {
          on: {
            CONFIRM: { target: '#conversation.booking', actions: ['resetFailures'] },
            DENY: { target: '#conversation.idle', actions: ['resetFailures', 'replyAnythingElse'] },
          },
        },
      },
    },
    booking: {
      initial: 'collecting',
      on: {
        // The patient is in the middle of something: the reminder does not interrupt it.
        REMINDER: { actions: ['replyReminderInfo'] },
        ASK_SERVICE: [
          // A question about the service being booked is answered without leaving the booking.
          { guard: 'isAboutCurrentService', actions: ['replyServiceFacts', 'resetFailures'] },
          {
            target: '#conversation.inquiry',
            reenter: true,
            actions: ['parkBookingAsPending', 'startInquiry', 'resetFailures'],
          },
        ],
      },
      states: {
        collecting: {
          always: [{ guard: 'hasService', target: 'searching' }],
          entry: ['askServiceIfMissing'],
          on: {
            PROVIDE: [
              { guard: 'namesService', target: 'searching', actions: ['takeRequestDetails', 'resetFailures'] },
              { guard: 'namesDetails', actions: ['takeRequestDetails', 'resetFailures', 'replyAskService'] },
              ...failure('replyAskService'),
            ],
            DENY: { target: '#conversation.idle', actions: ['clearTask', 'resetFailures', 'replyNotBooked'] },
          },
        },
        searching: {
          tags: ['busy'],
          invoke: {
            src: 'findSlots',
            input: ({ context }) => ({
              serviceId: context.serviceId ?? '',
              doctorId: context.doctorId,
              date: context.requestedDate,
              excludeAppointmentId: context.appointment?.id ?? null,
            }),
            onDone: [
              {
                guard: ({ event }) => event.output.slots.length > 0 && event.output.nearest === true,
                target: 'choosingSlot',
                actions: [assign({ offeredSlots: ({ event }) => event.output.slots }), 'replyOfferNearest'],
              },
              {
                guard: ({ event }) => event.output.slots.length > 0,
                target: 'choosingSlot',
                actions: [assign({ offeredSlots: ({ event }) => event.output.slots }), 'replyOfferSlots'],
              },
              { target: 'awaitingDate', actions: ['replyNoSlots'] },
            ],
          },
        },
        awaitingDate: {
          on: {
            // A number or a yes here answers a menu that no longer exists: say again what is missing.
            CHOOSE: failure('replyNoSlots'),
            CONFIRM: failure('replyNoSlots'),
            PROVIDE: [
              { guard: 'namesDetails', target: 'searching', actions: ['takeRequestDetails', 'resetFailures'] },
            ],
            DENY: { target: '#conversation.idle', actions: ['clearTask', 'resetFailures', 'replyNotBooked'] },
          },
        },
        choosingSlot: {
          on: {
            CHOOSE: [
              { guard: 'isValidSlotOption', target: 'confirming', actions: ['chooseSlot', 'resetFailures'] },
              ...failure('replyInvalidSlotOption'),
            ],
            PROVIDE: [{ guard: 'namesDetails', target: 'searching', actions: ['takeRequestDetails', 'resetFailures'] }],
            DENY: { target: '#conversation.idle', actions: ['clearTask', 'resetFailures', 'replyNotBooked'] },
            CONFIRM: { actions: ['replyInvalidSlotOption'] },
          },
        },
        confirming: {
          entry: ['replyConfirmSlot'],
          on: {
            CONFIRM: [
              { guard: 'isRescheduling', target: 'movingAppointment', actions: ['resetFailures'] },
              { target: 'saving', actions: ['resetFailures'] },
            ],
            DENY: { target: 'choosingSlot', actions: ['resetFailures', 'replyNotBooked'] },
            CHOOSE: [
              { guard: 'isValidSlotOption', target: 'confirming', reenter: true, actions: ['chooseSlot', 'resetFailures'] },
              ...failure('replyAskYesNo'),
            ],
            PROVIDE: [{ guard: 'namesDetails', target: 'searching', actions: ['takeRequestDetails', 'resetFailures'] }],
            UNKNOWN: failure('replyAskYesNo'),
          },
        },
        saving: {
          tags: ['busy'],
          invoke: {
            src: 'bookSlot',
            input: ({ context }) => ({ slot: context.chosenSlot as Slot }),
            onDone: [
              { guard: 'wasSaved', target: '#conversation.idle', actions: ['replyBooked', 'clearTask', 'clearPending'] },
              { guard: 'lostSlotWithAlternatives', target: 'choosingSlot', actions: ['offerFreshSlots', 'replySlotTaken'] },
              { target: 'awaitingDate', actions: ['dropOffer', 'replySlotTaken'] },
            ],
          },
        },
        movingAppointment: {
          tags: ['busy'],
          invoke: {
            src: 'rescheduleAppointment',
            input: ({ context }) => ({ appointmentId: context.appointment?.id ?? '', slot: context.chosenSlot as Slot }),
            onDone: [
              { guard: 'wasSaved', target: '#conversation.idle', actions: ['replyBooked', 'clearTask', 'clearPending'] },
              { guard: 'appointmentWasGone', target: '#conversation.idle', actions: ['replyAppointmentGone', 'clearTask'] },
              { guard: 'lostSlotWithAlternatives', target: 'choosingSlot', actions: ['offerFreshSlots', 'replySlotTaken'] },
              { target: 'awaitingDate', actions: ['dropOffer', 'replySlotTaken'] },
            ],
          },
        },
        rescheduling: {
          initial: 'loading',
          states: {
            ...pickAnAppointment('#conversation.booking.searching', 'reschedule.choose'),
          },
        },
        cancelling: {
          initial: 'loading',
          on: {
            // A cancellation is quick to start again, so it is not parked as pending.
            ASK_SERVICE: { target: '#conversation.inquiry', reenter: true, actions: ['startInquiry', 'resetFailures'] },
          },
          states: {
            ...pickAnAppointment('confirming', 'cancel.choose'),
            confirming: {
              entry: ['replyConfirmCancel'],
              on: {
                CONFIRM: { target: 'saving', actions: ['resetFailures'] },
                DENY: { target: '#conversation.idle', actions: ['clearTask', 'resetFailures', 'replyKept'] },
                CHOOSE: failure('replyAskYesNo'),
                UNKNOWN: failure('replyAskYesNo'),
              },
            },
            saving: {
              tags: ['busy'],
              invoke: {
                src: 'cancelAppointment',
                input: ({ context }) => ({ appointmentId: context.appointment?.id ?? '' }),
                onDone: [
                  {
                    guard: ({ event }) => event.output.status === 'cancelled',
                    target: '#conversation.idle',
                    actions: ['replyCancelled', 'clearTask'],
                  },
                  { target: '#conversation.idle', actions: ['replyAppointmentGone', 'clearTask'] },
                ],
              },
            },
          },
        },
      },
    },
    // A reminder was sent: 1 (or "confirm", "yes") confirms, 2 (or "change", a new day) moves it
    // through the reschedule flow, 3 (or "cancel") cancels it through the cancel flow, each with
    // its confirmation. Anything else is handled as anywhere else. Inactivity does not end this
    // state before the appointment starts (the pipeline judges that on load).
    reminded: {
      initial: 'answering',
      states: {
        answering: {
          on: {
            CHOOSE: [
              { guard: 'choseConfirm', target: 'saving', actions: ['resetFailures'] },
              { guard: 'choseChange', target: '#conversation.booking.searching', actions: ['startRemindedReschedule', 'resetFailures'] },
              { guard: 'choseCancel', target: '#conversation.booking.cancelling.confirming', actions: ['resetFailures'] },
              ...failure('replyReminderOptions'),
            ],
            CONFIRM: { target: 'saving', actions: ['resetFailures'] },
            DENY: { actions: ['resetFailures', 'replyChangeOrCancel'] },
            RESCHEDULE: [
              {
                guard: 'isAboutRemindedAppointment',
                target: '#conversation.booking.searching',
                actions: ['startRemindedReschedule', 'takeRescheduleDate', 'resetFailures'],
              },
            ],
            CANCEL: [{ guard: 'isAboutRemindedAppointment', target: '#conversation.booking.cancelling.confirming', actions: ['resetFailures'] }],
            // "Friday at 10" after a reminder: move it there.
            PROVIDE: [
              { guard: 'namesDate', target: '#conversation.booking.searching', actions: ['startRemindedReschedule', 'takeRequestDetails', 'resetFailures'] },
              ...failure('replyReminderOptions'),
            ],
            UNKNOWN: failure('replyReminderOptions'),
          },
        },
        // Recording the confirmation ("1" is the patient's answer; nothing more to ask).
        saving: {
          tags: ['busy'],
          invoke: {
            src: 'confirmAppointment',
            input: ({ context }) => ({ appointmentId: context.appointment?.id ?? '' }),
            onDone: [
              { guard: 'wasConfirmed', target: '#conversation.idle', actions: ['replyAttendanceConfirmed', 'clearTask'] },
              { target: '#conversation.idle', actions: ['replyAppointmentGone', 'clearTask'] },
            ],
          },
        },
      },
    },
    // "Stop reminders" / "start reminders": saved for the patient, then confirmed to them.
    settingReminders: {
      tags: ['busy'],
      invoke: {
        src: 'setReminders',
        input: ({ event }) => ({ enabled: event.type === 'START_REMINDERS' }),
        onDone: { target: 'idle', actions: ['replyReminders'] },
      },
    },
    escalated: {
      initial: 'raising',
      // While staff own the conversation the bot stays silent: patient events stop here.
      on: {
        ...Object.fromEntries(SILENT_WHILE_ESCALATED.map((type) => [type, { actions: [] }])),
        EMERGENCY: [
          // An emergency more urgent than the open escalation raises it again at the emergency's urgency.
          { guard: not('coversEmergency'), target: '.raising', actions: ['markEmergency', 'replyEmergencyInstructions'] },
          { actions: ['replyEmergencyInstructions'] },
        ],
        STAFF_CLAIMED: '.withStaff',
        STAFF_RESOLVED: { target: 'idle', actions: ['clearEscalation', 'clearTask', 'clearPending'] },
        // Staff own the conversation: the reminder is information only, and staff see it too.
        REMINDER: { actions: ['replyReminderInfoStaff'] },
      },
      states: {
        raising: {
          tags: ['busy'],
          invoke: {
            src: 'escalate',
            input: ({ context }) => context.escalation ?? { urgency: 'medium' as const, reason: 'patient_request' },
            onDone: {
              target: 'waitingForStaff',
              actions: emit(({ context, event }) =>
                reply(
                  context.escalation?.reason === 'bot_failed'
                    ? 'escalation.ack_failed'
                    : context.escalation?.urgency === 'urgent'
                      ? 'escalation.ack_urgent'
                      : 'escalation.ack',
                  { waitMinutes: event.output.waitMinutes },
                ),
              ),
            },
          },
        },
        waitingForStaff: {},
        withStaff: {},
      },
    },
  },
});

export type ConversationMachine = typeof conversationMachine;
export type ConversationActor = ActorRefFrom<ConversationMachine>;
