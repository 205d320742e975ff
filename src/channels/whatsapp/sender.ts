/**
 * The WhatsApp OutboundSender: staff replies, follow-up notices and turn replies to a
 * patient's chat. Each reply is one WhatsApp message ("part"); parts already sent for a
 * delivery id are skipped, so a retried delivery never sends a part twice. Sends are paced.
 * Registered only while this process holds the number (see channel.ts).
 */
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { PermanentDeliveryError } from '../../core/errors.js';
import type { RenderedReply } from '../../core/messages.js';
import type { OutboundSender } from '../../core/ports/live-events.js';
import type { WhatsAppSentLog } from '../../core/ports/whatsapp-state.js';
import { formatOutgoing } from './format.js';
import { isPersonAddress } from './addresses.js';
import type { Pacer } from './pacer.js';
import type { RecentSends } from './recent-sends.js';

/** The open socket, as far as sending needs it. */
export interface SendingSocket {
  newMessageId(): string;
  sendText(jid: string, text: string, messageId: string): Promise<void>;
}

export interface SocketAccess {
  /** The open socket, waiting up to `timeoutMs` for a reconnect; null if none opened in time. */
  waitForOpen(timeoutMs: number): Promise<SendingSocket | null>;
  /** No linked number (logged out, unlinked, never linked): retrying cannot help. */
  needsLinking(): boolean;
}

export interface SenderDeps {
  access: SocketAccess;
  sentLog: WhatsAppSentLog;
  account: string;
  pacer: Pacer;
  recent: RecentSends;
  staffLabel: (reply: RenderedReply) => string;
  /** How long one attempt waits for a dropped socket to come back. */
  waitForOpenMs: number;
  /**
   * True when the chat's patient has written to the clinic before. The bot never writes first
   * (a ban risk, and unwanted): anything else is refused for good.
   */
  wroteBefore: (conversationId: string) => Promise<boolean>;
  /** Attempts per part before the error goes to the caller (which may retry the delivery later). */
  attempts?: number;
  backOffMs?: number;
  onSent?: () => void;
}

function deliveryKey(deliveryId: string): string {
  return createHash('sha256').update(deliveryId).digest('hex');
}

export function createWhatsAppSender(deps: SenderDeps): OutboundSender {
  const attempts = deps.attempts ?? 3;
  const backOffMs = deps.backOffMs ?? 1_000;

  async function sendPart(jid: string, text: string): Promise<string> {
    for (let attempt = 1; ; attempt += 1) {
      if (deps.access.needsLinking()) throw new PermanentDeliveryError('the WhatsApp number is not linked');
      const socket = await deps.access.waitForOpen(deps.waitForOpenMs);
      try {
        if (!socket) throw new Error('WhatsApp is not connected');
        await deps.pacer.wait(jid);
        const messageId = socket.newMessageId();
        // Remembered before sending: Baileys echoes the message back before sendMessage returns.
        deps.recent.remember(messageId, text);
        await socket.sendText(jid, text, messageId);
        return messageId;
      } catch (error) {
        if (attempt >= attempts || deps.access.needsLinking()) throw error;
        await sleep(backOffMs * 2 ** (attempt - 1));
      }
    }
  }

  return {
    async send(conversation, message) {
      if (conversation.channel !== 'whatsapp' || !isPersonAddress(conversation.conversationId)) {
        throw new PermanentDeliveryError('not a WhatsApp chat with one person');
      }
      if (!(await deps.wroteBefore(conversation.conversationId))) {
        throw new PermanentDeliveryError('this person never wrote to the clinic on WhatsApp; the bot does not write first');
      }
      const key = deliveryKey(message.deliveryId ?? randomUUID());
      const parts = formatOutgoing(message, deps.staffLabel);
      const done = await deps.sentLog.sentParts(deps.account, key);
      for (const [part, text] of parts.entries()) {
        if (done.has(part)) continue;
        const waMessageId = await sendPart(conversation.conversationId, text);
        await deps.sentLog.recordSent(deps.account, { deliveryKey: key, part, waMessageId });
        deps.onSent?.();
      }
    },
  };
}
