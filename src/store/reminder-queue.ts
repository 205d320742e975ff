/**
 * The two ReminderScheduler implementations: BullMQ delayed jobs on Redis (queue `reminders`,
 * shared by every process, they survive a restart) and in-process timers for the embedded
 * default (a restart forgets them; the reminders' reconciliation at start-up schedules them
 * again).
 */
import { z } from 'zod';
import { reminderJobId, type ReminderJob, type ReminderScheduler } from '../core/ports/reminders.js';
import {
  BullDelayedJobs,
  TimerDelayedJobs,
  type BullDelayedJobsOptions,
  type JobKind,
  type TimerDelayedJobsOptions,
} from './delayed-jobs.js';

const instant = z.iso.datetime({ offset: true });

const REMINDERS: JobKind<ReminderJob> = {
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

export class BullReminderScheduler extends BullDelayedJobs<ReminderJob> implements ReminderScheduler {
  constructor(options: BullDelayedJobsOptions) {
    super(options, REMINDERS);
  }
}

export class TimerReminderScheduler extends TimerDelayedJobs<ReminderJob> implements ReminderScheduler {
  constructor(options: TimerDelayedJobsOptions = {}) {
    super(REMINDERS, options);
  }
}
