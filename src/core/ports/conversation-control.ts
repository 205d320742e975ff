import type { ConversationKey } from '../messages.js';

/**
 * Staff actions that change a conversation's statechart outside a patient's turn. The
 * pipeline implements it, so the change is serialized with the patient's own messages.
 */
export interface ConversationControl {
  /** Staff took the conversation: the bot stays silent (escalated.withStaff). */
  staffClaimed(conversation: ConversationKey): Promise<void>;
  /** Staff handed it back: the bot resumes in idle with an empty task. */
  staffResolved(conversation: ConversationKey): Promise<void>;
}
