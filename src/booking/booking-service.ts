import type { Clinic } from '../config/catalog-schema.js';
import { SlotTakenError } from '../core/errors.js';
import type { Appointment, Records } from '../core/ports/records.js';
import type {
  AppointmentSummary,
  CancelOutcome,
  FindSlotsInput,
  FindSlotsOutput,
  SaveOutcome,
  Slot,
} from '../../statecharts/conversation.js';
import { DateTime, Interval } from 'luxon';
import { computeFreeSlots, doctorsFor, isWithinWorkingHours, searchWindow } from './availability.js';

export interface BookingServiceDeps {
  clinic: Clinic;
  records: Records;
  now: () => Date;
  /** How many slots a menu offers. */
  slotLimit?: number;
}

export interface BookingService {
  /** Free slots for the request; when the named day is full, the nearest ones after it (nearest: true). */
  findSlots(input: FindSlotsInput): Promise<FindSlotsOutput>;
  book(patientId: string, slot: Slot): Promise<SaveOutcome>;
  reschedule(patientId: string, appointmentId: string, slot: Slot): Promise<SaveOutcome>;
  cancel(patientId: string, appointmentId: string): Promise<CancelOutcome>;
  listUpcoming(patientId: string): Promise<AppointmentSummary[]>;
}

const BOT_ACTOR = { actorType: 'bot' as const, actorId: 'assistant' };

export function createBookingService(deps: BookingServiceDeps): BookingService {
  const { clinic, records, now } = deps;
  const limit = deps.slotLimit ?? 4;

  async function findSlots(input: FindSlotsInput): Promise<FindSlotsOutput> {
    const slots = await searchSlots(input);
    if (slots.length > 0 || !input.date || input.date.anyDay) return { slots };
    // The named day is full: the nearest free times after it serve better than "pick another day",
    // still at the times asked for ("Friday after 3pm" → the next days, after 3pm).
    const dayStart = DateTime.fromISO(input.date.start, { zone: clinic.timeZone }).startOf('day').toJSDate();
    const nearest = await searchSlots({ ...input, date: { ...input.date, anyDay: true } }, dayStart);
    return nearest.length > 0 ? { slots: nearest, nearest: true } : { slots: [] };
  }

  async function searchSlots(input: FindSlotsInput, notBefore?: Date): Promise<Slot[]> {
    const query = { serviceId: input.serviceId, doctorId: input.doctorId, date: input.date, now: now(), limit, ...(notBefore ? { notBefore } : {}) };
    const full = searchWindow(clinic, query);
    const moving = input.excludeAppointmentId ? await records.appointments.findById(input.excludeAppointmentId) : null;
    const doctorIds = doctorsFor(clinic, query.serviceId, query.doctorId).map((d) => d.id);
    // Most searches end within a week; reading a week of bookings first keeps the busy list short.
    const firstWeek = Interval.fromDateTimes(full.start!, DateTime.min(full.end!, full.start!.plus({ days: 7 }).endOf('day')));
    for (const window of query.date && !query.date.anyDay ? [full] : [firstWeek, full]) {
      const busy = (await records.appointments.listBusy(doctorIds, window.start!.toJSDate(), window.end!.toJSDate())).filter(
        (b) => !(moving && b.doctorId === moving.doctorId && b.startsAt.getTime() === moving.startsAt.getTime()),
      );
      const slots = computeFreeSlots(clinic, query, busy, window);
      if (slots.length >= limit || window === full) return slots;
    }
    return [];
  }

  /** A slot is written only if it is still a real, future slot of that doctor for that service. */
  function isBookable(slot: Slot): boolean {
    const service = clinic.services.find((s) => s.id === slot.serviceId);
    const doctor = clinic.doctors.find((d) => d.id === slot.doctorId);
    if (!service || !doctor || !doctor.services.includes(service.id)) return false;
    const start = new Date(slot.startsAt);
    const end = new Date(slot.endsAt);
    if (Number.isNaN(start.getTime()) || end.getTime() - start.getTime() !== service.durationMinutes * 60_000) return false;
    if (start.getTime() < now().getTime()) return false;
    return isWithinWorkingHours(clinic, doctor, start, end);
  }

  /** Times nearest the one just lost (same day first, then the earliest), never the lost one. */
  async function freshAlternatives(slot: Slot, excludeAppointmentId: string | null): Promise<SaveOutcome> {
    const near = { start: slot.startsAt, hasTime: true };
    const sameDay = await searchSlots({ serviceId: slot.serviceId, doctorId: null, date: near, excludeAppointmentId });
    const slots = sameDay.some((s) => s.id !== slot.id)
      ? sameDay
      : await searchSlots({ serviceId: slot.serviceId, doctorId: null, date: null, excludeAppointmentId });
    return { status: 'taken', slots: slots.filter((s) => s.id !== slot.id) };
  }

  return {
    findSlots,

    async book(patientId, slot) {
      if (!isBookable(slot)) return freshAlternatives(slot, null);
      try {
        await records.transaction(async (tx) => {
          const appointment = await tx.appointments.create({
            patientId,
            doctorId: slot.doctorId,
            serviceId: slot.serviceId,
            startsAt: new Date(slot.startsAt),
            endsAt: new Date(slot.endsAt),
          });
          await tx.audit.record({ ...BOT_ACTOR, action: 'appointment.booked', patientId, details: describe(appointment) });
        });
        return { status: 'saved' };
      } catch (error) {
        if (error instanceof SlotTakenError) return freshAlternatives(slot, null);
        throw error;
      }
    },

    async reschedule(patientId, appointmentId, slot) {
      if (!isBookable(slot)) return freshAlternatives(slot, appointmentId);
      try {
        const moved = await records.transaction(async (tx) => {
          const appointment = await tx.appointments.reschedule(
            appointmentId,
            patientId,
            new Date(slot.startsAt),
            new Date(slot.endsAt),
          );
          if (appointment) {
            await tx.audit.record({ ...BOT_ACTOR, action: 'appointment.rescheduled', patientId, details: describe(appointment) });
          }
          return appointment;
        });
        return moved ? { status: 'saved' } : { status: 'gone' };
      } catch (error) {
        if (error instanceof SlotTakenError) return freshAlternatives(slot, appointmentId);
        throw error;
      }
    },

    async cancel(patientId, appointmentId) {
      const cancelled = await records.transaction(async (tx) => {
        const appointment = await tx.appointments.cancel(appointmentId, patientId);
        if (appointment) {
          await tx.audit.record({ ...BOT_ACTOR, action: 'appointment.cancelled', patientId, details: describe(appointment) });
        }
        return appointment;
      });
      return cancelled ? { status: 'cancelled' } : { status: 'gone' };
    },

    async listUpcoming(patientId) {
      const appointments = await records.appointments.listUpcomingForPatient(patientId, now());
      await records.audit.record({
        ...BOT_ACTOR,
        action: 'appointments.listed',
        patientId,
        details: { count: appointments.length },
      });
      return appointments.map((a) => ({
        id: a.id,
        doctorId: a.doctorId,
        serviceId: a.serviceId,
        startsAt: a.startsAt.toISOString(),
      }));
    },
  };
}

function describe(appointment: Appointment): Record<string, unknown> {
  return {
    appointmentId: appointment.id,
    doctorId: appointment.doctorId,
    serviceId: appointment.serviceId,
    startsAt: appointment.startsAt.toISOString(),
  };
}
