/** src/staff — admin only: the staff users (list, create, change, disable). */
import type { FastifyInstance } from 'fastify';
import type { StaffUserChanges } from '../core/ports/records.js';
import { guard, parseBody, sendError, type StaffApiContext } from './api-context.js';
import { staffUserJson } from './api-json.js';
import { newUserSchema, userChangesSchema } from './api-schemas.js';
import { hashPassword } from './passwords.js';

type IdParams = { Params: { id: string } };

export function registerUserRoutes(api: FastifyInstance, context: StaffApiContext): void {
  const { auth, records, streams } = context;
  const read = guard(auth, 'admin', false);
  const change = guard(auth, 'admin', true);

  api.get('/staff/api/users', read, async () => (await records.staff.list()).map(staffUserJson));

  api.post('/staff/api/users', change, async (request, reply) => {
    const body = parseBody(newUserSchema, request.body, reply);
    if (!body) return reply;
    const created = await records.staff.create({
      email: body.email,
      displayName: body.displayName,
      role: body.role,
      passwordHash: await hashPassword(body.password),
    });
    if (created.outcome === 'email_taken') {
      return sendError(reply, 409, 'email_taken', `email: ${body.email} already has a staff account`);
    }
    return reply.code(201).send({ user: staffUserJson(created.user) });
  });

  api.patch<IdParams>('/staff/api/users/:id', change, async (request, reply) => {
    const body = parseBody(userChangesSchema, request.body, reply);
    if (!body) return reply;
    const { password, ...rest } = body;
    const changes: StaffUserChanges = { ...rest, ...(password === undefined ? {} : { passwordHash: await hashPassword(password) }) };
    const updated = await records.staff.update(request.params.id, changes);
    if (updated.outcome === 'not_found') return sendError(reply, 404, 'not_found', 'no staff user with this id');
    if (updated.outcome === 'last_admin') {
      return sendError(reply, 409, 'last_admin', 'the clinic must keep at least one enabled admin; make someone else admin first');
    }
    // Their sessions are gone already (disabled, or a new password); end their live feeds too.
    if (changes.disabled === true || changes.passwordHash !== undefined) streams.closeUser(updated.user.id);
    return { user: staffUserJson(updated.user) };
  });
}
