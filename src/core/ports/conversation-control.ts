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
  /**
   * A person wrote to the patient from the channel's own device (the clinic's WhatsApp phone):
   * their text goes into the transcript as staff, the console gets an escalation for it (reason
   * `staff_takeover`) if none is open, and the bot stays silent (escalated.withStaff) until
   * staff resolve it in the console. The transcript line is timed by the pipeline's clock,
   * like every other line of the conversation.
   */
  staffTookOver(conversation: ConversationKey, message: { text: string }): Promise<void>;
}
