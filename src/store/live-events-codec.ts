import { z } from 'zod';
import { SUPPORTED_LOCALES } from '../core/locale.js';
import type { ChannelName } from '../core/messages.js';
import type { LiveEvent } from '../core/ports/live-events.js';

/**
 * Live events on the wire (Redis pub/sub): JSON text, checked on receipt. Anyone with access
 * to Redis can publish on the channel, so a payload is trusted only after it parses.
 */

const CHANNELS = ['webchat', 'cli', 'whatsapp', 'teams'] as const satisfies readonly ChannelName[];
const channel = z.enum(CHANNELS);
const locale = z.enum(SUPPORTED_LOCALES);
const id = z.string().min(1).max(256);

const renderedReply = z.object({
  text: z.string(),
  locale,
  options: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
});

const isoTime = z.string().max(64);
const whatsappStatus = z.object({
  state: z.enum(['not_linked', 'linking', 'waiting_for_scan', 'connecting', 'connected', 'reconnecting', 'replaced', 'logged_out', 'no_owner']),
  phone: z.string().max(32).nullable(),
  qr: z.string().max(2048).nullable(),
  pairingCode: z.string().max(16).nullable(),
  retryAt: isoTime.nullable(),
  lastDisconnect: z.object({ code: z.number().int(), at: isoTime }).nullable(),
  owner: z.string().max(256).nullable(),
  since: isoTime,
  updatedAt: isoTime,
});
const whatsappCommand = z.discriminatedUnion('type', [
  z.object({ type: z.literal('link') }),
  z.object({ type: z.literal('pairing_code'), phone: z.string().regex(/^\d{7,15}$/) }),
  z.object({ type: z.literal('unlink'), staffId: id }),
  z.object({ type: z.literal('status_request') }),
]);

const liveEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('whatsapp.status'), status: whatsappStatus }),
  z.object({ type: z.literal('whatsapp.command'), command: whatsappCommand }),
  z.object({ type: z.literal('escalation.changed'), escalationId: id }),
  z.object({
    type: z.literal('conversation.message'),
    channel,
    conversationId: id,
    entry: z.object({
      author: z.enum(['patient', 'bot', 'staff']),
      authorName: z.string().optional(),
      text: z.string(),
      locale: locale.nullable(),
      at: z.string(),
    }),
  }),
  z.object({
    type: z.literal('outbound'),
    channel,
    conversationId: id,
    message: z.object({
      deliveryId: z.string().optional(),
      author: z.enum(['bot', 'staff']),
      authorName: z.string().optional(),
      replies: z.array(renderedReply),
      at: z.string().optional(),
    }),
  }),
  z.object({ type: z.literal('outbox.ready'), channel }),
]);

export type DecodedLiveEvent = { ok: true; event: LiveEvent } | { ok: false; reason: string };

export function encodeLiveEvent(event: LiveEvent): string {
  return JSON.stringify(event);
}

export function decodeLiveEvent(payload: string): DecodedLiveEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = liveEventSchema.safeParse(raw);
  if (parsed.success) return { ok: true, event: stripUndefined(parsed.data) };
  const issue = parsed.error.issues[0];
  return { ok: false, reason: issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid' };
}

/** zod leaves absent optional fields out already; this only narrows the type to LiveEvent. */
function stripUndefined(event: z.infer<typeof liveEventSchema>): LiveEvent {
  if (event.type !== 'outbound') return event;
  const { deliveryId, authorName, at, ...rest } = event.message;
  return {
    ...event,
    message: {
      ...rest,
      ...(deliveryId === undefined ? {} : { deliveryId }),
      ...(authorName === undefined ? {} : { authorName }),
      ...(at === undefined ? {} : { at }),
    },
  };
}
