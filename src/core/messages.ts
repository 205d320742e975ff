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
