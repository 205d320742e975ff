/**
 * Delivery to a patient outside their own HTTP turn (a staff reply, a follow-up notice, a reply
 * pushed on WhatsApp or Teams), through the outbox. Whoever produces such a message records it
 * in the `outbox` table — in the same transaction as what caused it, where there is one — and a
 * delivery loop in every process hands the messages of the channels that process can deliver on
 * to the channel's sender, retrying with back-off, idempotent on the message's delivery id.
 * A channel that is down delays delivery; it never loses it. Each channel registers how it
 * delivers; the staff desk and the follow-ups only see the OutboundSender port.
 */
import { randomUUID } from 'node:crypto';
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { turnDeliveryId, type ChannelName, type ConversationKey } from '../core/messages.js';
import type { TurnAnswer } from '../core/ports/assistant.js';
import { PermanentDeliveryError } from '../core/errors.js';
import type { LiveEvents, OutboundSender, OutgoingMessage } from '../core/ports/live-events.js';
import type { OutboxItem, Records } from '../core/ports/records.js';
import type { DeliveryOutcome } from '../observability/metrics.js';

export interface OutboundLog {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface OutboundSettings {
  /** How often an idle loop looks for due messages (a wake-up comes sooner). */
  pollIntervalMs: number;
  /** Messages taken per look. */
  batchSize: number;
  /** A taken message is hidden from other processes this long (its taker may die mid-send). */
  attemptLeaseMs: number;
  /** Attempts before a message is recorded as failed for good. */
  maxAttempts: number;
  /** The first retry waits this long; each next one twice as long, with jitter, up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
}

export const DEFAULT_OUTBOUND_SETTINGS: OutboundSettings = {
  pollIntervalMs: 1_000,
  batchSize: 20,
  attemptLeaseMs: 60_000,
  maxAttempts: 8,
  retryBaseMs: 1_000,
  retryMaxMs: 5 * 60_000,
};

/**
 * Writing down how an attempt ended is retried a few times at once: a taken message stays
 * hidden for the whole attempt lease, so one lost write (a dropped connection, a slow pool)
 * would otherwise delay a sent or failed message's record, or a retry, by a minute.
 */
const recordOutcome = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 1_000 }) });

export interface OutboundRegistry extends OutboundSender {
  /** This process delivers the channel's messages with `sender` (replaces an earlier one). */
  register(channel: ChannelName, sender: OutboundSender): void;
  /** This process can no longer deliver on the channel (e.g. it lost the WhatsApp number's lease). */
  unregister(channel: ChannelName): void;
  /** Messages for the channel were committed to the outbox: deliver them now, in whichever process can. */
  wake(channel: ChannelName): void;
  /**
   * Called when a message is given up on (a PermanentDeliveryError, or its last attempt), after
   * it is recorded as failed: e.g. a reminder is then marked undeliverable. A listener's error is logged.
   */
  onDeliveryFailed(listener: DeliveryFailureListener): void;
  /** Starts the delivery loop. */
  start(): void;
  /** Stops taking messages and waits for the one being delivered. */
  close(): Promise<void>;
}

export type DeliveryFailureListener = (failure: { deliveryId: string; channel: ChannelName; reason: string }) => Promise<void>;

export interface OutboundDeps {
  records: Records;
  liveEvents: LiveEvents;
  log: OutboundLog;
  recordDelivery?: (channel: ChannelName, outcome: DeliveryOutcome) => void;
  settings?: Partial<OutboundSettings>;
}

export function createOutbound(deps: OutboundDeps): OutboundRegistry {
  const settings = { ...DEFAULT_OUTBOUND_SETTINGS, ...deps.settings };
  const { records, log } = deps;
  const senders = new Map<ChannelName, OutboundSender>();
  const failureListeners: DeliveryFailureListener[] = [];
  let running = false;
  let loop: Promise<void> = Promise.resolve();
  let woken = false;
  let wakeUp: (() => void) | null = null;

  const stopListening = deps.liveEvents.subscribe((event) => {
    if (event.type === 'outbox.ready' && senders.has(event.channel)) wakeLocally();
  });

  function wakeLocally(): void {
    woken = true;
    wakeUp?.();
  }

  function pause(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wakeUp = null;
        woken = false;
        resolve();
      }
      wakeUp = done;
    });
  }

  function retryDelay(attempts: number): number {
    const base = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(base / 2 + Math.random() * (base / 2));
  }

  async function deliver(item: OutboxItem): Promise<void> {
    const { channel } = item.conversation;
    const sender = senders.get(channel);
    // Unregistered since it was taken: the attempt lease runs out and a process that can deliver takes it.
    if (!sender) return;
    try {
      await sender.send(item.conversation, { ...item.message, deliveryId: item.deliveryId });
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError || item.attempts >= settings.maxAttempts;
      const reason = error instanceof Error ? error.message : String(error);
      const retryInMs = permanent ? null : retryDelay(item.attempts);
      await recordOutcome.execute(() => records.outbox.markAttemptFailed(item.id, reason, retryInMs));
      deps.recordDelivery?.(channel, permanent ? 'failed' : 'retry');
      const details = { channel, outboxId: item.id, attempts: item.attempts, err: error };
      if (!permanent) {
        log.warn({ ...details, retryInMs }, 'outbound: delivery failed; will retry');
        return;
      }
      log.error(details, 'outbound: delivery failed for good; recorded as failed');
      for (const listener of failureListeners) {
        await listener({ deliveryId: item.deliveryId, channel, reason }).catch((listenerError: unknown) =>
          log.warn({ err: listenerError, outboxId: item.id }, 'outbound: a delivery-failure listener failed'),
        );
      }
      return;
    }
    await recordOutcome.execute(() => records.outbox.markSent(item.id));
    deps.recordDelivery?.(channel, 'sent');
  }

  async function run(): Promise<void> {
    while (running) {
      const channels = [...senders.keys()];
      let taken = 0;
      try {
        if (channels.length > 0) {
          const items = await records.outbox.takeDue(channels, settings.batchSize, settings.attemptLeaseMs);
          taken = items.length;
          for (const item of items) {
            if (!running) break;
            await deliver(item);
          }
        }
      } catch (error) {
        log.warn({ err: error }, 'outbound: the outbox could not be read; trying again shortly');
      }
      if (running && taken < settings.batchSize) await pause(settings.pollIntervalMs);
    }
  }

  function wake(channel: ChannelName): void {
    if (senders.has(channel)) wakeLocally();
    deps.liveEvents
      .publish({ type: 'outbox.ready', channel })
      .catch((error: unknown) => log.warn({ err: error, channel }, 'outbound: wake-up not published; the poll will find it'));
  }

  return {
    register(channel, sender) {
      senders.set(channel, sender);
      wakeLocally();
    },
    unregister(channel) {
      senders.delete(channel);
    },
    onDeliveryFailed(listener) {
      failureListeners.push(listener);
    },
    wake,
    async send(conversation: ConversationKey, message: OutgoingMessage) {
      const deliveryId = message.deliveryId ?? randomUUID();
      await records.outbox.add([{ deliveryId, conversation, patientId: null, message: { ...message, deliveryId } }]);
      wake(conversation.channel);
    },
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async close() {
      running = false;
      stopListening();
      wakeLocally();
      await loop;
    },
  };
}

/**
 * For channels that push their replies (WhatsApp, Teams), after `assistant.answer()` of a
 * message sent with `replyVia: 'outbox'`: a committed turn's replies are in the outbox already
 * (`queued`), so nothing is sent here; a notice given without a turn (media only, too long, too
 * many messages, an apology) is sent once for this arrival, under an id of its own, so it never
 * takes the place of the real answer a later redelivery of the message may get.
 */
export async function pushAnswer(outbound: OutboundSender, conversation: ConversationKey, messageId: string, answer: TurnAnswer): Promise<void> {
  if (answer.queued || answer.replies.length === 0) return;
  const deliveryId = `notice:${turnDeliveryId(conversation, messageId)}:${randomUUID()}`;
  await outbound.send(conversation, { author: 'bot', replies: answer.replies, deliveryId });
}

/**
 * Web chat and terminal chat: the patient's live connection may be held by whichever process, so
 * delivering is publishing an `outbound` live event; the process that holds the connection
 * forwards it (web chat: Server-Sent Events; terminal chat: prints it). A page that was closed
 * finds staff replies in the transcript when it comes back.
 */
export function liveEventSender(liveEvents: LiveEvents): OutboundSender {
  return {
    async send(conversation: ConversationKey, message: OutgoingMessage) {
      await liveEvents.publish({ type: 'outbound', channel: conversation.channel, conversationId: conversation.conversationId, message });
    },
  };
}

/** The registry with the channels every build can deliver on (WhatsApp and Teams register when enabled). */
export function createDefaultOutbound(deps: OutboundDeps): OutboundRegistry {
  const registry = createOutbound(deps);
  const live = liveEventSender(deps.liveEvents);
  registry.register('webchat', live);
  registry.register('cli', live);
  return registry;
}
