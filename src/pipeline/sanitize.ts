import { z } from 'zod';
import type { InboundMessage } from '../core/messages.js';

export type SanitizeResult = { ok: true; text: string } | { ok: false; noticeKey: string; params?: Record<string, number> };

// eslint-disable-next-line no-control-regex -- an id with a control character (a NUL) is refused here, not by PostgreSQL
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001F\u007F]+$/;
const id = z.string().min(1).max(256).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');

export const inboundMessageSchema = z.object({
  channel: z.enum(['webchat', 'cli', 'whatsapp', 'teams']),
  conversationId: id,
  senderId: id,
  messageId: id,
  text: z.string(),
  media: z.object({ kind: z.enum(['image', 'audio', 'video', 'document', 'sticker', 'other']) }).optional(),
  localeHint: z.string().max(64).optional(),
  fromBot: z.boolean().optional(),
  traceId: z.string().max(128).optional(),
  clientAddress: z.string().max(64).optional(),
  replyVia: z.enum(['response', 'outbox']).optional(),
  at: z.date(),
});

// C0/C1 control characters except tab and newline, plus bidi overrides that can disguise text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Strips control characters and checks the length; a bad message gets a notice key, never a turn. */
export function sanitizeText(message: Pick<InboundMessage, 'text' | 'media'>, maxLength: number): SanitizeResult {
  const text = message.text.normalize('NFC').replace(CONTROL_CHARACTERS, '').replace(/[ \t]+/g, ' ').trim();
  if (text.length === 0) return message.media ? { ok: false, noticeKey: 'fallback.unsupported_media' } : { ok: false, noticeKey: 'fallback.empty' };
  if (text.length > maxLength) return { ok: false, noticeKey: 'fallback.too_long', params: { count: maxLength } };
  return { ok: true, text };
}
