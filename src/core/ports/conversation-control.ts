import type { ConversationKey } from '../messages.js';
import type { Records } from './records.js';

/**
 * A staff action's change to the system of record, made in the same transaction as the
 * conversation's statechart change: `apply: false` leaves the conversation as it is (the claim
 * was refused), and `value` is handed back to the caller either way.
 */
export type StaffChange<T> = (records: Records) => Promise<{ apply: boolean; value: T }>;

/**
 * Staff actions that change a conversation's statechart outside a patient's turn. The
 * pipeline implements it, so the change is serialized with the patient's own messages (across
 * processes) and commits together with the staff action's own database change.
 */
export interface ConversationControl {
  /** Staff took the conversation: the bot stays silent (escalated.withStaff). */
  staffClaimed<T>(conversation: ConversationKey, change: StaffChange<T>): Promise<T>;
  /** Staff handed it back: the bot resumes in idle with an empty task. */
  staffResolved<T>(conversation: ConversationKey, change: StaffChange<T>): Promise<T>;
}
