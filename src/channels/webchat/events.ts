/**
 * Web chat's live stream: `GET /api/webchat/events?conversationId=…` as Server-Sent Events.
 * Staff replies and follow-up notices reach the patient's page this way, from whichever
 * process the staff member or the follow-up ran in (they arrive here as `outbound` live
 * events; see src/channels/outbound.ts).
 *
 * Who may listen: whoever knows the conversation id. The page generates it at random (96
 * bits from crypto.getRandomValues), keeps it in the browser's own storage and sends it only
 * to this server, so knowing it is what "being this patient" means here — exactly as for
 * posting messages to the conversation. Ids are not listed or revealed anywhere else.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { LiveEvent, LiveEvents } from '../../core/ports/live-events.js';
import { conversationIdSchema, describeIssue, toWebchatReply, type WebchatError, type WebchatReply } from './routes.js';
import { eventFrame, KEEP_ALIVE_FRAME, startEventStream } from '../../http/event-stream.js';

export interface WebchatEventsDeps {
  liveEvents: LiveEvents;
  /** A comment line this often keeps proxies and the browser from dropping an idle stream (default 15 s). */
  keepAliveMs?: number;
  /** What the browser waits before reconnecting after the stream drops (default 3 s). */
  retryMs?: number;
  /** Streams one client address may hold open at once in this process; more get 429. */
  maxStreamsPerAddress: number;
}

/** One `outbound` SSE event: what the page shows, labelled by who wrote it. */
export interface WebchatPush {
  author: 'bot' | 'staff';
  authorName?: string;
  replies: WebchatReply[];
  /** ISO time of a staff reply: the page remembers the newest it showed (see staff-replies.ts). */
  at?: string;
}

const querySchema = z.object({ conversationId: conversationIdSchema });

const DEFAULT_KEEP_ALIVE_MS = 15_000;
const DEFAULT_RETRY_MS = 3_000;

function toPush(event: Extract<LiveEvent, { type: 'outbound' }>): WebchatPush {
  const push: WebchatPush = { author: event.message.author, replies: event.message.replies.map(toWebchatReply) };
  if (event.message.authorName) push.authorName = event.message.authorName;
  if (event.message.at) push.at = event.message.at;
  return push;
}

function writeEvent(response: ServerResponse, name: string, data: unknown): void {
  response.write(eventFrame(name, data));
}

export function registerWebchatEvents(app: FastifyInstance, deps: WebchatEventsDeps): void {
  const open = new Set<() => void>();
  const perAddress = new Map<string, number>();
  const keepAliveMs = deps.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;

  // Streams never end on their own: end them before the server waits for open connections.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get('/api/webchat/events', async (request, reply) => {
    const parsed = querySchema.safeParse(request.query);
    if (!parsed.success) {
      return reply.code(400).send({ error: 'invalid_request', reason: describeIssue(parsed.error) } satisfies WebchatError);
    }
    const { conversationId } = parsed.data;
    const address = request.ip;
    const held = perAddress.get(address) ?? 0;
    if (held >= deps.maxStreamsPerAddress) {
      return reply.code(429).send({
        error: 'too_many_streams',
        reason: `at most ${deps.maxStreamsPerAddress} live streams per client address`,
      } satisfies WebchatError);
    }
    perAddress.set(address, held + 1);
    reply.hijack();
    const response = reply.raw;
    startEventStream(response, { retryMs: deps.retryMs ?? DEFAULT_RETRY_MS, greeting: ': connected' });

    const unsubscribe = deps.liveEvents.subscribe((event) => {
      if (event.type === 'outbound' && event.channel === 'webchat' && event.conversationId === conversationId) {
        writeEvent(response, 'outbound', toPush(event));
      }
    });
    const keepAlive = setInterval(() => response.write(KEEP_ALIVE_FRAME), keepAliveMs);
    keepAlive.unref();
    const end = (): void => {
      if (!open.delete(end)) return;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
      clearInterval(keepAlive);
      unsubscribe();
      response.end();
    };
    open.add(end);
    response.on('close', end);
  });
}
