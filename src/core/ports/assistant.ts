import type { InboundMessage, RenderedReply } from '../messages.js';

/** What a channel adapter calls: one inbound message in, the rendered replies out. */
export interface Assistant {
  handle(message: InboundMessage): Promise<RenderedReply[]>;
}
