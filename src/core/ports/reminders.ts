import type { Locale } from '../locale.js';
import type { ConversationKey } from '../messages.js';
import type { Appointment } from './records.js';

/** What a patient did about a reminder they were sent. */
export type ReminderOutcome = 'confirmed' | 'changed' | 'cancelled';

/** A reminder answered by a turn's appointment change. */
export interface ReminderAnswer {
  appointmentId: string;
  outcome: ReminderOutcome;
}

/**
 * `prompt`: the conversation now waits for 1 (confirm), 2 (change) or 3 (cancel). `info`: sent as
 * information only, the conversation left as it was (the patient was in the middle of
 * something, or staff had the conversation).
 */
export type ReminderMode = 'prompt' | 'info';

/** One reminder of one appointment: which of the clinic's reminder times, for which start time. */
export interface ReminderKey {
  appointmentId: string;
  offsetMinutes: number;
  startsAt: Date;
}

export interface SentReminder extends ReminderKey {
  patientId: string;
  conversation: ConversationKey;
  deliveryId: string;
  mode: ReminderMode;
  sentAt: Date;
}

/** A reminder as the staff console shows it. */
export interface ReminderRecord extends SentReminder {
  status: 'sent' | 'undeliverable';
  failure: string | null;
  outcome: ReminderOutcome | null;
  answeredAt: Date | null;
}

/** An upcoming appointment that may be owed reminders, with the ones sent for it already. */
export interface RemindableAppointment {
  appointment: Appointment & { bookedFrom: ConversationKey };
  sent: ReminderKey[];
}

/** An appointment of a day in the staff console. */
export interface DayAppointment {
  appointment: Appointment;
  patient: { id: string; displayName: string | null; locale: Locale | null; remindersOff: boolean };
  reminders: ReminderRecord[];
}

export interface ReminderCounts {
  sent: number;
  confirmed: number;
  changed: number;
  cancelled: number;
  /** Sent, and no confirm, change or cancel followed. */
  notAnswered: number;
  undeliverable: number;
}

export interface ReminderRepository {
  /** The appointment, locked until the transaction ends (call inside one); null when gone. */
  lockAppointment(appointmentId: string): Promise<Appointment | null>;
  /** Records the reminder as sent; false (and nothing written) when it was sent before. */
  recordSent(reminder: SentReminder): Promise<boolean>;
  /** The channel could not deliver it; null when no reminder has this delivery id. */
  markUndeliverable(deliveryId: string, failure: string): Promise<ReminderRecord | null>;
  /**
   * Booked (not yet confirmed) appointments booked through the assistant, whose patient has
   * not turned reminders off, starting after `from` and at or before `to`.
   */
  listRemindable(from: Date, to: Date): Promise<RemindableAppointment[]>;
  /** Every appointment starting in [from, to), earliest first, with its patient and reminders. */
  listStartingBetween(from: Date, to: Date): Promise<DayAppointment[]>;
  /** Reminders sent since `since`, by what became of them. */
  countSince(since: Date): Promise<ReminderCounts>;
}

/**
 * One reminder to send when it falls due. The job names the appointment's start time and when
 * it was set, so a job left over from before a reschedule finds itself stale when it fires.
 */
export interface ReminderJob {
  appointmentId: string;
  offsetMinutes: number;
  /** ISO: the start time the reminder is about. */
  startsAt: string;
  /** ISO: when the appointment got that start time. */
  timeSetAt: string;
  /** ISO: set on a job moved out of the quiet hours when it fired; it goes at this time. */
  notBefore?: string;
}

export type ReminderHandler = (job: ReminderJob) => Promise<void>;

/**
 * Delayed reminder jobs: BullMQ on Redis (they survive a restart, any process runs them) or
 * in-process timers on the embedded default. Scheduling the same job twice schedules it once.
 */
export interface ReminderScheduler {
  schedule(job: ReminderJob, delayMs: number): Promise<void>;
  /** Removes a job that has not run yet (one already running finishes, and finds itself stale). */
  remove(job: ReminderJob): Promise<void>;
  /** Starts running due jobs with `handler`; before this, due jobs wait. */
  start(handler: ReminderHandler): void;
  close(): Promise<void>;
}

/**
 * The id that makes a reminder job idempotent, the same in every process: appointment, offset,
 * start time and when it was set (a move there and back makes a new job), and for a job moved
 * out of the quiet hours, its new time. No ":" (BullMQ refuses it).
 */
export function reminderJobId(job: ReminderJob): string {
  const offsetMs = Math.round(job.offsetMinutes * 60_000);
  const base = `reminder-${job.appointmentId}-${offsetMs}-${Date.parse(job.startsAt)}-${Date.parse(job.timeSetAt)}`;
  return job.notBefore ? `${base}-n${Date.parse(job.notBefore)}` : base;
}

/** The outbox delivery id of a reminder: one message per appointment, offset and start time. */
export function reminderDeliveryId(key: ReminderKey): string {
  return `reminder:${key.appointmentId}:${Math.round(key.offsetMinutes * 60_000)}:${key.startsAt.getTime()}`;
}

export function isReminderDelivery(deliveryId: string): boolean {
  return deliveryId.startsWith('reminder:');
}

/** An appointment's time as its reminder jobs name it. */
export interface AppointmentTime {
  id: string;
  startsAt: Date;
  timeSetAt: Date;
}

/**
 * What booking tells the reminders once its change has committed (best effort: the reminders'
 * reconciliation repairs what a crash in between leaves out).
 */
export interface ReminderHooks {
  /** Booked, or moved from `previous`: its reminders are scheduled, the old time's removed. */
  timeSet(appointment: AppointmentTime, previous?: AppointmentTime): Promise<void>;
  /** Cancelled or confirmed: it gets no more reminders. */
  drop(appointment: AppointmentTime): Promise<void>;
  /** Reminders a turn's change answered. */
  answered(answers: ReminderAnswer[]): void;
}

export const NO_REMINDERS: ReminderHooks = {
  timeSet: async () => undefined,
  drop: async () => undefined,
  answered: () => undefined,
};
