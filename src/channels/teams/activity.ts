/**
 * The Bot Framework Activity as this channel reads and writes it: only the fields used here,
 * checked with zod, so the rest of the folder depends on the protocol, not on botbuilder's types
 * (the Microsoft 365 Agents SDK speaks the same protocol).
 */
import { z } from 'zod';

const account = z.object({
  id: z.string(),
  name: z.string().optional(),
  /** The Microsoft Entra object id: stable per person across chats. */
  aadObjectId: z.string().optional(),
  role: z.string().optional(),
});

const named = z.object({ id: z.string(), name: z.string().optional() });

export const inboundActivitySchema = z.object({
  type: z.string(),
  id: z.string().optional(),
  channelId: z.string().optional(),
  serviceUrl: z.string().optional(),
  text: z.string().optional(),
  locale: z.string().optional(),
  from: account.optional(),
  recipient: account.optional(),
  conversation: z.object({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  channelData: z
    .object({
      team: named.optional(),
      channel: named.optional(),
      eventType: z.string().optional(),
    })
    .optional(),
  value: z.unknown().optional(),
  attachments: z.array(z.object({ contentType: z.string(), name: z.string().optional() })).optional(),
  membersAdded: z.array(account).optional(),
  membersRemoved: z.array(account).optional(),
  /** installationUpdate: "add", "remove", "add-upgrade", "remove-upgrade". */
  action: z.string().optional(),
  deliveryMode: z.string().optional(),
});

export type InboundActivity = z.infer<typeof inboundActivitySchema>;

export interface CardAttachment {
  contentType: 'application/vnd.microsoft.card.adaptive';
  content: Record<string, unknown>;
}

/** What this channel sends: a message (text, or a card with its text inside) or a typing indicator. */
export interface OutgoingActivity {
  type: 'message' | 'typing';
  text?: string;
  textFormat?: 'plain' | 'markdown';
  /** Shown in notifications and chat lists where a card cannot be. */
  summary?: string;
  locale?: string;
  attachments?: CardAttachment[];
}

export type ConversationScope = 'personal' | 'groupChat' | 'channel';

/** Teams says "personal", "groupChat" or "channel"; other clients (the Agents Playground, Web Chat) often nothing: a 1:1 chat. */
export function scopeOf(activity: InboundActivity): ConversationScope {
  const type = activity.conversation.conversationType;
  if (type === 'channel') return 'channel';
  if (type === 'groupChat' || (type === undefined && activity.conversation.isGroup === true)) return 'groupChat';
  return 'personal';
}

/** The person behind a message: their Entra object id when Teams gives one, else the channel account id. */
export function personId(activity: InboundActivity): string | null {
  return activity.from?.aadObjectId ?? activity.from?.id ?? null;
}

/** True when the bot itself is among `members`. */
export function includesBot(activity: InboundActivity, members: InboundActivity['membersAdded']): boolean {
  const botId = activity.recipient?.id;
  return botId !== undefined && (members ?? []).some((member) => member.id === botId);
}
