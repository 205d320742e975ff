/**
 * What one message from Baileys' `messages.upsert` means to the clinic: a patient's text (or
 * media), a person on the clinic's phone typing into a patient's chat, or nothing for us.
 * Pure: identity lookups that need the socket happen in inbound.ts.
 */
import {
  isLidUser,
  isPnUser,
  jidNormalizedUser,
  normalizeMessageContent,
  proto,
  type MessageUpsertType,
  type WAMessage,
} from '@whiskeysockets/baileys';
import type { InboundMessage } from '../../core/messages.js';
import { isPersonAddress } from './addresses.js';

export type MediaKind = NonNullable<InboundMessage['media']>['kind'];

/** The chat's user, as both addresses WhatsApp may use; at least one is set. */
export interface ChatAddress {
  /** `…@lid`, the stable id WhatsApp v7 addresses users by. */
  lid: string | null;
  /** `…@s.whatsapp.net`: the phone number, when WhatsApp told us. */
  pn: string | null;
}

export type Incoming =
  | { kind: 'ignore'; reason: IgnoreReason }
  | {
      kind: 'patient';
      chat: ChatAddress;
      messageId: string;
      text: string;
      media: MediaKind | null;
      edited: boolean;
      pushName: string | null;
      at: Date;
      offline: boolean;
    }
  /** `fromMe` in a patient's chat: the bot's own send coming back, or a person on the clinic's phone. */
  | { kind: 'from_me'; chat: ChatAddress; messageId: string; text: string; at: Date };

export type IgnoreReason =
  | 'no_key'
  | 'not_a_person'
  | 'self_chat'
  | 'undecryptable'
  | 'reaction'
  | 'protocol'
  | 'unsupported_type'
  | 'too_old';

const IGNORED_CONTENT: (keyof proto.IMessage)[] = [
  'reactionMessage',
  'encReactionMessage',
  'pollUpdateMessage',
  'protocolMessage',
  'senderKeyDistributionMessage',
  'keepInChatMessage',
  'pinInChatMessage',
];

const MEDIA: [keyof proto.IMessage, MediaKind][] = [
  ['imageMessage', 'image'],
  ['audioMessage', 'audio'],
  ['videoMessage', 'video'],
  ['ptvMessage', 'video'],
  ['documentMessage', 'document'],
  ['stickerMessage', 'sticker'],
  ['locationMessage', 'other'],
  ['liveLocationMessage', 'other'],
  ['contactMessage', 'other'],
  ['contactsArrayMessage', 'other'],
];

export interface ClassifyContext {
  /** Our own user ids (phone and LID, without device), to spot the self chat. */
  ownUsers: string[];
  /** Wall clock now, and how old an `append` (offline) message may be and still get an answer. */
  now: Date;
  maxBacklogMs: number;
}

function chatAddress(key: WAMessage['key']): ChatAddress | null {
  const ids = [key.remoteJid, key.remoteJidAlt].filter(isPersonAddress).map((jid) => jidNormalizedUser(jid));
  const lid = ids.find((jid) => isLidUser(jid)) ?? null;
  const pn = ids.find((jid) => isPnUser(jid)) ?? null;
  return lid || pn ? { lid, pn } : null;
}

function timestamp(message: WAMessage, fallback: Date): Date {
  const raw = message.messageTimestamp;
  const seconds = typeof raw === 'number' ? raw : raw ? Number(raw.toString()) : NaN;
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : fallback;
}

/** An edit carries the new content inside a protocol message; everything else is itself. */
function unwrapEdit(content: proto.IMessage): { content: proto.IMessage | null; edited: boolean } {
  const protocol = content.protocolMessage;
  if (protocol?.type === proto.Message.ProtocolMessage.Type.MESSAGE_EDIT) {
    return { content: normalizeMessageContent(protocol.editedMessage) ?? null, edited: true };
  }
  return { content, edited: false };
}

function textOf(content: proto.IMessage): string {
  return (
    content.conversation ??
    content.extendedTextMessage?.text ??
    content.imageMessage?.caption ??
    content.videoMessage?.caption ??
    content.documentMessage?.caption ??
    ''
  );
}

function mediaOf(content: proto.IMessage): MediaKind | null {
  for (const [field, kind] of MEDIA) if (content[field]) return kind;
  return null;
}

export function classify(message: WAMessage, type: MessageUpsertType, context: ClassifyContext): Incoming {
  const { key } = message;
  if (!key?.id || !key.remoteJid) return { kind: 'ignore', reason: 'no_key' };
  const chat = chatAddress(key);
  if (!chat || key.participant) return { kind: 'ignore', reason: 'not_a_person' };
  const chatUsers = [chat.lid, chat.pn].map((jid) => jid?.split('@')[0]);
  if (chatUsers.some((user) => user && context.ownUsers.includes(user))) return { kind: 'ignore', reason: 'self_chat' };

  const normalized = normalizeMessageContent(message.message);
  if (!normalized) return { kind: 'ignore', reason: message.messageStubType ? 'undecryptable' : 'unsupported_type' };
  const { content, edited } = unwrapEdit(normalized);
  if (!content) return { kind: 'ignore', reason: 'protocol' };
  if (content.reactionMessage || content.encReactionMessage) return { kind: 'ignore', reason: 'reaction' };

  const text = textOf(content);
  const media = mediaOf(content);
  if (!text && !media) {
    const onlyIgnored = Object.keys(content).every((field) => IGNORED_CONTENT.includes(field as keyof proto.IMessage) || field === 'messageContextInfo');
    return { kind: 'ignore', reason: onlyIgnored ? 'protocol' : 'unsupported_type' };
  }

  const at = timestamp(message, context.now);
  if (key.fromMe) return { kind: 'from_me', chat, messageId: key.id, text: text || `[${media}]`, at };
  const offline = type === 'append';
  if (offline && context.now.getTime() - at.getTime() > context.maxBacklogMs) return { kind: 'ignore', reason: 'too_old' };
  return { kind: 'patient', chat, messageId: key.id, text, media, edited, pushName: message.pushName ?? null, at, offline };
}
