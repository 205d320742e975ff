/** src/db/queries — appointment reminders sent, and the appointments reminders are about. */
import { isLocale } from '../../core/locale.js';
import type { ChannelName } from '../../core/messages.js';
import type {
  DayAppointment,
  ReminderCounts,
  ReminderKey,
  ReminderMode,
  ReminderOutcome,
  ReminderRecord,
  ReminderRepository,
  RemindableAppointment,
} from '../../core/ports/reminders.js';
import { APPOINTMENT_COLUMNS, toAppointment, type AppointmentRow } from './appointments.js';
import { isUuid, type QueryScope } from './scope.js';

interface ReminderRow {
  appointment_id: string;
  offset_minutes: string | number;
  starts_at: Date;
  patient_id: string;
  channel: ChannelName;
  conversation_id: string;
  delivery_id: string;
  mode: ReminderMode;
  status: 'sent' | 'undeliverable';
  failure: string | null;
  outcome: ReminderOutcome | null;
  sent_at: Date;
  answered_at: Date | null;
}

const REMINDER_COLUMNS =
  'appointment_id, offset_minutes, starts_at, patient_id, channel, conversation_id, delivery_id, mode, status, failure, outcome, sent_at, answered_at';

function toRecord(row: ReminderRow): ReminderRecord {
  return {
    appointmentId: row.appointment_id,
    offsetMinutes: Number(row.offset_minutes),
    startsAt: row.starts_at,
    patientId: row.patient_id,
    conversation: { channel: row.channel, conversationId: row.conversation_id },
    deliveryId: row.delivery_id,
    mode: row.mode,
    sentAt: row.sent_at,
    status: row.status,
    failure: row.failure,
    outcome: row.outcome,
    answeredAt: row.answered_at,
  };
}

/** Columns of `appointments a` for a join. */
const JOINED_APPOINTMENT = APPOINTMENT_COLUMNS.split(', ')
  .map((column) => `a.${column}`)
  .join(', ');

export function reminderRepository(scope: QueryScope): ReminderRepository {
  /** The reminders of these appointments, by appointment id. */
  async function remindersOf(appointmentIds: string[]): Promise<Map<string, ReminderRecord[]>> {
    const byAppointment = new Map<string, ReminderRecord[]>();
    if (appointmentIds.length === 0) return byAppointment;
    const rows = await scope.sql.query<ReminderRow>(
      `select ${REMINDER_COLUMNS} from appointment_reminders where appointment_id = any($1::uuid[]) order by sent_at, id`,
      [appointmentIds],
    );
    for (const row of rows) {
      const list = byAppointment.get(row.appointment_id) ?? [];
      list.push(toRecord(row));
      byAppointment.set(row.appointment_id, list);
    }
    return byAppointment;
  }

  return {
    async lockAppointment(appointmentId) {
      if (!isUuid(appointmentId)) return null;
      const [row] = await scope.sql.query<AppointmentRow>(`select ${APPOINTMENT_COLUMNS} from appointments where id = $1 for update`, [appointmentId]);
      return row ? toAppointment(row) : null;
    },

    async recordSent(reminder) {
      const inserted = await scope.sql.query<{ id: string }>(
        `insert into appointment_reminders
           (appointment_id, offset_minutes, starts_at, patient_id, channel, conversation_id, delivery_id, mode, sent_at)
         values ($1, $2::text::numeric, $3::timestamptz, $4, $5, $6, $7, $8, $9::timestamptz)
         on conflict do nothing
         returning id::text as id`,
        [
          reminder.appointmentId,
          String(reminder.offsetMinutes),
          reminder.startsAt,
          reminder.patientId,
          reminder.conversation.channel,
          reminder.conversation.conversationId,
          reminder.deliveryId,
          reminder.mode,
          reminder.sentAt,
        ],
      );
      return inserted.length > 0;
    },

    async markUndeliverable(deliveryId, failure) {
      const [row] = await scope.sql.query<ReminderRow>(
        `update appointment_reminders set status = 'undeliverable', failure = left($2, 500)
          where delivery_id = $1
          returning ${REMINDER_COLUMNS}`,
        [deliveryId, failure],
      );
      return row ? toRecord(row) : null;
    },

    async listRemindable(from, to) {
      const rows = await scope.sql.query<AppointmentRow>(
        `select ${JOINED_APPOINTMENT}
           from appointments a
           join patients p on p.id = a.patient_id
          where a.status = 'booked' and a.booked_conversation_id is not null
            and a.starts_at > $1::timestamptz and a.starts_at <= $2::timestamptz
            and p.reminders_off_at is null and p.erased_at is null
          order by a.starts_at, a.id`,
        [from, to],
      );
      const sent = await remindersOf(rows.map((row) => row.id));
      const remindable: RemindableAppointment[] = [];
      for (const row of rows) {
        const appointment = toAppointment(row);
        if (!appointment.bookedFrom) continue;
        const keys: ReminderKey[] = (sent.get(row.id) ?? []).map(({ appointmentId, offsetMinutes, startsAt }) => ({ appointmentId, offsetMinutes, startsAt }));
        remindable.push({ appointment: { ...appointment, bookedFrom: appointment.bookedFrom }, sent: keys });
      }
      return remindable;
    },

    async listStartingBetween(from, to) {
      const rows = await scope.sql.query<
        AppointmentRow & { display_name: string | null; preferred_locale: string | null; reminders_off_at: Date | null }
      >(
        `select ${JOINED_APPOINTMENT}, p.display_name, p.preferred_locale, p.reminders_off_at
           from appointments a
           join patients p on p.id = a.patient_id
          where a.starts_at >= $1::timestamptz and a.starts_at < $2::timestamptz
          order by a.starts_at, a.doctor_id, a.id`,
        [from, to],
      );
      const reminders = await remindersOf(rows.map((row) => row.id));
      return rows.map(
        (row): DayAppointment => ({
          appointment: toAppointment(row),
          patient: {
            id: row.patient_id,
            displayName: row.display_name,
            locale: isLocale(row.preferred_locale) ? row.preferred_locale : null,
            remindersOff: row.reminders_off_at !== null,
          },
          reminders: reminders.get(row.id) ?? [],
        }),
      );
    },

    async countSince(since) {
      const [row] = await scope.sql.query<Record<keyof ReminderCounts, number>>(
        `select count(*)::int as sent,
                count(*) filter (where outcome = 'confirmed')::int as confirmed,
                count(*) filter (where outcome = 'changed')::int as changed,
                count(*) filter (where outcome = 'cancelled')::int as cancelled,
                count(*) filter (where outcome is null and status = 'sent')::int as "notAnswered",
                count(*) filter (where status = 'undeliverable')::int as undeliverable
           from appointment_reminders
          where sent_at >= $1::timestamptz`,
        [since],
      );
      return row ?? { sent: 0, confirmed: 0, changed: 0, cancelled: 0, notAnswered: 0, undeliverable: 0 };
    },
  };
}
