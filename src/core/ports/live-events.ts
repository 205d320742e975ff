import type { Locale } from '../locale.js';
import type { ChannelName, ConversationKey, RenderedReply } from '../messages.js';
import type { WhatsAppCommand, WhatsAppStatus } from './whatsapp-link.js';

/**
 * What must reach every app process at once: staff consoles watching the queue, and the
 * process that holds a patient's live connection (the web chat page's event stream).
 * Redis pub/sub when Redis is configured, in-process otherwise.
 */
export type LiveEvent =
  /** An escalation was opened, raised, claimed or resolved: consoles refresh their queue. */
  | { type: 'escalation.changed'; escalationId: string }
  /** A line was added to the transcript of a conversation (shown live in the console). */
  | { type: 'conversation.message'; channel: ChannelName; conversationId: string; entry: LiveTranscriptEntry }
  /** Something to show a patient outside a turn: a staff reply, a follow-up notice. */
  | { type: 'outbound'; channel: ChannelName; conversationId: string; message: OutgoingMessage }
  /** Messages for this channel were committed to the outbox: a process that delivers on it should look now. */
  | { type: 'outbox.ready'; channel: ChannelName }
  /** The linked WhatsApp number's status, from the process that holds it (console's WhatsApp tab). */
  | { type: 'whatsapp.status'; status: WhatsAppStatus }
  /** For the process that holds the WhatsApp number: link, pairing code, unlink. */
  | { type: 'whatsapp.command'; command: WhatsAppCommand };

export interface LiveTranscriptEntry {
  author: 'patient' | 'bot' | 'staff';
  /** For staff replies: the name the patient saw. */
  authorName?: string;
  text: string;
  locale: Locale | null;
  /** ISO time. */
  at: string;
}

/** A message pushed to a patient outside the request/response of a turn. */
export interface OutgoingMessage {
  /**
   * Stable for one message however often delivery is attempted: a sender that may have sent it
   * before a crash can de-duplicate on it.
   */
  deliveryId?: string;
  author: 'bot' | 'staff';
  /** For staff replies: the name the patient sees. */
  authorName?: string;
  replies: RenderedReply[];
  /**
   * ISO time, for staff replies: the same instant as the reply's transcript line, so a page
   * that also fetched it after a reconnect (GET /api/webchat/staff-replies) shows it once.
   */
  at?: string;
}

export interface LiveEvents {
  publish(event: LiveEvent): Promise<void>;
  /** Returns the function that stops listening. */
  subscribe(listener: (event: LiveEvent) => void): () => void;
  close(): Promise<void>;
}

/** Delivers to a patient on the channel their conversation is on; every channel registers one. */
export interface OutboundSender {
  send(conversation: ConversationKey, message: OutgoingMessage): Promise<void>;
}

/** Messages for a channel were committed to the outbox: deliver them now rather than at the next poll. */
export interface OutboxWaker {
  wake(channel: ChannelName): void;
}
