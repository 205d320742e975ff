/**
 * src/staff — admin only: the WhatsApp tab. The linked number's status (live over its own
 * event stream), the QR code as an image, a pairing code for a phone number, and unlinking.
 * Works from every process: commands reach the process that holds the number (see
 * src/channels/whatsapp/status-board.ts). Requests are audited here, outcomes by the holder.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import type { AuditRepository } from '../core/ports/records.js';
import type { WhatsAppLink, WhatsAppStatus } from '../core/ports/whatsapp-link.js';
import { eventFrame, KEEP_ALIVE_FRAME, startEventStream } from '../http/event-stream.js';
import type { Logger } from '../observability/logger.js';
import { guard, parseBody, sendError, type StaffApiContext } from './api-context.js';
import { pairingPhoneSchema } from './api-schemas.js';

const KEEP_ALIVE_MS = 20_000;

/** What the page gets: the status with the QR code drawn, never the raw QR text. */
export interface WhatsAppStatusJson extends Omit<WhatsAppStatus, 'qr'> {
  enabled: true;
  qrImage: string | null;
}

/** QR codes change every 20–60 s; drawing each once is enough. */
function qrImages(): (qr: string | null) => Promise<string | null> {
  let last: { qr: string; image: Promise<string> } | null = null;
  return (qr) => {
    if (!qr) return Promise.resolve(null);
    if (last?.qr !== qr) last = { qr, image: QRCode.toDataURL(qr, { errorCorrectionLevel: 'M', margin: 2, width: 288 }) };
    return last.image;
  };
}

export function registerWhatsAppRoutes(
  api: FastifyInstance,
  context: StaffApiContext,
  deps: { whatsapp: WhatsAppLink | null; audit: AuditRepository; logger: Logger },
): void {
  const { auth } = context;
  const read = guard(auth, 'admin', false);
  const change = guard(auth, 'admin', true);
  const { whatsapp } = deps;
  const draw = qrImages();

  async function statusJson(status: WhatsAppStatus): Promise<WhatsAppStatusJson> {
    const { qr, ...rest } = status;
    return { ...rest, enabled: true, qrImage: await draw(qr) };
  }

  /** Commands need a process holding the number; without one they would go nowhere. */
  function refusal(link: WhatsAppLink, wantsLink: boolean): { status: number; error: string; reason: string } | null {
    const { state } = link.status();
    if (state === 'no_owner') return { status: 409, error: 'no_owner', reason: 'no running process holds the WhatsApp connection right now; try again in a few seconds' };
    if (wantsLink && state === 'connected') return { status: 409, error: 'already_linked', reason: 'a number is linked; unlink it first' };
    return null;
  }

  function auditRequest(staffId: string, action: string, details: Record<string, unknown> = {}): Promise<void> {
    return deps.audit.record({ actorType: 'staff', actorId: staffId, action, patientId: null, details });
  }

  api.get('/staff/api/whatsapp', read, async () => (whatsapp ? statusJson(whatsapp.status()) : { enabled: false }));

  const streams = new Set<ServerResponse>();
  api.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
    streams.clear();
  });

  api.get('/staff/api/whatsapp/events', read, async (request, reply) => {
    if (!whatsapp) return sendError(reply, 404, 'not_enabled', 'WhatsApp is not enabled (WHATSAPP_ENABLED)');
    const { tokenHash } = auth.signedIn(request);
    reply.hijack();
    const response = reply.raw;
    startEventStream(response, { retryMs: 3_000, greeting: ': whatsapp' });
    streams.add(response);
    let sending = Promise.resolve();
    const push = (status: WhatsAppStatus): void => {
      sending = sending
        .then(async () => {
          if (!response.writableEnded) response.write(eventFrame('whatsapp.status', await statusJson(status)));
        })
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'staff console: WhatsApp status not sent'));
    };
    push(whatsapp.status());
    const stop = whatsapp.onStatus(push);
    const keepAlive = setInterval(() => {
      response.write(KEEP_ALIVE_FRAME);
      void context.sessions.isActive(tokenHash).then((active) => {
        if (!active) response.end();
      });
    }, KEEP_ALIVE_MS);
    keepAlive.unref();
    response.on('close', () => {
      clearInterval(keepAlive);
      stop();
      streams.delete(response);
    });
    return reply;
  });

  api.post('/staff/api/whatsapp/link', change, async (request, reply) => {
    if (!whatsapp) return sendError(reply, 404, 'not_enabled', 'WhatsApp is not enabled (WHATSAPP_ENABLED)');
    const refused = refusal(whatsapp, true);
    if (refused) return sendError(reply, refused.status, refused.error, refused.reason);
    await auditRequest(auth.signedIn(request).user.id, 'whatsapp.link_requested', { method: 'qr' });
    await whatsapp.command({ type: 'link' });
    return reply.code(202).send({ requested: 'link' });
  });

  api.post('/staff/api/whatsapp/pairing-code', change, async (request, reply) => {
    const body = parseBody(pairingPhoneSchema, request.body, reply);
    if (!body) return reply;
    if (!whatsapp) return sendError(reply, 404, 'not_enabled', 'WhatsApp is not enabled (WHATSAPP_ENABLED)');
    const refused = refusal(whatsapp, true);
    if (refused) return sendError(reply, refused.status, refused.error, refused.reason);
    await auditRequest(auth.signedIn(request).user.id, 'whatsapp.link_requested', { method: 'pairing_code' });
    await whatsapp.command({ type: 'pairing_code', phone: body.phone });
    return reply.code(202).send({ requested: 'pairing_code' });
  });

  api.post('/staff/api/whatsapp/unlink', change, async (request, reply) => {
    if (!whatsapp) return sendError(reply, 404, 'not_enabled', 'WhatsApp is not enabled (WHATSAPP_ENABLED)');
    const refused = refusal(whatsapp, false);
    if (refused) return sendError(reply, refused.status, refused.error, refused.reason);
    const staffId = auth.signedIn(request).user.id;
    await auditRequest(staffId, 'whatsapp.unlink_requested');
    await whatsapp.command({ type: 'unlink', staffId });
    return reply.code(202).send({ requested: 'unlink' });
  });
}
