/** The follow-up and reminder queues on BullMQ, loaded by src/app.ts only when Redis is configured. */
import type { FollowUpJob, FollowUpScheduler } from '../core/ports/follow-up-scheduler.js';
import type { ReminderJob, ReminderScheduler } from '../core/ports/reminders.js';
import { BullDelayedJobs, type BullDelayedJobsOptions } from './bull-delayed-jobs.js';
import { FOLLOW_UPS } from './follow-up-queue.js';
import { REMINDERS } from './reminder-queue.js';

export class BullFollowUpScheduler extends BullDelayedJobs<FollowUpJob> implements FollowUpScheduler {
  constructor(options: BullDelayedJobsOptions) {
    super(options, FOLLOW_UPS);
  }
}

export class BullReminderScheduler extends BullDelayedJobs<ReminderJob> implements ReminderScheduler {
  constructor(options: BullDelayedJobsOptions) {
    super(options, REMINDERS);
  }
}
