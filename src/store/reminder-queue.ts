/**
 * Reminders as delayed jobs: what a reminder job is (queue `reminders`), and its in-process timer
 * scheduler for the embedded default — a restart forgets them, and the reminders' reconciliation
 * at start-up schedules them again. The BullMQ one, on Redis, is in bull-schedulers.ts.
 */
import { z } from 'zod';
import { reminderJobId, type ReminderJob, type ReminderScheduler } from '../core/ports/reminders.js';
import { TimerDelayedJobs, type JobKind, type TimerDelayedJobsOptions } from './delayed-jobs.js';

const instant = z.iso.datetime({ offset: true });

export const REMINDERS: JobKind<ReminderJob> = {
  queueName: 'reminders',
  label: 'a reminder',
  schema: z.object({
    appointmentId: z.string().min(1),
    offsetMinutes: z.number().positive(),
    startsAt: instant,
    timeSetAt: instant,
    notBefore: instant.optional(),
  }),
  jobId: reminderJobId,
  reviveFailed: true,
};


export class TimerReminderScheduler extends TimerDelayedJobs<ReminderJob> implements ReminderScheduler {
  constructor(options: TimerDelayedJobsOptions = {}) {
    super(REMINDERS, options);
  }
}
