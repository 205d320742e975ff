import type { Locale } from './locale.js';

export type ChannelName = 'webchat' | 'cli' | 'whatsapp' | 'teams';

/** What every channel adapter hands the pipeline; nothing channel-specific beyond this. */
export interface InboundMessage {
  channel: ChannelName;
  conversationId: string;
  senderId: string;
  messageId: string;
  text: string;
  media?: { kind: 'image' | 'audio' | 'video' | 'document' | 'sticker' | 'other' };
  /** A hint from the channel (Teams locale, web page language, phone country). */
  localeHint?: string;
  /** Set by channels that can tell; a bot's message is never answered. */
  fromBot?: boolean;
  /** From X-Trace-ID / X-Request-ID when the channel has one; generated otherwise. */
  traceId?: string;
  /**
   * The sender's network address (HTTP channels, behind a trusted proxy its client's): messages
   * are also rate-limited per address, since a web client chooses its own conversation ids.
   */
  clientAddress?: string;
  /**
   * `outbox`: the channel pushes replies itself (WhatsApp, Teams): they are recorded for delivery
   * in the turn's own transaction, under `turnDeliveryId`, so they leave exactly once even if the
   * process dies right after the turn. Default `response`: the caller returns them.
   */
  replyVia?: 'response' | 'outbox';
  at: Date;
}

/** A reply before rendering: a locale key and its parameters. Channels render with i18n. */
export interface OutboundMessage {
  key: string;
  params?: Record<string, string | number>;
  /** A numbered menu the patient can answer with "1", "2", … */
  options?: OutboundOption[];
  /** Lines listed under the text, one per item (not choosable). */
  lines?: OutboundLine[];
}

export interface OutboundLine {
  key: string;
  params?: Record<string, string | number>;
}

export interface OutboundOption extends OutboundLine {
  id: string;
}

/** A reply after rendering in one language. */
export interface RenderedReply {
  text: string;
  locale: Locale;
  options?: { id: string; label: string }[];
}

export interface ConversationKey {
  channel: ChannelName;
  conversationId: string;
}

export function conversationKeyString(key: ConversationKey): string {
  return `${key.channel}:${key.conversationId}`;
}

/** The outbox delivery id of the replies to one inbound message (the same on every redelivery). */
export function turnDeliveryId(key: ConversationKey, messageId: string): string {
  return `turn:${key.channel}:${key.conversationId.length}:${key.conversationId}:${messageId}`;
}
