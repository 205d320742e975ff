/**
 * Appointment reminders: scheduling a delayed job per reminder time when an appointment gets
 * its time (removing the old ones when it moves, is cancelled or confirmed), running a due job
 * as a system event of the conversation the appointment was booked in, and reconciling at
 * start-up and periodically what a crash between a commit and its scheduling left out.
 *
 * Exactly once: a job's id names the appointment, the reminder time, the start time and when it
 * was set, so every process schedules the same job; and when it fires, the conversation's turn
 * checks in the database that the appointment still has that time and is not confirmed, and
 * records the reminder as sent in the same transaction as its outbox message — a second run
 * (another process, a retry, a restart) finds it sent and sends nothing.
 *
 * Room: reminders domain. It talks to the world through ports only: records, the scheduler,
 * the conversation control (the pipeline) and the metrics it is handed.
 */
import type { Clinic } from '../config/catalog-schema.js';
import type { ConversationControl } from '../core/ports/conversation-control.js';
import type { Appointment, Records } from '../core/ports/records.js';
import {
  isReminderDelivery,
  reminderDeliveryId,
  type AppointmentTime,
  type ReminderHooks,
  type ReminderJob,
  type ReminderMode,
  type ReminderOutcome,
  type ReminderScheduler,
} from '../core/ports/reminders.js';
import { isInSendWindow, nextSendTimeAfter, reminderSendTime } from './schedule.js';

/** What became of a reminder, as /metrics counts it (clinic_reminders_total). */
export type ReminderMetric = 'sent' | 'info_only' | 'deferred' | 'skipped' | 'stale' | 'duplicate' | 'undeliverable' | ReminderOutcome;

export interface ReminderLog {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface RemindersDeps {
  clinic: Clinic;
  records: Records;
  scheduler: ReminderScheduler;
  control: Pick<ConversationControl, 'remind'>;
  recordReminder: (outcome: ReminderMetric) => void;
  log: ReminderLog;
  now: () => Date;
}

export interface Reminders extends ReminderHooks {
  /** Runs a due reminder job; safe to run twice, also in two processes at once. */
  fire(job: ReminderJob): Promise<void>;
  /** Schedules the reminders due within the next day that no job may exist for; returns how many were (re)scheduled. */
  reconcile(): Promise<number>;
  /** The outbox gave up on a message: if it was a reminder, it is recorded as undeliverable. */
  deliveryFailed(deliveryId: string, reason: string): Promise<void>;
}

/** A job that fires this long after its planned time still counts as on time (the planned time may be the window's edge). */
const ON_TIME_MS = 5 * 60_000;
/** Reconciliation schedules the reminders due within this much time; later ones at a later run. */
const RECONCILE_HORIZON_MS = 24 * 3_600_000;

const SYSTEM = { actorType: 'system' as const, actorId: 'reminders' };

export function createReminders(deps: RemindersDeps): Reminders {
  const { clinic, records, scheduler, log } = deps;
  const settings = clinic.reminders;

  function jobFor(appointment: AppointmentTime, offsetMinutes: number): ReminderJob {
    return {
      appointmentId: appointment.id,
      offsetMinutes,
      startsAt: appointment.startsAt.toISOString(),
      timeSetAt: appointment.timeSetAt.toISOString(),
    };
  }

  function plannedTime(appointment: AppointmentTime, offsetMinutes: number): Date | null {
    return reminderSendTime({
      startsAt: appointment.startsAt,
      offsetMinutes,
      timeSetAt: appointment.timeSetAt,
      window: settings.sendWindow,
      zone: clinic.timeZone,
    });
  }

  async function scheduleAll(appointment: AppointmentTime, horizon: number | null): Promise<number> {
    const now = deps.now().getTime();
    let scheduled = 0;
    for (const offset of settings.offsetsMinutes) {
      const at = plannedTime(appointment, offset);
      if (!at || (horizon !== null && at.getTime() > now + horizon)) continue;
      await scheduler.schedule(jobFor(appointment, offset), at.getTime() - now);
      scheduled += 1;
    }
    return scheduled;
  }

  async function drop(appointment: AppointmentTime): Promise<void> {
    for (const offset of settings.offsetsMinutes) await scheduler.remove(jobFor(appointment, offset));
  }

  /** Still the appointment the job was scheduled for: booked (not confirmed), same time, from a conversation. */
  function isCurrent(appointment: Appointment | null, job: ReminderJob): appointment is Appointment & { bookedFrom: NonNullable<Appointment['bookedFrom']> } {
    return (
      appointment !== null &&
      appointment.status === 'booked' &&
      appointment.bookedFrom !== null &&
      appointment.startsAt.getTime() === Date.parse(job.startsAt) &&
      appointment.timeSetAt.getTime() === Date.parse(job.timeSetAt)
    );
  }

  function outcome(metric: ReminderMetric, job: ReminderJob, why: string): void {
    deps.recordReminder(metric);
    log.info({ appointmentId: job.appointmentId, offsetMinutes: job.offsetMinutes, outcome: metric }, `reminder: ${why}`);
  }

  /** Whether it may go now: inside the window, or at the time planned for it (the window's edge, give or take). */
  function mayGoNow(job: ReminderJob, appointment: AppointmentTime, now: Date): boolean {
    if (isInSendWindow(now, settings.sendWindow, clinic.timeZone)) return true;
    const planned = job.notBefore ? new Date(job.notBefore) : plannedTime(appointment, job.offsetMinutes);
    return planned !== null && now.getTime() >= planned.getTime() && now.getTime() - planned.getTime() <= ON_TIME_MS;
  }

  async function fire(job: ReminderJob): Promise<void> {
    if (!settings.enabled || !settings.offsetsMinutes.includes(job.offsetMinutes)) return outcome('stale', job, 'reminders or this reminder time are off in the clinic file');
    const appointment = await records.appointments.findById(job.appointmentId);
    if (!isCurrent(appointment, job)) return outcome('stale', job, 'the appointment changed since it was scheduled');
    const patient = await records.patients.findById(appointment.patientId);
    if (!patient || patient.remindersOff) return outcome('skipped', job, 'the patient turned reminders off');
    const now = deps.now();
    if (appointment.startsAt.getTime() <= now.getTime()) return outcome('skipped', job, 'the appointment has started');
    if (!mayGoNow(job, appointment, now)) {
      const next = nextSendTimeAfter(now, appointment.startsAt, settings.sendWindow, clinic.timeZone);
      if (!next) return outcome('skipped', job, 'due in the quiet hours, and the visit comes before they end');
      await scheduler.schedule({ ...job, notBefore: next.toISOString() }, next.getTime() - now.getTime());
      return outcome('deferred', job, 'due in the quiet hours; moved to the end of them');
    }
    const key = { appointmentId: appointment.id, offsetMinutes: job.offsetMinutes, startsAt: appointment.startsAt };
    const deliveryId = reminderDeliveryId(key);
    const conversation = appointment.bookedFrom;
    const result = await deps.control.remind(
      conversation,
      {
        appointment: { id: appointment.id, doctorId: appointment.doctorId, serviceId: appointment.serviceId, startsAt: appointment.startsAt.toISOString() },
        patientId: patient.id,
        locale: patient.preferredLocale ?? clinic.defaultLocale,
        deliveryId,
      },
      async (tx, turn) => {
        // Checked again under the appointment's row lock: a reschedule or a second run waits for us, or we for it.
        const current = await tx.reminders.lockAppointment(appointment.id);
        if (!isCurrent(current, job)) return { apply: false, value: 'stale' as const };
        if ((await tx.patients.findById(patient.id))?.remindersOff !== false) return { apply: false, value: 'skipped' as const };
        const mode: ReminderMode = turn.state.startsWith('reminded') ? 'prompt' : 'info';
        const sent = await tx.reminders.recordSent({ ...key, patientId: patient.id, conversation, deliveryId, mode, sentAt: now });
        if (!sent) return { apply: false, value: 'duplicate' as const };
        await tx.audit.record({
          ...SYSTEM,
          action: 'reminder.sent',
          patientId: patient.id,
          details: { appointmentId: appointment.id, offsetMinutes: job.offsetMinutes, startsAt: key.startsAt.toISOString(), channel: conversation.channel, mode },
        });
        return { apply: true, value: mode };
      },
    );
    switch (result) {
      case 'prompt':
        return outcome('sent', job, 'sent');
      case 'info':
        return outcome('info_only', job, 'sent as information only (the patient was busy, or staff have the conversation)');
      case 'duplicate':
        return outcome('duplicate', job, 'sent before; not again');
      default:
        return outcome(result, job, 'not sent: it changed meanwhile');
    }
  }

  return {
    fire,

    async timeSet(appointment, previous) {
      if (previous) await drop(previous);
      if (settings.enabled) await scheduleAll(appointment, null);
    },

    drop,

    answered(answers) {
      for (const answer of answers) deps.recordReminder(answer.outcome);
    },

    async reconcile() {
      if (!settings.enabled || settings.offsetsMinutes.length === 0) return 0;
      const now = deps.now();
      const latest = new Date(now.getTime() + RECONCILE_HORIZON_MS + Math.max(...settings.offsetsMinutes) * 60_000);
      let scheduled = 0;
      for (const { appointment, sent } of await records.reminders.listRemindable(now, latest)) {
        const unsent = (offset: number) => !sent.some((key) => key.offsetMinutes === offset && key.startsAt.getTime() === appointment.startsAt.getTime());
        for (const offset of settings.offsetsMinutes.filter(unsent)) {
          const at = plannedTime(appointment, offset);
          if (!at || at.getTime() > now.getTime() + RECONCILE_HORIZON_MS) continue;
          await scheduler.schedule(jobFor(appointment, offset), at.getTime() - now.getTime());
          scheduled += 1;
        }
      }
      return scheduled;
    },

    async deliveryFailed(deliveryId, reason) {
      if (!isReminderDelivery(deliveryId)) return;
      // The mark and its audit line together: whoever sees the reminder undeliverable sees why.
      const reminder = await records.transaction(async (tx) => {
        const marked = await tx.reminders.markUndeliverable(deliveryId, reason);
        if (!marked) return null;
        await tx.audit.record({
          ...SYSTEM,
          action: 'reminder.undeliverable',
          patientId: marked.patientId,
          details: { appointmentId: marked.appointmentId, channel: marked.conversation.channel, reason: reason.slice(0, 200) },
        });
        return marked;
      });
      if (!reminder) return;
      deps.recordReminder('undeliverable');
      log.error({ appointmentId: reminder.appointmentId, channel: reminder.conversation.channel, reason }, 'reminder: the channel could not deliver it; recorded as undeliverable');
    },
  };
}

/**
 * Runs `reconcile` shortly after start-up and then every `intervalMs`. The timer does not keep
 * the process alive; `stop()` ends it.
 */
export function scheduleReconciliation(options: { reconcile: () => Promise<number>; intervalMs: number; log: ReminderLog }): { stop(): void } {
  const run = () => {
    options
      .reconcile()
      .then((scheduled) => {
        if (scheduled > 0) options.log.info({ scheduled }, 'reminders: reconciled');
      })
      .catch((error: unknown) => options.log.warn({ err: error }, 'reminders: reconciliation failed; will retry at the next run'));
  };
  const first = setTimeout(run, 0);
  const timer = setInterval(run, options.intervalMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
