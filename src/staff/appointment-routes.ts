/**
 * src/staff — today's and tomorrow's appointments with their reminders and confirmation,
 * marking a no-show, and the counts of what became of the reminders sent.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Clinic } from '../config/catalog-schema.js';
import type { BoardEntry, ReminderBoard } from '../reminders/board.js';
import { guard, sendError, type StaffApiContext } from './api-context.js';
import { describeIssue } from './api-schemas.js';

type IdParams = { Params: { id: string } };

const dayQuery = z.object({ day: z.enum(['today', 'tomorrow'], { error: 'must be "today" or "tomorrow"' }).default('today') });
const summaryQuery = z.object({
  days: z.coerce.number({ error: 'must be a whole number of days' }).int({ error: 'must be a whole number of days' }).min(1, { error: 'must be at least 1' }).max(365, { error: 'must be at most 365' }).default(30),
});

function entryJson(entry: BoardEntry, clinic: Clinic) {
  const { appointment, patient } = entry;
  const service = clinic.services.find((s) => s.id === appointment.serviceId);
  const doctor = clinic.doctors.find((d) => d.id === appointment.doctorId);
  return {
    id: appointment.id,
    startsAt: appointment.startsAt.toISOString(),
    endsAt: appointment.endsAt.toISOString(),
    status: appointment.status,
    service: { id: appointment.serviceId, name: service?.text.en.name ?? appointment.serviceId },
    doctor: { id: appointment.doctorId, name: doctor?.names.en ?? appointment.doctorId },
    channel: appointment.bookedFrom?.channel ?? null,
    patient: { id: patient.id, displayName: patient.displayName, locale: patient.locale, remindersOff: patient.remindersOff },
    reminders: entry.reminders.map((r) => ({
      offsetMinutes: r.offsetMinutes,
      startsAt: r.startsAt.toISOString(),
      sentAt: r.sentAt.toISOString(),
      mode: r.mode,
      status: r.status,
      failure: r.failure,
      outcome: r.outcome,
      answeredAt: r.answeredAt?.toISOString() ?? null,
    })),
    nextReminderAt: entry.nextReminderAt?.toISOString() ?? null,
    noReminderReason: entry.noReminderReason,
    started: entry.started,
  };
}

export function registerAppointmentRoutes(api: FastifyInstance, context: StaffApiContext & { board: ReminderBoard; clinic: Clinic }): void {
  const { auth, board, clinic } = context;
  const read = guard(auth, 'staff', false);
  const change = guard(auth, 'staff', true);

  api.get('/staff/api/appointments', read, async (request, reply) => {
    const query = dayQuery.safeParse(request.query ?? {});
    if (!query.success) return sendError(reply, 400, 'invalid_request', describeIssue(query.error));
    const view = await board.day(query.data.day, auth.signedIn(request).user);
    return { day: view.day, date: view.date, timeZone: clinic.timeZone, appointments: view.entries.map((entry) => entryJson(entry, clinic)) };
  });

  api.post<IdParams>('/staff/api/appointments/:id/no-show', change, async (request, reply) => {
    const result = await board.markNoShow(request.params.id, auth.signedIn(request).user);
    switch (result.outcome) {
      case 'marked':
        return { appointment: { id: result.appointment.id, status: result.appointment.status } };
      case 'not_found':
        return sendError(reply, 404, 'not_found', 'no appointment with this id');
      case 'too_early':
        return sendError(reply, 409, 'too_early', 'the appointment has not started yet');
      case 'not_active':
        return sendError(reply, 409, 'not_active', `the appointment is ${result.appointment?.status ?? 'no longer booked'}`);
    }
  });

  api.get('/staff/api/reminders/summary', read, async (request, reply) => {
    const query = summaryQuery.safeParse(request.query ?? {});
    if (!query.success) return sendError(reply, 400, 'invalid_request', describeIssue(query.error));
    const { since, ...counts } = await board.counts(query.data.days);
    return { days: query.data.days, since: since.toISOString(), ...counts };
  });
}
