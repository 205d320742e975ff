/**
 * src/staff — the staff console over HTTP: the page at /staff and the JSON API under
 * /staff/api/. Every API route but signing in runs `requireStaff(role)` first (auth.ts);
 * test/e2e/staff-api.test.ts fails when a route under /staff/api/ is missing from its table.
 *
 * Room: an adapter. Escalation work goes through the StaffDesk; users and sessions through
 * the Records port.
 */
import fastifyCookie from '@fastify/cookie';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clinic } from '../config/catalog-schema.js';
import type { HotStore } from '../core/ports/hot-store.js';
import type { LiveEvents } from '../core/ports/live-events.js';
import type { Records } from '../core/ports/records.js';
import type { WhatsAppLink } from '../core/ports/whatsapp-link.js';
import type { StaffDesk } from '../escalation/staff-desk.js';
import type { Logger } from '../observability/logger.js';
import type { ReminderBoard } from '../reminders/board.js';
import { guard, parseBody, sendError, type StaffApiContext } from './api-context.js';
import { sessionUserJson } from './api-json.js';
import { signInSchema } from './api-schemas.js';
import { createStaffAuth, requireJson, type SignInLimit } from './auth.js';
import { registerAppointmentRoutes } from './appointment-routes.js';
import { registerEscalationRoutes } from './escalation-routes.js';
import { createStaffEventStreams } from './event-stream.js';
import { registerStaffPage } from './page.js';
import { createStaffSessions } from './sessions.js';
import { registerUserRoutes } from './user-routes.js';
import { registerWhatsAppRoutes } from './whatsapp-routes.js';

export interface StaffConsoleDeps {
  records: Records;
  hotStore: HotStore;
  liveEvents: LiveEvents;
  desk: StaffDesk;
  /** Today's and tomorrow's appointments, their reminders, no-shows. */
  board: ReminderBoard;
  clinic: Clinic;
  logger: Logger;
  sessionHours: number;
  /** Secure cookies: everywhere but development (plain http on a laptop). */
  secureCookie: boolean;
  now: () => Date;
  /** Per email and client address; default 10 attempts per 15 minutes. */
  signInLimit?: SignInLimit;
  /** The WhatsApp tab's status and commands; null or absent when WhatsApp is not enabled. */
  whatsapp?: WhatsAppLink | null;
}

const API_BODY_LIMIT = 16 * 1024;

const BODY_ERROR_REASONS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'body: is not valid JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'body: does not match its Content-Length',
};

function apiErrorHandler(logger: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const status = error.statusCode ?? 500;
    if (status === 413) return sendError(reply, 413, 'invalid_request', `body: larger than ${API_BODY_LIMIT} bytes`);
    if (status === 415) return sendError(reply, 415, 'unsupported_media_type', 'content-type: must be application/json');
    if (status >= 400 && status < 500) {
      return sendError(reply, 400, 'invalid_request', BODY_ERROR_REASONS[error.code] ?? 'body: could not be read as JSON');
    }
    logger.error({ err: error, traceId: request.id, route: request.routeOptions.url }, 'staff console: request failed');
    return sendError(reply, 500, 'internal_error', 'the console could not do that; please try again');
  };
}

/** An empty body counts as `{}`: claim and resolve carry nothing but must still be JSON. */
function acceptEmptyJson(api: FastifyInstance): void {
  const parseJson = api.getDefaultJsonParser('error', 'error');
  api.removeContentTypeParser('application/json');
  api.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: API_BODY_LIMIT }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, {});
      return;
    }
    parseJson(request, text, done);
  });
}

function registerSessionRoutes(api: FastifyInstance, context: StaffApiContext): void {
  const { auth, sessions, streams } = context;

  api.post('/staff/api/session', { onRequest: [requireJson] }, async (request, reply) => {
    const body = parseBody(signInSchema, request.body, reply);
    if (!body) return reply;
    const result = await auth.signIn(body.email, body.password, request.ip);
    if (result.outcome === 'rate_limited') {
      const minutes = Math.ceil(result.windowSeconds / 60);
      return sendError(reply.header('retry-after', String(result.windowSeconds)), 429, 'too_many_attempts', `too many sign-in attempts; try again in ${minutes} minutes`);
    }
    if (result.outcome === 'refused') {
      return sendError(reply, 401, 'invalid_credentials', 'wrong email or password, or the account is disabled');
    }
    auth.setSessionCookie(reply, result.token, result.expiresAt);
    return { user: sessionUserJson(result.user) };
  });

  api.get('/staff/api/session', guard(auth, 'staff', false), async (request) => ({
    user: sessionUserJson(auth.signedIn(request).user),
  }));

  // Sign-out needs no JSON body: a cross-site DELETE is impossible without a CORS preflight.
  api.delete('/staff/api/session', guard(auth, 'staff', false), async (request, reply) => {
    const { tokenHash } = auth.signedIn(request);
    await sessions.end(tokenHash);
    streams.closeSession(tokenHash);
    auth.clearSessionCookie(reply);
    return reply.code(204).send();
  });

  api.get('/staff/api/events', guard(auth, 'staff', false), (request, reply) => {
    const { user, tokenHash } = auth.signedIn(request);
    reply.hijack();
    streams.open(reply.raw, { staffId: user.id, tokenHash });
  });
}

/** Registers the page and the API on `app`; the API lives in its own plugin scope. */
export async function registerStaffConsole(app: FastifyInstance, deps: StaffConsoleDeps): Promise<void> {
  registerStaffPage(app);
  await app.register(async (api) => {
    await api.register(fastifyCookie);
    acceptEmptyJson(api);
    api.setErrorHandler(apiErrorHandler(deps.logger));
    // Patient data and session state: no browser or proxy may keep a copy.
    api.addHook('onSend', async (_request, reply) => {
      reply.header('cache-control', 'no-store');
    });

    const sessions = createStaffSessions({ staff: deps.records.staff, lifetimeHours: deps.sessionHours, now: deps.now });
    const auth = createStaffAuth({
      staff: deps.records.staff,
      hotStore: deps.hotStore,
      sessions,
      secureCookie: deps.secureCookie,
      signInLimit: deps.signInLimit ?? { attempts: 10, windowSeconds: 15 * 60 },
      now: deps.now,
    });
    const streams = createStaffEventStreams({
      liveEvents: deps.liveEvents,
      isEscalated: async (channel, conversationId) =>
        (await deps.records.escalations.findOpenForConversation(channel, conversationId)) !== null,
      isSessionActive: (tokenHash) => sessions.isActive(tokenHash),
      onError: (error) => deps.logger.warn({ err: error }, 'staff console: live event not delivered'),
    });
    // Open event streams would keep server.close() waiting for ever.
    api.addHook('preClose', async () => streams.closeAll());

    const context: StaffApiContext = { records: deps.records, desk: deps.desk, auth, sessions, streams, now: deps.now };
    registerSessionRoutes(api, context);
    registerEscalationRoutes(api, context);
    registerUserRoutes(api, context);
    registerAppointmentRoutes(api, { ...context, board: deps.board, clinic: deps.clinic });
    registerWhatsAppRoutes(api, context, { whatsapp: deps.whatsapp ?? null, audit: deps.records.audit, logger: deps.logger });
  });
}
