/**
 * Baileys' `messages.upsert` (both `notify` and `append`, i.e. also what arrived while
 * offline) into pipeline calls, one chat at a time in arrival order. De-duplicating
 * redeliveries is the pipeline's job (exactly-once per conversation and message id); this
 * only drops our own sends echoed back. Turn replies go out through the outbox
 * (`replyVia: 'outbox'`): the pipeline records them in the turn's own commit under the
 * message's delivery id, so a redelivered message is answered once, even after a crash.
 */
import type { MessageUpsertType, WAMessage, WAMessageKey } from '@whiskeysockets/baileys';
import { LRUCache } from 'lru-cache';
import type { InboundMessage } from '../../core/messages.js';
import { pushAnswer } from '../outbound.js';
import type { Assistant } from '../../core/ports/assistant.js';
import type { ConversationControl } from '../../core/ports/conversation-control.js';
import type { OutboundSender } from '../../core/ports/live-events.js';
import type { PatientRepository } from '../../core/ports/records.js';
import type { WhatsAppSentLog } from '../../core/ports/whatsapp-state.js';
import type { Logger } from '../../observability/logger.js';
import { KeyedQueue } from '../../pipeline/keyed-queue.js';
import { phoneOf } from './addresses.js';
import { classify, type ChatAddress, type IgnoreReason } from './incoming.js';
import type { RecentSends } from './recent-sends.js';

/** The socket, as far as receiving needs it. */
export interface ReceivingSocket {
  readMessages(keys: WAMessageKey[]): Promise<void>;
  sendPresenceUpdate(type: 'composing' | 'paused', jid: string): Promise<void>;
  /** The LID of a phone address, or the phone address of a LID, when Baileys has seen the pair. */
  lidForPn(pn: string): Promise<string | null>;
  pnForLid(lid: string): Promise<string | null>;
  /** Our own user ids (phone number and LID), to leave the self chat alone. */
  ownUsers(): string[];
}

export interface InboundCounters {
  received(kind: 'patient' | 'staff' | 'own_echo'): void;
  ignored(reason: IgnoreReason): void;
}

export interface InboundDeps {
  assistant: Assistant;
  conversationControl: ConversationControl;
  /** For notices given without a committed turn (refused, rate-limited, apologies): the outbox too. */
  outbound: OutboundSender;
  patients: PatientRepository;
  sentLog: WhatsAppSentLog;
  account: string;
  recent: RecentSends;
  maxBacklogMs: number;
  counters: InboundCounters;
  log: Logger;
  now?: () => Date;
}

export class WhatsAppInbound {
  private readonly chats = new KeyedQueue();
  private readonly inFlight = new Set<Promise<void>>();
  /** Conversations whose patient (and phone number) this process has recorded already: one write per contact, not per message. */
  private readonly recorded = new LRUCache<string, true>({ max: 50_000 });

  constructor(private readonly deps: InboundDeps) {}

  /** Handles one upsert batch; returns at once, the work runs per chat in order. */
  handleUpsert(socket: ReceivingSocket, upsert: { messages: WAMessage[]; type: MessageUpsertType }): void {
    const now = (this.deps.now ?? (() => new Date()))();
    for (const message of upsert.messages) {
      const incoming = classify(message, upsert.type, { ownUsers: socket.ownUsers(), now, maxBacklogMs: this.deps.maxBacklogMs });
      if (incoming.kind === 'ignore') {
        this.deps.counters.ignored(incoming.reason);
        continue;
      }
      const chatKey = incoming.chat.lid ?? incoming.chat.pn ?? '';
      const work = this.chats.run(chatKey, async () => {
        const conversationId = await this.conversationOf(socket, incoming.chat);
        if (incoming.kind === 'from_me') {
          await this.fromClinicPhone(conversationId, incoming.messageId, incoming.text);
          return;
        }
        await this.fromPatient(socket, message.key, conversationId, incoming);
      });
      this.track(work.catch((error: unknown) => this.deps.log.error({ err: error }, 'whatsapp: inbound message failed')));
    }
  }

  /** Resolves when every message handed in so far has been dealt with (for shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** The LID is the patient's stable id; a phone address stands in only while the LID is unknown. */
  private async conversationOf(socket: ReceivingSocket, chat: ChatAddress): Promise<string> {
    if (chat.lid) return chat.lid;
    const pn = chat.pn ?? '';
    return (await socket.lidForPn(pn).catch(() => null)) ?? pn;
  }

  private async fromPatient(
    socket: ReceivingSocket,
    key: WAMessageKey,
    conversationId: string,
    incoming: Extract<ReturnType<typeof classify>, { kind: 'patient' }>,
  ): Promise<void> {
    this.deps.counters.received('patient');
    const pn = incoming.chat.pn ?? (incoming.chat.lid ? await socket.pnForLid(incoming.chat.lid).catch(() => null) : null);
    await this.recordIdentity(conversationId, pn, incoming.pushName);
    const jid = conversationId;
    await socket.readMessages([key]).catch((error: unknown) => this.deps.log.warn({ err: error }, 'whatsapp: read receipt not sent'));
    await socket.sendPresenceUpdate('composing', jid).catch((error: unknown) => this.deps.log.debug({ err: error }, 'whatsapp: typing not shown'));
    const phone = phoneOf(pn);
    const message: InboundMessage = {
      channel: 'whatsapp',
      conversationId,
      senderId: conversationId,
      messageId: incoming.messageId,
      text: incoming.text,
      ...(incoming.media ? { media: { kind: incoming.media } } : {}),
      ...(phone ? { localeHint: phone } : {}),
      replyVia: 'outbox',
      at: incoming.at,
    };
    const answer = await this.deps.assistant.answer(message);
    // With replies, their delivery ends the typing; without, say we stopped.
    if (answer.replies.length === 0) {
      await socket.sendPresenceUpdate('paused', jid).catch(() => undefined);
      return;
    }
    await pushAnswer(this.deps.outbound, { channel: 'whatsapp', conversationId }, message.messageId, answer);
  }

  /** The patient behind the LID, with the phone number as a second identity so either finds them. */
  private async recordIdentity(conversationId: string, pn: string | null, pushName: string | null): Promise<void> {
    const key = `${conversationId}>${pn ?? ''}`;
    if (this.recorded.has(key)) return;
    const patient = await this.deps.patients.findOrCreateByIdentity({ channel: 'whatsapp', externalId: conversationId }, { displayName: pushName });
    if (pn && pn !== conversationId && !(await this.deps.patients.linkIdentity(patient.id, { channel: 'whatsapp', externalId: pn }))) {
      this.deps.log.warn('whatsapp: this phone number already belongs to another patient record; not linked');
    }
    this.recorded.set(key, true);
  }

  /** Our own send coming back, or a person typing on the clinic's phone: a staff takeover (SPEC §7). */
  private async fromClinicPhone(conversationId: string, messageId: string, text: string): Promise<void> {
    if (this.deps.recent.isOwn(messageId) || (await this.deps.sentLog.wasSentByBot(this.deps.account, messageId))) {
      this.deps.counters.received('own_echo');
      return;
    }
    this.deps.counters.received('staff');
    this.deps.log.info('whatsapp: staff wrote from the clinic phone; the conversation is with staff now');
    await this.deps.conversationControl.staffTookOver({ channel: 'whatsapp', conversationId }, { text });
  }
}
