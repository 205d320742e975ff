import type { InboundMessage, RenderedReply } from '../messages.js';

/** The answer to one inbound message. */
export interface TurnAnswer {
  replies: RenderedReply[];
  /**
   * True when this message id was already answered in this conversation (a redelivery): the
   * replies are the ones given the first time, and nothing was changed again. A channel that
   * pushes replies itself (WhatsApp, Teams) delivers them through the outbound registry with a
   * deliveryId derived from the message, so a patient never gets them twice.
   */
  replayed: boolean;
  /**
   * True when the replies are in the outbox already (the message asked for `replyVia: 'outbox'`
   * and its turn committed, now or on an earlier delivery): the channel must not send them
   * itself. A notice given without a committed turn (refused, rate-limited, an apology) is not.
   */
  queued?: boolean;
}

/** What a channel adapter calls: one inbound message in, the rendered replies out. */
export interface Assistant {
  handle(message: InboundMessage): Promise<RenderedReply[]>;
  /** handle() with whether the answer is a replay of an earlier delivery of the same message. */
  answer(message: InboundMessage): Promise<TurnAnswer>;
}
