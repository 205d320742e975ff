/** src/db/queries — appointments. Double bookings are refused by the database itself. */
import { SlotTakenError } from '../../core/errors.js';
import type { ChannelName } from '../../core/messages.js';
import type {
  Appointment,
  AppointmentRepository,
  AppointmentStatus,
  BusyInterval,
} from '../../core/ports/records.js';
import { SQLSTATE, sqlState, violatedConstraint } from '../sql-errors.js';
import { isUuid, type QueryScope } from './scope.js';

/** The exclusion constraint of migrations/001_initial.sql. */
const NO_OVERLAP_CONSTRAINT = 'appointments_no_overlap';

export interface AppointmentRow {
  id: string;
  patient_id: string;
  doctor_id: string;
  service_id: string;
  starts_at: Date;
  ends_at: Date;
  status: AppointmentStatus;
  created_at: Date;
  booked_channel: ChannelName | null;
  booked_conversation_id: string | null;
  time_set_at: Date;
}

export const APPOINTMENT_COLUMNS =
  'id, patient_id, doctor_id, service_id, starts_at, ends_at, status, created_at, booked_channel, booked_conversation_id, time_set_at';
const COLUMNS = APPOINTMENT_COLUMNS;

/** Statuses holding the doctor's time (the exclusion constraint's, migrations/006_reminders.sql). */
const ACTIVE = `status in ('booked', 'confirmed')`;

export function toAppointment(row: AppointmentRow): Appointment {
  return {
    id: row.id,
    patientId: row.patient_id,
    doctorId: row.doctor_id,
    serviceId: row.service_id,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    status: row.status,
    createdAt: row.created_at,
    bookedFrom:
      row.booked_channel && row.booked_conversation_id ? { channel: row.booked_channel, conversationId: row.booked_conversation_id } : null,
    timeSetAt: row.time_set_at,
  };
}

function assertInterval(startsAt: Date, endsAt: Date): void {
  if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime())) {
    throw new RangeError('Appointment times must be valid dates');
  }
  if (endsAt.getTime() <= startsAt.getTime()) {
    throw new RangeError('An appointment must end after it starts');
  }
}

/** Same SQLSTATE from pg and PGlite: 23P01, with the constraint name. */
function isOverlap(error: unknown): boolean {
  if (sqlState(error) !== SQLSTATE.exclusionViolation) return false;
  const constraint = violatedConstraint(error);
  return constraint === undefined || constraint === NO_OVERLAP_CONSTRAINT;
}

async function refusingOverlap<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isOverlap(error)) throw new SlotTakenError();
    throw error;
  }
}

/**
 * Bookings of one doctor on one day take a transaction-scoped advisory lock first
 * (`lock_doctor_days`, migrations/003_exactly_once.sql; the turn's commit takes the same). The
 * exclusion constraint alone keeps double bookings out, but two transactions inserting clashing
 * rows at once each wait for the other and PostgreSQL breaks the deadlock only after
 * deadlock_timeout (1 s): fifty patients racing for one slot would queue a second apiece. With
 * the lock they queue for milliseconds, and the constraint still has the last word.
 */

export function appointmentRepository(scope: QueryScope): AppointmentRepository {
  return {
    /** Chronological (then by doctor id). */
    async listBusy(doctorIds, from, to) {
      if (doctorIds.length === 0) return [];
      // The range test matches the exclusion constraint's (partial GiST) index.
      // Epoch milliseconds (float8, exact for them): a slot search reads many rows, and parsing
      // timestamp text into Dates was a noticeable share of a turn.
      const rows = await scope.sql.query<{ doctor_id: string; starts_ms: number; ends_ms: number }>(
        `select doctor_id,
                (extract(epoch from starts_at) * 1000)::float8 as starts_ms,
                (extract(epoch from ends_at) * 1000)::float8 as ends_ms
           from appointments
          where ${ACTIVE}
            and doctor_id = any($1::text[])
            and tstzrange(starts_at, ends_at, '[)') && tstzrange($2::timestamptz, $3::timestamptz, '[)')
          order by starts_at, doctor_id`,
        [doctorIds, from, to],
      );
      return rows.map(
        (row): BusyInterval => ({ doctorId: row.doctor_id, startsAt: new Date(Number(row.starts_ms)), endsAt: new Date(Number(row.ends_ms)) }),
      );
    },

    async create(input) {
      assertInterval(input.startsAt, input.endsAt);
      const rows = await refusingOverlap(() =>
        scope.guarded((sql) =>
          sql.query<AppointmentRow>(
            `with doctor_lock as (select lock_doctor_days($2::text, $4::timestamptz, $5::timestamptz))
             insert into appointments (patient_id, doctor_id, service_id, starts_at, ends_at)
             select $1, $2, $3, $4::timestamptz, $5::timestamptz from doctor_lock
             returning ${COLUMNS}`,
            [input.patientId, input.doctorId, input.serviceId, input.startsAt, input.endsAt],
          ),
        ),
      );
      const row = rows[0];
      if (!row) throw new Error('insert into appointments returned no row');
      return toAppointment(row);
    },

    async reschedule(appointmentId, patientId, startsAt, endsAt) {
      assertInterval(startsAt, endsAt);
      if (!isUuid(appointmentId) || !isUuid(patientId)) return null;
      const rows = await refusingOverlap(() =>
        scope.guarded((sql) =>
          sql.query<AppointmentRow>(
            `with doctor_lock as (
               select lock_doctor_days(doctor_id, $3::timestamptz, $4::timestamptz) from appointments where id = $1
             )
             update appointments
                set starts_at = $3::timestamptz, ends_at = $4::timestamptz, status = 'booked', time_set_at = now(), updated_at = now()
               from doctor_lock
              where id = $1 and patient_id = $2 and ${ACTIVE}
              returning ${COLUMNS.split(', ').map((c) => `appointments.${c}`).join(', ')}`,
            [appointmentId, patientId, startsAt, endsAt],
          ),
        ),
      );
      const row = rows[0];
      return row ? toAppointment(row) : null;
    },

    async cancel(appointmentId, patientId) {
      if (!isUuid(appointmentId) || !isUuid(patientId)) return null;
      const rows = await scope.sql.query<AppointmentRow>(
        `update appointments
            set status = 'cancelled', updated_at = now()
          where id = $1 and patient_id = $2 and ${ACTIVE}
          returning ${COLUMNS}`,
        [appointmentId, patientId],
      );
      const row = rows[0];
      return row ? toAppointment(row) : null;
    },

    async findById(appointmentId) {
      if (!isUuid(appointmentId)) return null;
      const rows = await scope.sql.query<AppointmentRow>(`select ${COLUMNS} from appointments where id = $1`, [
        appointmentId,
      ]);
      const row = rows[0];
      return row ? toAppointment(row) : null;
    },

    async listUpcomingForPatient(patientId, from) {
      if (!isUuid(patientId)) return [];
      const rows = await scope.sql.query<AppointmentRow>(
        `select ${COLUMNS}
           from appointments
          where patient_id = $1 and ${ACTIVE} and starts_at >= $2::timestamptz
          order by starts_at, id`,
        [patientId, from],
      );
      return rows.map(toAppointment);
    },

    async markNoShow(appointmentId, now) {
      if (!isUuid(appointmentId)) return { outcome: 'not_found' };
      const [marked] = await scope.sql.query<AppointmentRow>(
        `update appointments set status = 'no_show', updated_at = now()
          where id = $1 and ${ACTIVE} and starts_at <= $2::timestamptz
          returning ${COLUMNS}`,
        [appointmentId, now],
      );
      if (marked) return { outcome: 'marked', appointment: toAppointment(marked) };
      const [row] = await scope.sql.query<AppointmentRow>(`select ${COLUMNS} from appointments where id = $1`, [appointmentId]);
      if (!row) return { outcome: 'not_found' };
      const appointment = toAppointment(row);
      return { outcome: row.status === 'booked' || row.status === 'confirmed' ? 'too_early' : 'not_active', appointment };
    },
  };
}
