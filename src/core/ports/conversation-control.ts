import type { Locale } from '../locale.js';
import type { ConversationKey } from '../messages.js';
import type { Records } from './records.js';

/**
 * The database change that goes with an event on a conversation outside a patient's turn (a
 * staff action, a reminder), made in the same transaction as the conversation's statechart
 * change: `apply: false` leaves the conversation as it is (the claim was refused, the reminder
 * was sent already), and `value` is handed back to the caller either way. It runs after the
 * chart took the event, and sees the state the chart reached.
 */
export type SystemChange<T> = (records: Records, turn: { state: string }) => Promise<{ apply: boolean; value: T }>;

/** A staff action's change (it does not depend on the chart). */
export type StaffChange<T> = (records: Records) => Promise<{ apply: boolean; value: T }>;

/** A reminder delivered as an event of the conversation its appointment was booked in. */
export interface ReminderDelivery {
  appointment: { id: string; doctorId: string; serviceId: string; startsAt: string };
  /** The appointment's patient (the conversation's record may be gone by now). */
  patientId: string;
  /** The language it is written in. */
  locale: Locale;
  /** Its outbox delivery id: one message per reminder, however often this runs. */
  deliveryId: string;
}

/**
 * Events that change a conversation's statechart outside a patient's turn. The pipeline
 * implements it, so the change is serialized with the patient's own messages (across
 * processes) and commits together with the event's own database change.
 */
export interface ConversationControl {
  /** Staff took the conversation: the bot stays silent (escalated.withStaff). */
  staffClaimed<T>(conversation: ConversationKey, change: StaffChange<T>): Promise<T>;
  /** Staff handed it back: the bot resumes in idle with an empty task. */
  staffResolved<T>(conversation: ConversationKey, change: StaffChange<T>): Promise<T>;
  /**
   * A reminder falls due: the chart decides what the patient is told (a question they can
   * answer, or information only), and its message goes to the outbox with the change.
   */
  remind<T>(conversation: ConversationKey, reminder: ReminderDelivery, change: SystemChange<T>): Promise<T>;
  /**
   * A person wrote to the patient from the channel's own device (the clinic's WhatsApp phone):
   * their text goes into the transcript as staff, the console gets an escalation for it (reason
   * `staff_takeover`) if none is open, and the bot stays silent (escalated.withStaff) until
   * staff resolve it in the console. The transcript line is timed by the pipeline's clock,
   * like every other line of the conversation.
   */
  staffTookOver(conversation: ConversationKey, message: { text: string }): Promise<void>;
}
