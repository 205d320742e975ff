/** src/staff — the queue and one escalation: view, claim, reply, resolve. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Escalation } from '../core/ports/records.js';
import type { DeskRefusal, StaffMember } from '../escalation/staff-desk.js';
import { guard, parseBody, sendError, type StaffApiContext } from './api-context.js';
import { escalationJson, escalationViewJson, queueEntryJson } from './api-json.js';
import { replySchema } from './api-schemas.js';

type IdParams = { Params: { id: string } };

export function registerEscalationRoutes(api: FastifyInstance, context: StaffApiContext): void {
  const { auth, desk, records, now } = context;
  const read = guard(auth, 'staff', false);
  const change = guard(auth, 'staff', true);

  function member(request: Parameters<StaffApiContext['auth']['signedIn']>[0]): StaffMember {
    return auth.signedIn(request).user;
  }

  async function refuse(reply: FastifyReply, refusal: DeskRefusal, escalation?: Escalation): Promise<FastifyReply> {
    switch (refusal) {
      case 'not_found':
        return sendError(reply, 404, 'not_found', 'no escalation with this id');
      case 'closed':
        return sendError(reply, 409, 'resolved', 'this escalation is resolved already');
      case 'already_claimed': {
        const holder = escalation?.claimedBy ? await records.staff.findById(escalation.claimedBy) : null;
        return sendError(reply, 409, 'already_claimed', `already claimed by ${holder?.displayName ?? 'someone else'}`);
      }
      case 'not_claimer':
        return sendError(reply, 409, 'not_claimer', 'only the staff member who claimed this escalation can do that');
    }
  }

  api.get('/staff/api/escalations', read, async () => (await desk.queue()).map(queueEntryJson));

  api.get<IdParams>('/staff/api/escalations/:id', read, async (request, reply) => {
    const result = await desk.view(request.params.id, member(request));
    if (!result.ok) return refuse(reply, result.refusal, result.escalation);
    return escalationViewJson(result.value, now());
  });

  api.post<IdParams>('/staff/api/escalations/:id/claim', change, async (request, reply) => {
    const staff = member(request);
    const result = await desk.claim(request.params.id, staff);
    if (!result.ok) return refuse(reply, result.refusal, result.escalation);
    return { escalation: escalationJson(result.value, { id: staff.id, displayName: staff.displayName }, now()) };
  });

  api.post<IdParams>('/staff/api/escalations/:id/reply', change, async (request, reply) => {
    const body = parseBody(replySchema, request.body, reply);
    if (!body) return reply;
    const staff = member(request);
    const result = await desk.reply(request.params.id, staff, body.text);
    if (!result.ok) return refuse(reply, result.refusal, result.escalation);
    const { text, locale, at } = result.value;
    return reply.code(201).send({ entry: { author: 'staff', authorName: staff.displayName, text, locale, at: at.toISOString() } });
  });

  api.post<IdParams>('/staff/api/escalations/:id/resolve', change, async (request, reply) => {
    const result = await desk.resolve(request.params.id, member(request));
    if (!result.ok) return refuse(reply, result.refusal, result.escalation);
    const claimer = result.value.claimedBy ? await records.staff.findById(result.value.claimedBy) : null;
    const claimedBy = claimer ? { id: claimer.id, displayName: claimer.displayName } : null;
    return { escalation: escalationJson(result.value, claimedBy, now()) };
  });
}
