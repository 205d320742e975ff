/**
 * Delivery to a patient outside a turn (a staff reply, a follow-up notice), routed by the
 * channel the conversation is on. Each channel registers how it delivers; the staff desk and
 * the follow-ups only see the OutboundSender port.
 */
import type { ChannelName, ConversationKey } from '../core/messages.js';
import type { LiveEvents, OutboundSender, OutgoingMessage } from '../core/ports/live-events.js';

export interface OutboundLog {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface OutboundRegistry extends OutboundSender {
  /** Replaces what was registered for the channel before (a real adapter over a placeholder). */
  register(channel: ChannelName, sender: OutboundSender): void;
  /** This process can no longer deliver on the channel (e.g. it lost the WhatsApp number's lease). */
  unregister(channel: ChannelName): void;
}

export function createOutboundRegistry(log: OutboundLog): OutboundRegistry {
  const senders = new Map<ChannelName, OutboundSender>();
  return {
    register(channel, sender) {
      senders.set(channel, sender);
    },
    unregister(channel) {
      senders.delete(channel);
    },
    async send(conversation, message) {
      const sender = senders.get(conversation.channel);
      if (!sender) {
        log.warn({ channel: conversation.channel }, 'outbound: no sender for this channel; message dropped');
        return;
      }
      await sender.send(conversation, message);
    },
  };
}

/**
 * Web chat and terminal chat: the patient's live connection may be held by whichever process, so
 * delivering is publishing an `outbound` live event; the process that holds the connection
 * forwards it (web chat: Server-Sent Events; terminal chat: prints it).
 */
export function liveEventSender(liveEvents: LiveEvents): OutboundSender {
  return {
    async send(conversation: ConversationKey, message: OutgoingMessage) {
      await liveEvents.publish({ type: 'outbound', channel: conversation.channel, conversationId: conversation.conversationId, message });
    },
  };
}

/** For channels whose adapter cannot deliver outside a turn yet (WhatsApp, Teams): say so, drop it. */
export function droppingSender(log: OutboundLog): OutboundSender {
  return {
    async send(conversation, message) {
      log.warn(
        { channel: conversation.channel, author: message.author, replies: message.replies.length },
        'outbound: this channel cannot deliver messages outside a turn yet; message dropped',
      );
    },
  };
}

/** The registry with every channel this build knows. */
export function createDefaultOutbound(liveEvents: LiveEvents, log: OutboundLog): OutboundRegistry {
  const registry = createOutboundRegistry(log);
  const live = liveEventSender(liveEvents);
  registry.register('webchat', live);
  registry.register('cli', live);
  const dropping = droppingSender(log);
  registry.register('whatsapp', dropping);
  registry.register('teams', dropping);
  return registry;
}
