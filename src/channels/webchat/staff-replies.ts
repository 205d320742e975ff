/**
 * Web chat's catch-up: `GET /api/webchat/staff-replies?conversationId=…&after=<ISO time>`.
 * A staff reply reaches the page live only while its event stream is open (events.ts); the
 * page calls this each time the stream opens, so what staff wrote while it was closed or
 * offline still appears.
 *
 * Who may read: whoever knows the conversation id — the same trust model as the event stream
 * and as posting messages (see events.ts): the id is 96 random bits the page keeps to itself.
 * Only staff replies are returned, never the rest of the transcript.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Locale } from '../../core/locale.js';
import { conversationIdSchema, describeIssue, toWebchatReply, type WebchatError, type WebchatReply } from './routes.js';

/** A staff reply as the system of record keeps it. */
export interface StoredStaffReply {
  authorName: string | null;
  text: string;
  locale: Locale;
  at: Date;
}

export interface WebchatStaffRepliesDeps {
  /** This web chat conversation's staff replies strictly after `after`, oldest first. */
  staffRepliesSince(conversationId: string, after: Date): Promise<StoredStaffReply[]>;
}

/** One reply in the response: what the live stream carries for it, with its time. */
export interface WebchatStaffReply extends WebchatReply {
  authorName?: string;
  /** ISO time; the page sends the newest it has shown as the next `after`. */
  at: string;
}

const querySchema = z.object({
  conversationId: conversationIdSchema,
  after: z.iso.datetime({
    offset: true,
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be an ISO 8601 time, e.g. 2026-03-02T10:00:00.000Z'),
  }),
});

function toStaffReply(stored: StoredStaffReply): WebchatStaffReply {
  const reply: WebchatStaffReply = { ...toWebchatReply({ text: stored.text, locale: stored.locale }), at: stored.at.toISOString() };
  if (stored.authorName) reply.authorName = stored.authorName;
  return reply;
}

export function registerWebchatStaffReplies(app: FastifyInstance, deps: WebchatStaffRepliesDeps): void {
  app.get('/api/webchat/staff-replies', async (request, reply) => {
    const parsed = querySchema.safeParse(request.query);
    if (!parsed.success) {
      return reply.code(400).send({ error: 'invalid_request', reason: describeIssue(parsed.error) } satisfies WebchatError);
    }
    const { conversationId, after } = parsed.data;
    const replies = await deps.staffRepliesSince(conversationId, new Date(after));
    return reply.header('cache-control', 'no-store').send({ replies: replies.map(toStaffReply) });
  });
}
