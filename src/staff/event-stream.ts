/**
 * src/staff — the console's live feed: Server-Sent Events carrying `escalation.changed` and
 * `conversation.message` from LiveEvents to every signed-in console of this process.
 *
 * One subscription per process fans out to all streams; events keep their order. A stream
 * ends when its session is signed out, disabled or expired (checked at every keep-alive),
 * when the browser goes away, or when the server shuts down (closeAll from a preClose hook:
 * an open stream would otherwise keep Fastify's close() waiting forever).
 */
import type { ServerResponse } from 'node:http';
import type { ChannelName } from '../core/messages.js';
import type { LiveEvent, LiveEvents } from '../core/ports/live-events.js';
import { eventFrame, KEEP_ALIVE_FRAME, startEventStream } from '../http/event-stream.js';

export const KEEP_ALIVE_MS = 20_000;
/** How long a browser waits before reconnecting a dropped stream. */
const RECONNECT_MS = 3_000;

/** What the console may see: escalation changes, and lines of conversations under escalation. */
export type ConsoleEvent = Extract<LiveEvent, { type: 'escalation.changed' | 'conversation.message' }>;

export interface StreamOwner {
  staffId: string;
  tokenHash: string;
}

export interface StaffEventStreams {
  /** Takes over `response` (already hijacked from Fastify) until one of the ends above. */
  open(response: ServerResponse, owner: StreamOwner): void;
  closeSession(tokenHash: string): void;
  closeUser(staffId: string): void;
  /** Ends every stream and stops listening; for shutdown. */
  closeAll(): void;
  readonly size: number;
}

export interface StaffEventStreamsDeps {
  liveEvents: LiveEvents;
  /** A patient's message is shown only while their conversation is escalated. */
  isEscalated(channel: ChannelName, conversationId: string): Promise<boolean>;
  isSessionActive(tokenHash: string): Promise<boolean>;
  onError(error: unknown): void;
  keepAliveMs?: number;
}

interface OpenStream extends StreamOwner {
  response: ServerResponse;
}

function frame(event: ConsoleEvent): string {
  const { type, ...data } = event;
  return eventFrame(type, data);
}

export function createStaffEventStreams(deps: StaffEventStreamsDeps): StaffEventStreams {
  const streams = new Set<OpenStream>();
  let delivering: Promise<void> = Promise.resolve();

  function end(stream: OpenStream): void {
    streams.delete(stream);
    if (!stream.response.writableEnded) stream.response.end();
  }

  function broadcast(text: string): void {
    for (const stream of streams) stream.response.write(text);
  }

  async function visible(event: LiveEvent): Promise<ConsoleEvent | null> {
    if (event.type === 'escalation.changed') return event;
    if (event.type === 'conversation.message') {
      return (await deps.isEscalated(event.channel, event.conversationId)) ? event : null;
    }
    // `outbound` is a delivery to a patient's device, not something for the console.
    return null;
  }

  const unsubscribe = deps.liveEvents.subscribe((event) => {
    if (streams.size === 0) return;
    delivering = delivering
      .then(async () => {
        const shown = await visible(event);
        if (shown) broadcast(frame(shown));
      })
      .catch(deps.onError);
  });

  async function checkSessions(): Promise<void> {
    for (const stream of [...streams]) {
      if (!(await deps.isSessionActive(stream.tokenHash))) end(stream);
    }
  }

  const keepAlive = setInterval(() => {
    broadcast(KEEP_ALIVE_FRAME);
    checkSessions().catch(deps.onError);
  }, deps.keepAliveMs ?? KEEP_ALIVE_MS);
  keepAlive.unref();

  return {
    open(response, owner) {
      const stream: OpenStream = { ...owner, response };
      startEventStream(response, { retryMs: RECONNECT_MS, greeting: eventFrame('ready', {}).trimEnd() });
      response.on('close', () => streams.delete(stream));
      streams.add(stream);
    },
    closeSession(tokenHash) {
      for (const stream of [...streams]) if (stream.tokenHash === tokenHash) end(stream);
    },
    closeUser(staffId) {
      for (const stream of [...streams]) if (stream.staffId === staffId) end(stream);
    },
    closeAll() {
      clearInterval(keepAlive);
      unsubscribe();
      for (const stream of [...streams]) end(stream);
    },
    get size() {
      return streams.size;
    },
  };
}
