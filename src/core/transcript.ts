import type { RenderedReply } from './messages.js';
import type { TranscriptEntry } from './ports/records.js';

/**
 * The bot's replies as transcript lines (what the patient read, menus included), a millisecond
 * apart from `from` on so they keep their order.
 */
export function botEntries(
  base: Pick<TranscriptEntry, 'patientId' | 'channel' | 'conversationId'>,
  replies: RenderedReply[],
  from: Date,
): TranscriptEntry[] {
  return replies.map((reply, index) => ({
    ...base,
    direction: 'out',
    author: 'bot',
    text: withOptions(reply),
    locale: reply.locale,
    messageId: null,
    at: new Date(from.getTime() + index),
  }));
}

function withOptions(reply: RenderedReply): string {
  if (!reply.options?.length) return reply.text;
  return [reply.text, ...reply.options.map((option, i) => `${i + 1}. ${option.label}`)].join('\n');
}
