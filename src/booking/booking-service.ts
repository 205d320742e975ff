import { randomUUID } from 'node:crypto';
import type { Clinic } from '../config/catalog-schema.js';
import { ACTIVE_APPOINTMENT_STATUSES, type Appointment } from '../core/ports/records.js';
import { NO_REMINDERS, type ReminderHooks } from '../core/ports/reminders.js';
import type { UnitOfWork } from '../core/ports/unit-of-work.js';
import type {
  AppointmentSummary,
  CancelOutcome,
  ConfirmOutcome,
  FindSlotsInput,
  FindSlotsOutput,
  SaveOutcome,
  Slot,
} from '../../statecharts/conversation.js';
import { DateTime, Interval } from 'luxon';
import { clinicClock } from './clinic-clock.js';
import { computeFreeSlots, doctorsFor, isWithinWorkingHours, searchWindow } from './availability.js';

export interface BookingServiceDeps {
  clinic: Clinic;
  now: () => Date;
  /** How many slots a menu offers. */
  slotLimit?: number;
  /** Told after each change commits, to schedule or drop reminders. */
  reminders?: ReminderHooks;
}

/** Every method works through the turn's unit of work: its writes commit with the turn. */
export interface BookingService {
  /** Free slots for the request; when the named day is full, the nearest ones after it (nearest: true). */
  findSlots(work: UnitOfWork, input: FindSlotsInput): Promise<FindSlotsOutput>;
  book(work: UnitOfWork, patientId: string, slot: Slot): Promise<SaveOutcome>;
  reschedule(work: UnitOfWork, patientId: string, appointmentId: string, slot: Slot): Promise<SaveOutcome>;
  cancel(work: UnitOfWork, patientId: string, appointmentId: string): Promise<CancelOutcome>;
  /** The patient confirmed they are coming (answering a reminder). */
  confirm(work: UnitOfWork, patientId: string, appointmentId: string): Promise<ConfirmOutcome>;
  listUpcoming(work: UnitOfWork, patientId: string): Promise<AppointmentSummary[]>;
}

const BOT_ACTOR = { actorType: 'bot' as const, actorId: 'assistant' };

export function createBookingService(deps: BookingServiceDeps): BookingService {
  const { clinic, now } = deps;
  const limit = deps.slotLimit ?? 4;
  const reminders = deps.reminders ?? NO_REMINDERS;

  /** After the commit: the reminders follow the change, and count the reminders it answered. */
  function afterCommit(work: UnitOfWork, change: (at: Date) => Promise<void>): void {
    work.afterCommit(async ({ at, reminderAnswers }) => {
      reminders.answered(reminderAnswers);
      await change(at);
    });
  }

  async function findSlots(work: UnitOfWork, input: FindSlotsInput): Promise<FindSlotsOutput> {
    const slots = await searchSlots(work, input);
    if (slots.length > 0 || !input.date || input.date.anyDay) return { slots };
    // The named day is full: the nearest free times after it serve better than "pick another day",
    // still at the times asked for ("Friday after 3pm" → the next days, after 3pm).
    const dayStart = clinicClock(clinic.timeZone).dayOf(Date.parse(input.date.start)).toJSDate();
    const nearest = await searchSlots(work, { ...input, date: { ...input.date, anyDay: true } }, dayStart);
    return nearest.length > 0 ? { slots: nearest, nearest: true } : { slots: [] };
  }

  async function searchSlots(work: UnitOfWork, input: FindSlotsInput, notBefore?: Date): Promise<Slot[]> {
    const records = work.reader();
    const query = { serviceId: input.serviceId, doctorId: input.doctorId, date: input.date, now: now(), limit, ...(notBefore ? { notBefore } : {}) };
    const full = searchWindow(clinic, query);
    const moving = input.excludeAppointmentId ? await records.appointments.findById(input.excludeAppointmentId) : null;
    const doctorIds = doctorsFor(clinic, query.serviceId, query.doctorId).map((d) => d.id);
    // Most searches end within a week; reading a week of bookings first keeps the busy list short.
    const clock = clinicClock(clinic.timeZone);
    const firstWeek = Interval.fromDateTimes(full.start!, DateTime.min(full.end!, clock.endOfDay(clock.dayOf(full.start!.toMillis()), 7)));
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

  /**
   * Whether nobody holds the slot now (the appointment being moved aside). The commit checks it
   * again; a slot lost between here and there makes the turn run again, seeing it taken.
   */
  async function isFree(work: UnitOfWork, slot: Slot, moving: Appointment | null): Promise<boolean> {
    const startsAt = new Date(slot.startsAt);
    if (work.isTaken(slot.doctorId, startsAt)) return false;
    const busy = await work.reader().appointments.listBusy([slot.doctorId], startsAt, new Date(slot.endsAt));
    return busy.every((b) => moving !== null && b.doctorId === moving.doctorId && b.startsAt.getTime() === moving.startsAt.getTime());
  }

  async function ownBookedAppointment(work: UnitOfWork, patientId: string, appointmentId: string): Promise<Appointment | null> {
    const appointment = await work.reader().appointments.findById(appointmentId);
    return appointment && appointment.patientId === patientId && ACTIVE_APPOINTMENT_STATUSES.includes(appointment.status) ? appointment : null;
  }

  /** Times nearest the one just lost (same day first, then the earliest), never the lost one. */
  async function freshAlternatives(work: UnitOfWork, slot: Slot, excludeAppointmentId: string | null): Promise<SaveOutcome> {
    const near = { start: slot.startsAt, hasTime: true };
    const sameDay = await searchSlots(work, { serviceId: slot.serviceId, doctorId: null, date: near, excludeAppointmentId });
    const slots = sameDay.some((s) => s.id !== slot.id)
      ? sameDay
      : await searchSlots(work, { serviceId: slot.serviceId, doctorId: null, date: null, excludeAppointmentId });
    return { status: 'taken', slots: slots.filter((s) => s.id !== slot.id) };
  }

  return {
    findSlots,

    async book(work, patientId, slot) {
      if (!isBookable(slot) || !(await isFree(work, slot, null))) return freshAlternatives(work, slot, null);
      const appointment = {
        id: randomUUID(),
        patientId,
        doctorId: slot.doctorId,
        serviceId: slot.serviceId,
        startsAt: new Date(slot.startsAt),
        endsAt: new Date(slot.endsAt),
      };
      work.changeAppointment({ op: 'book', appointment });
      work.audit({ ...BOT_ACTOR, action: 'appointment.booked', patientId, details: describe(appointment) });
      afterCommit(work, (at) => reminders.timeSet({ id: appointment.id, startsAt: appointment.startsAt, timeSetAt: at }));
      return { status: 'saved' };
    },

    async reschedule(work, patientId, appointmentId, slot) {
      const current = await ownBookedAppointment(work, patientId, appointmentId);
      if (!current) return { status: 'gone' };
      if (!isBookable(slot) || !(await isFree(work, slot, current))) return freshAlternatives(work, slot, appointmentId);
      const startsAt = new Date(slot.startsAt);
      const endsAt = new Date(slot.endsAt);
      work.changeAppointment({ op: 'reschedule', appointmentId, patientId, doctorId: slot.doctorId, startsAt, endsAt });
      work.audit({ ...BOT_ACTOR, action: 'appointment.rescheduled', patientId, details: describe({ ...current, doctorId: slot.doctorId, startsAt }) });
      afterCommit(work, (at) => reminders.timeSet({ id: appointmentId, startsAt, timeSetAt: at }, current));
      return { status: 'saved' };
    },

    async cancel(work, patientId, appointmentId) {
      const current = await ownBookedAppointment(work, patientId, appointmentId);
      if (!current) return { status: 'gone' };
      work.changeAppointment({ op: 'cancel', appointmentId, patientId });
      work.audit({ ...BOT_ACTOR, action: 'appointment.cancelled', patientId, details: describe(current) });
      afterCommit(work, () => reminders.drop(current));
      return { status: 'cancelled' };
    },

    async confirm(work, patientId, appointmentId) {
      const current = await ownBookedAppointment(work, patientId, appointmentId);
      if (!current) return { status: 'gone' };
      work.changeAppointment({ op: 'confirm', appointmentId, patientId });
      work.audit({ ...BOT_ACTOR, action: 'appointment.confirmed', patientId, details: describe(current) });
      afterCommit(work, () => reminders.drop(current));
      return { status: 'confirmed' };
    },

    async listUpcoming(work, patientId) {
      const appointments = await work.reader().appointments.listUpcomingForPatient(patientId, now());
      work.audit({ ...BOT_ACTOR, action: 'appointments.listed', patientId, details: { count: appointments.length } });
      return appointments.map((a) => ({
        id: a.id,
        doctorId: a.doctorId,
        serviceId: a.serviceId,
        startsAt: a.startsAt.toISOString(),
      }));
    },
  };
}

function describe(appointment: Pick<Appointment, 'id' | 'doctorId' | 'serviceId' | 'startsAt'>): Record<string, unknown> {
  return {
    appointmentId: appointment.id,
    doctorId: appointment.doctorId,
    serviceId: appointment.serviceId,
    startsAt: appointment.startsAt.toISOString(),
  };
}
