/**
 * A Teams message activity → the channel-neutral InboundMessage: the conversation is the Teams
 * conversation, the sender the person's Entra object id, the locale a hint; a card button's
 * value picks its option exactly as typing its number would.
 */
import { createHash } from 'node:crypto';
import type { InboundMessage } from '../../core/messages.js';
import { personId, type InboundActivity } from './activity.js';
import { plainTextOf } from './text.js';

/** The field of an Action.Submit's data that carries the option number (see replies.ts). */
export const OPTION_FIELD = 'clinicOption';

type MediaKind = NonNullable<InboundMessage['media']>['kind'];

/** "2" for a card button that submitted `{clinicOption: "2"}`, else null. */
export function submittedOption(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || !(OPTION_FIELD in value)) return null;
  const option: unknown = Reflect.get(value, OPTION_FIELD);
  const text = typeof option === 'number' ? String(option) : option;
  return typeof text === 'string' && /^\d{1,2}$/.test(text) ? text : null;
}

/** What the person attached, ignoring the HTML copy Teams adds to formatted text and cards. */
export function mediaOf(activity: InboundActivity): MediaKind | null {
  for (const { contentType } of activity.attachments ?? []) {
    const type = contentType.toLowerCase();
    if (type === 'text/html' || type.startsWith('application/vnd.microsoft.card.')) continue;
    if (type.startsWith('image/')) return 'image';
    if (type.startsWith('audio/')) return 'audio';
    if (type.startsWith('video/')) return 'video';
    return 'document';
  }
  return null;
}

/**
 * Activity ids are unique only within a conversation, so the message id carries a digest of
 * the conversation too; a redelivery of the same activity gives the same id.
 */
export function messageIdOf(activity: InboundActivity): string {
  const digest = createHash('sha256').update(activity.conversation.id).digest('hex').slice(0, 16);
  return `${activity.id ?? 'none'}@${digest}`;
}

/** The message, or null when the activity has no person behind it. */
export function toInboundMessage(activity: InboundActivity, textWithoutMention: string, at: Date): InboundMessage | null {
  const senderId = personId(activity);
  if (!senderId || !activity.id) return null;
  const option = submittedOption(activity.value);
  const media = option ? null : mediaOf(activity);
  const message: InboundMessage = {
    channel: 'teams',
    conversationId: activity.conversation.id,
    senderId,
    messageId: messageIdOf(activity),
    text: option ?? plainTextOf(textWithoutMention),
    at,
  };
  if (media) message.media = { kind: media };
  if (activity.locale) message.localeHint = activity.locale;
  if (activity.from?.role === 'bot') message.fromBot = true;
  return message;
}
