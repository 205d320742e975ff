/**
 * What the staff console shows about appointments and their reminders: a day's appointments
 * (today or tomorrow, clinic time) with each one's reminders and confirmation, the counts of
 * what became of the reminders sent, and marking a no-show (audited).
 *
 * Room: reminders domain, over the Records port.
 */
import { DateTime } from 'luxon';
import type { Clinic } from '../config/catalog-schema.js';
import type { Appointment, Records } from '../core/ports/records.js';
import type { DayAppointment, ReminderCounts, ReminderRecord } from '../core/ports/reminders.js';
import { reminderSendTime } from './schedule.js';

export type BoardDay = 'today' | 'tomorrow';

/** Why an appointment gets no (more) reminders. */
export type NoReminderReason = 'not_booked_here' | 'patient_off' | 'clinic_off' | 'not_booked_status' | null;

export interface BoardEntry extends DayAppointment {
  /** When the next reminder is planned (none sent for it yet), or null. */
  nextReminderAt: Date | null;
  noReminderReason: NoReminderReason;
  /** The visit's time has come: staff may mark a no-show. */
  started: boolean;
}

export interface BoardDayView {
  day: BoardDay;
  /** The clinic-time date, e.g. "2031-01-15". */
  date: string;
  entries: BoardEntry[];
}

export type NoShowResult =
  | { outcome: 'marked'; appointment: Appointment }
  | { outcome: 'not_found' | 'too_early' | 'not_active'; appointment?: Appointment };

export interface ReminderBoard {
  day(day: BoardDay, staff: { id: string }): Promise<BoardDayView>;
  /** Reminders sent in the last `days` days, by what became of them. */
  counts(days: number): Promise<ReminderCounts & { since: Date }>;
  markNoShow(appointmentId: string, staff: { id: string }): Promise<NoShowResult>;
}

export function createReminderBoard(deps: { clinic: Clinic; records: Records; now: () => Date }): ReminderBoard {
  const { clinic, records } = deps;
  const settings = clinic.reminders;

  function noReminderReason(entry: DayAppointment): NoReminderReason {
    if (!settings.enabled) return 'clinic_off';
    if (!entry.appointment.bookedFrom) return 'not_booked_here';
    if (entry.patient.remindersOff) return 'patient_off';
    if (entry.appointment.status !== 'booked') return 'not_booked_status';
    return null;
  }

  /** The earliest planned reminder time not sent yet for the appointment's current time. */
  function nextReminderAt(appointment: Appointment, sent: ReminderRecord[], now: Date): Date | null {
    const planned = settings.offsetsMinutes
      .filter((offset) => !sent.some((r) => r.offsetMinutes === offset && r.startsAt.getTime() === appointment.startsAt.getTime()))
      .map((offset) => reminderSendTime({ startsAt: appointment.startsAt, offsetMinutes: offset, timeSetAt: appointment.timeSetAt, window: settings.sendWindow, zone: clinic.timeZone }))
      .filter((at): at is Date => at !== null && at.getTime() >= now.getTime() - 60_000)
      .sort((a, b) => a.getTime() - b.getTime());
    return planned[0] ?? null;
  }

  return {
    async day(day, staff) {
      const now = deps.now();
      const start = DateTime.fromJSDate(now, { zone: clinic.timeZone }).startOf('day').plus({ days: day === 'today' ? 0 : 1 });
      const listed = await records.reminders.listStartingBetween(start.toJSDate(), start.plus({ days: 1 }).toJSDate());
      // Staff read patient data here: one audit row per view, naming whose.
      await records.audit.record({
        actorType: 'staff',
        actorId: staff.id,
        action: 'appointments.viewed',
        patientId: null,
        details: { day: start.toISODate(), patientIds: [...new Set(listed.map((entry) => entry.patient.id))] },
      });
      return {
        day,
        date: start.toISODate() ?? '',
        entries: listed.map((entry) => {
          const reason = noReminderReason(entry);
          return {
            ...entry,
            noReminderReason: reason,
            nextReminderAt: reason === null ? nextReminderAt(entry.appointment, entry.reminders, now) : null,
            started: entry.appointment.startsAt.getTime() <= now.getTime(),
          };
        }),
      };
    },

    async counts(days) {
      const since = new Date(deps.now().getTime() - days * 86_400_000);
      return { ...(await records.reminders.countSince(since)), since };
    },

    async markNoShow(appointmentId, staff) {
      return records.transaction(async (tx) => {
        const result = await tx.appointments.markNoShow(appointmentId, deps.now());
        if (result.outcome === 'marked') {
          await tx.audit.record({
            actorType: 'staff',
            actorId: staff.id,
            action: 'appointment.no_show',
            patientId: result.appointment.patientId,
            details: { appointmentId, startsAt: result.appointment.startsAt.toISOString() },
          });
        }
        return result;
      });
    },
  };
}
